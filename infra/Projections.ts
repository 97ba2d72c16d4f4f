/**
 * The read models over many aggregate instances, on AWS, top to bottom:
 * 1. their table (rebuildable from the streams, so not retained) and data source;
 * 2. the outbox: the event-store table's stream → an EventBridge Pipe (filter:
 *    inserted events only; no Lambda) → the bus, each stored event as
 *    `<Aggregate>EventStored` from `app.eventstore`, at least once, in order per stream
 *    with the command that stored it as `command` (an aggregate delivered 'direct' tells its
 *    subscribers from it; not `commandId`, which the decided events on the same bus carry, so a
 *    filter on decided events' commandId never matches a stored one);
 * 3. the rule that sends each stored event to the IAM-only applyStoredEvent
 *    mutation as a role that may call that field only, with retries and a
 *    dead-letter queue;
 * 4. the resolvers: applyStoredEvent (readCursor → load steps → applyToReadModels)
 *    and the read-model queries.
 */
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as appsync from 'aws-cdk-lib/aws-appsync';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as pipes from 'aws-cdk-lib/aws-pipes';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { aggregateNames, STORED_EVENT_SOURCE } from '../functions/eventStore/naming';
import { READ_AGGREGATES } from '../functions/projections/aggregates';
import { READ_MODEL_PK, READ_MODEL_SK } from '../functions/projections/readModelTable';
import { fieldResolver, pipelineStep } from './appsyncCode';
import type { EventStore } from './EventStore';
import type { AttachedResolver } from './schema';

export interface ProjectionsProps {
  api: appsync.GraphqlApi;
  eventStore: EventStore;
}

export class Projections extends Construct {
  readonly table: dynamodb.TableV2;
  readonly outbox: pipes.CfnPipe;
  readonly applyRule: events.Rule;
  readonly resolvers: AttachedResolver[] = [];
  private readonly api: appsync.GraphqlApi;

  constructor(scope: Construct, id: string, props: ProjectionsProps) {
    super(scope, id);
    const { api, eventStore } = props;
    this.api = api;

    // 1. Read models: rebuilt from the streams when lost, so destroyed with the stack.
    this.table = new dynamodb.TableV2(this, 'Table', {
      partitionKey: { name: READ_MODEL_PK, type: dynamodb.AttributeType.STRING },
      sortKey: { name: READ_MODEL_SK, type: dynamodb.AttributeType.STRING },
      billing: dynamodb.Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    api.addEnvironmentVariable('READ_MODEL_TABLE', this.table.tableName);
    const readModels = api.addDynamoDbDataSource('ReadModels', this.table);

    // 2. The outbox: stored events only (not snapshots, claims or answers: they carry no eventId).
    const pipeRole = new iam.Role(this, 'OutboxRole', {
      assumedBy: new iam.ServicePrincipal('pipes.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: 'EventBridge Pipes reads the event store stream and puts stored events on the bus as this role',
    });
    eventStore.table.grantStreamRead(pipeRole);
    eventStore.bus.grantPutEventsTo(pipeRole);
    const outboxDeadLetters = new sqs.Queue(this, 'OutboxDeadLetters', {
      retentionPeriod: Duration.days(14),
      enforceSSL: true,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
    });
    outboxDeadLetters.grantSendMessages(pipeRole);
    this.outbox = new pipes.CfnPipe(this, 'Outbox', {
      roleArn: pipeRole.roleArn,
      description: 'Publishes every stored event of the event store to the bus, in order per stream',
      source: eventStore.table.tableStreamArn!,
      sourceParameters: {
        dynamoDbStreamParameters: {
          startingPosition: 'TRIM_HORIZON',
          batchSize: 10,
          maximumBatchingWindowInSeconds: 0,
          maximumRetryAttempts: 10,
          deadLetterConfig: { arn: outboxDeadLetters.queueArn },
        },
        filterCriteria: {
          filters: [{ pattern: JSON.stringify({ eventName: ['INSERT'], dynamodb: { NewImage: { eventId: { S: [{ exists: true }] } } } }) }],
        },
      },
      target: eventStore.bus.eventBusArn,
      targetParameters: {
        // The whole value of a dynamic path parameter is a JSON path into the record (AWS: "Dynamic path parameters", EventBridge Pipes targets).
        eventBridgeEventBusParameters: { source: STORED_EVENT_SOURCE, detailType: '$.dynamodb.NewImage.publishedAs.S' },
        inputTemplate:
          '{"streamId": <$.dynamodb.Keys.streamId.S>, "version": <$.dynamodb.Keys.version.N>, "type": <$.dynamodb.NewImage.type.S>, "eventId": <$.dynamodb.NewImage.eventId.S>, "command": <$.dynamodb.NewImage.commandId.S>}',
      },
    });

    // 3. Stored events of the aggregates the read models read → applyStoredEvent, as a role allowed that field only.
    const applyRole = new iam.Role(this, 'ApplyRole', {
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com'),
      description: 'EventBridge calls Mutation.applyStoredEvent as this role',
    });
    api.grantMutation(applyRole, 'applyStoredEvent');
    const applyDeadLetters = new sqs.Queue(this, 'ApplyDeadLetters', {
      retentionPeriod: Duration.days(14),
      enforceSSL: true,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
    });
    this.applyRule = new events.Rule(this, 'ApplyRule', {
      eventBus: eventStore.bus,
      description: 'Applies each stored event to the read models through the IAM-only applyStoredEvent mutation',
      eventPattern: {
        source: [STORED_EVENT_SOURCE],
        detailType: Object.keys(READ_AGGREGATES).map((streamType) => aggregateNames(streamType).storedDetailType),
      },
      targets: [
        new targets.AppSync(api, {
          graphQLOperation:
            'mutation ApplyStoredEvent($input: StoredEventInput!) { applyStoredEvent(input: $input) { streamId version applied } }',
          variables: events.RuleTargetInput.fromObject({
            input: { streamId: events.EventField.fromPath('$.detail.streamId'), version: events.EventField.fromPath('$.detail.version') },
          }),
          eventRole: applyRole,
          retryAttempts: 8,
          maxEventAge: Duration.minutes(5),
          deadLetterQueue: applyDeadLetters,
        }),
      ],
    });

    // 4. Resolvers.
    const readCursor = pipelineStep(this, 'readCursor', { api, file: 'functions/projections/readCursor.ts', dataSource: readModels });
    const applyToReadModels = pipelineStep(this, 'applyToReadModels', {
      api,
      file: 'functions/projections/applyToReadModels.ts',
      dataSource: readModels,
    });
    const load = ['loadStreamTail', 'loadStreamFromStart'] as const;
    this.attach('Mutation.applyStoredEvent', [readCursor, ...load.map((name) => eventStore.sharedSteps.get(name)!), applyToReadModels]);
    for (const query of ['Query.listRooms', 'Query.listReservationsByGuest', 'Query.getRoomCalendar', 'Query.getHotelTotals']) {
      this.attach(query, readModels);
    }
  }

  private attach(field: string, pipeline: appsync.AppsyncFunction[] | appsync.BaseDataSource): void {
    fieldResolver(this, { api: this.api, field, pipeline });
    this.resolvers.push({ field, generic: false });
  }
}
