/**
 * The whole core in one stack: the AppSync API (API key + IAM, Cognito user
 * pools optional), the shared event store, and one construct per aggregate.
 * No Lambda function anywhere: resolvers are APPSYNC_JS, the bus calls AppSync.
 */
import { CfnOutput, Duration, Expiration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as appsync from 'aws-cdk-lib/aws-appsync';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { EventStore } from './EventStore';
import { ReservationAggregate } from './ReservationAggregate';
import { RoomAggregate } from './RoomAggregate';
import { GuestAggregate } from './GuestAggregate';
import { PaymentAggregate } from './PaymentAggregate';
import { BookingAggregate } from './BookingAggregate';
import { BookingSaga } from './BookingSaga';
import { Projections } from './Projections';
import type { Delivery } from '../functions/eventStore/pipelines';
import type { StoredEventSubscribers } from './Aggregate';
import { appSyncSchemaDefinition, assertResolversMatchSchema, buildAppSyncSchema } from './schema';

export interface EventSourcingCoreStackProps extends StackProps {
  /** Table removal on stack deletion. Default RETAIN: events are the system of record. */
  removalPolicy?: RemovalPolicy;
  /** Switches on Cognito user pools as an extra auth mode on every public field. */
  userPool?: cognito.IUserPool;
  /** Days the API key is valid (AppSync allows 1 to 365). */
  apiKeyDays?: number;
  /** How long a command may take to be stored before it answers TIMED_OUT. Default 10 s. */
  commandTimeout?: Duration;
  /** How long each step of a booking may wait for its answer before the booking fails TimedOut. Default 20 s. */
  bookingStepTimeout?: Duration;
  /**
   * Overrides the delivery an aggregate's stack file chose, by stream type, e.g. `{ Guest: 'direct' }`
   * (context `delivery=Guest:direct` in app.ts): how the same aggregate is served both ways, for its tests and benchmarks.
   */
  delivery?: Partial<Record<string, Delivery>>;
  /**
   * Who tells on<X>Saved subscribers of a direct aggregate's stored events, by stream type, e.g. `{ Guest: 'none' }`
   * (context `storedEventSubscribers=Guest:none` in app.ts): see AggregateProps.storedEventSubscribers.
   */
  storedEventSubscribers?: Partial<Record<string, StoredEventSubscribers>>;
}

export class EventSourcingCoreStack extends Stack {
  readonly api: appsync.GraphqlApi;
  readonly eventStore: EventStore;

  constructor(scope: Construct, id: string, props: EventSourcingCoreStackProps = {}) {
    super(scope, id, props);

    const definition = appSyncSchemaDefinition({ cognitoUserPools: props.userPool !== undefined });
    const additionalAuthorizationModes: appsync.AuthorizationMode[] = [{ authorizationType: appsync.AuthorizationType.IAM }];
    if (props.userPool) {
      additionalAuthorizationModes.push({
        authorizationType: appsync.AuthorizationType.USER_POOL,
        userPoolConfig: { userPool: props.userPool },
      });
    }

    this.api = new appsync.GraphqlApi(this, 'Api', {
      name: `${id}-api`,
      // One SDL merged from schema/*.graphql; AppSync takes a single document.
      definition: appsync.Definition.fromSchema({ bind: (api) => ({ apiId: (api as appsync.IGraphqlApi).apiId, definition }) }),
      authorizationConfig: {
        defaultAuthorization: {
          authorizationType: appsync.AuthorizationType.API_KEY,
          apiKeyConfig: { expires: Expiration.after(Duration.days(props.apiKeyDays ?? 365)) },
        },
        additionalAuthorizationModes,
      },
      xrayEnabled: true,
      // The deepest operation clients need is 3 levels (onReservationSaved → reservation → field), and
      // GraphiQL's and codegen's introspection query 13 (the schema has no recursive type to nest deeper);
      // a request resolves at most a few root fields. Anything past these is refused before a resolver runs.
      queryDepthLimit: 15,
      resolverCountLimit: 50,
    });

    // Logging set on the L1 resource: the L2's logConfig always adds a LogRetention custom resource,
    // which is a Lambda function. Here the group is declared with its retention, and AppSync's role
    // may write to that group only.
    const apiLogs = new logs.LogGroup(this, 'ApiLogs', {
      logGroupName: `/aws/appsync/apis/${this.api.apiId}`,
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const loggingRole = new iam.Role(this, 'ApiLoggingRole', { assumedBy: new iam.ServicePrincipal('appsync.amazonaws.com') });
    apiLogs.grantWrite(loggingRole);
    const cfnApi = this.api.node.defaultChild as appsync.CfnGraphQLApi;
    cfnApi.logConfig = { cloudWatchLogsRoleArn: loggingRole.roleArn, fieldLogLevel: 'ERROR', excludeVerboseContent: true };

    this.eventStore = new EventStore(this, 'EventStore', {
      api: this.api,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      commandTimeout: props.commandTimeout ?? Duration.seconds(10),
    });

    // One line per aggregate: each brings its own stack file over the generic Aggregate.
    const aggregateProps = { api: this.api, eventStore: this.eventStore };
    // Set only when overridden, so an aggregate's own choice stands otherwise.
    const delivery = (streamType: string) => {
      const chosen = props.delivery?.[streamType];
      const subscribers = props.storedEventSubscribers?.[streamType];
      return { ...(chosen ? { delivery: chosen } : {}), ...(subscribers ? { storedEventSubscribers: subscribers } : {}) };
    };
    const aggregates = [
      new ReservationAggregate(this, 'Reservation', { ...aggregateProps, ...delivery('Reservation') }),
      new RoomAggregate(this, 'Room', { ...aggregateProps, ...delivery('Room') }),
      new GuestAggregate(this, 'Guest', { ...aggregateProps, ...delivery('Guest') }),
      new PaymentAggregate(this, 'Payment', { ...aggregateProps, ...delivery('Payment') }),
      new BookingAggregate(this, 'Booking', {
        ...aggregateProps,
        ...delivery('Booking'),
        stepFunctionsSource: this.eventStore.stepFunctionsSource,
      }),
    ];
    // The booking's process: a state machine that sends the aggregates' commands through AppSync.
    new BookingSaga(this, 'BookingSaga', { ...aggregateProps, stepTimeout: props.bookingStepTimeout });

    // Read models over many instances, from the stored events the table's stream publishes.
    const projections = new Projections(this, 'Projections', aggregateProps);

    assertResolversMatchSchema(buildAppSyncSchema(definition), [
      ...aggregates.flatMap((aggregate) => aggregate.resolvers),
      ...projections.resolvers,
    ]);

    new CfnOutput(this, 'GraphQLUrl', { value: this.api.graphqlUrl });
    new CfnOutput(this, 'RealtimeUrl', { value: this.api.graphqlUrl.replace('appsync-api', 'appsync-realtime-api') });
    new CfnOutput(this, 'ApiKeyId', { value: this.api.apiKey ?? 'none' });
    new CfnOutput(this, 'EventStoreTableName', { value: this.eventStore.table.tableName });
    new CfnOutput(this, 'EventBusName', { value: this.eventStore.bus.eventBusName });
  }
}
