/**
 * The event store every aggregate shares: one DynamoDB table (streams and
 * unique-constraint claims), the EventBridge bus commands publish to, the
 * command timeouts (EventBridge Scheduler, called by AppSync over signed
 * HTTP), the AppSync data sources, and the generic pipeline steps that
 * serve every aggregate (functions/eventStore/pipelines.ts), created once.
 */
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as appsync from 'aws-cdk-lib/aws-appsync';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { STEPS, type StepDataSource, type StepName } from '../functions/eventStore/pipelines';
import { PARTITION_KEY, SORT_KEY } from '../functions/eventStore/storedEvent';
import { pipelineStep } from './appsyncCode';

export interface EventStoreProps {
  api: appsync.GraphqlApi;
  /** What happens to the table when the stack is deleted. Keep it in production. */
  removalPolicy: RemovalPolicy;
  /** How long a command may take to be stored before it answers TIMED_OUT. */
  commandTimeout: Duration;
}

export class EventStore extends Construct {
  readonly table: dynamodb.TableV2;
  readonly bus: events.EventBus;
  readonly tableSource: appsync.DynamoDbDataSource;
  readonly busSource: appsync.EventBridgeDataSource;
  readonly noneSource: appsync.NoneDataSource;
  readonly schedulerSource: appsync.HttpDataSource;
  /** The Step Functions API (signed for `states`): commands answer the task tokens of executions waiting for them. A state machine grants it its tokens (grantTaskResponse). */
  readonly stepFunctionsSource: appsync.HttpDataSource;
  /** The steps every aggregate shares, by name; steps bundled per aggregate are made by each Aggregate. */
  readonly sharedSteps: ReadonlyMap<StepName, appsync.AppsyncFunction>;

  constructor(scope: Construct, id: string, props: EventStoreProps) {
    super(scope, id);
    const { api } = props;

    // Append-only: streamId (`Reservation#<ULID>`) + version (1, 2, 3 …). On demand, PITR on.
    this.table = new dynamodb.TableV2(this, 'Table', {
      partitionKey: { name: PARTITION_KEY, type: dynamodb.AttributeType.STRING },
      sortKey: { name: SORT_KEY, type: dynamodb.AttributeType.NUMBER },
      billing: dynamodb.Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: props.removalPolicy === RemovalPolicy.RETAIN,
      removalPolicy: props.removalPolicy,
      // The outbox: every stored item, in order per stream, for the pipe that publishes stored events (Projections).
      dynamoStream: dynamodb.StreamViewType.NEW_IMAGE,
    });
    // Transactions and batch reads name their table: resolvers read it from the API's environment.
    api.addEnvironmentVariable('EVENT_STORE_TABLE', this.table.tableName);

    this.bus = new events.EventBus(this, 'Bus');

    this.tableSource = api.addDynamoDbDataSource('EventStoreTable', this.table);
    this.busSource = api.addEventBridgeDataSource('EventBus', this.bus);
    this.noneSource = api.addNoneDataSource('Decide');

    // Timeouts: AppSync creates a one-time schedule per command (signed HTTP call to the Scheduler
    // API); at the deadline Scheduler puts the tombstone on the bus as this role.
    const { region, account } = Stack.of(this);
    const timeoutRole = new iam.Role(this, 'TimeoutSchedulerRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': account } } }),
      description: 'EventBridge Scheduler puts command-timeout tombstones on the event-store bus as this role',
    });
    this.bus.grantPutEventsTo(timeoutRole);
    this.schedulerSource = api.addHttpDataSource('TimeoutScheduler', `https://scheduler.${region}.amazonaws.com`, {
      authorizationConfig: { signingRegion: region, signingServiceName: 'scheduler' },
      description: 'EventBridge Scheduler API: one-time schedules for command timeouts',
    });
    this.schedulerSource.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['scheduler:CreateSchedule', 'scheduler:DeleteSchedule'],
        resources: [`arn:aws:scheduler:${region}:${account}:schedule/default/timeout-*`],
      }),
    );
    timeoutRole.grantPassRole(this.schedulerSource.grantPrincipal);
    api.addEnvironmentVariable('EVENT_BUS_ARN', this.bus.eventBusArn);
    api.addEnvironmentVariable('TIMEOUT_SCHEDULER_ROLE_ARN', timeoutRole.roleArn);
    api.addEnvironmentVariable('COMMAND_TIMEOUT_SECONDS', String(props.commandTimeout.toSeconds()));

    // Task tokens: a Step Functions execution that sent a command waits for its outcome (.waitForTaskToken);
    // the command and store pipelines answer it here (SendTaskSuccess / SendTaskFailure).
    this.stepFunctionsSource = api.addHttpDataSource('StepFunctions', `https://states.${region}.amazonaws.com`, {
      authorizationConfig: { signingRegion: region, signingServiceName: 'states' },
      description: 'Step Functions API: answers the task tokens of executions waiting for a command',
    });

    const sharedSteps = new Map<StepName, appsync.AppsyncFunction>();
    for (const [name, step] of Object.entries(STEPS) as [StepName, (typeof STEPS)[StepName]][]) {
      if (step.perAggregate) continue;
      sharedSteps.set(
        name,
        pipelineStep(this, name, { api, file: `functions/eventStore/${name}.ts`, dataSource: this.dataSource(step.dataSource) }),
      );
    }
    this.sharedSteps = sharedSteps;
  }

  /** The data source a step declares (pipelines.ts). */
  dataSource(kind: StepDataSource): appsync.BaseDataSource {
    const sources = {
      table: this.tableSource,
      bus: this.busSource,
      scheduler: this.schedulerSource,
      states: this.stepFunctionsSource,
      none: this.noneSource,
    } satisfies Record<StepDataSource, appsync.BaseDataSource>;
    return sources[kind];
  }
}
