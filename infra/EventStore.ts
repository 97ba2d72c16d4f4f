/**
 * The event store every aggregate shares: one DynamoDB table (streams and
 * unique-constraint claims), the EventBridge bus commands publish to, the
 * AppSync data sources, and the generic pipeline steps (loadStream,
 * appendEvent, readSlot, publishEvents), created once.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as appsync from 'aws-cdk-lib/aws-appsync';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import { PARTITION_KEY, SORT_KEY } from '../functions/eventStore/storedEvent';
import { bundleAppSyncCode } from './appsyncCode';

export interface EventStoreProps {
  api: appsync.GraphqlApi;
  /** What happens to the table when the stack is deleted. Keep it in production. */
  removalPolicy: RemovalPolicy;
}

export class EventStore extends Construct {
  readonly table: dynamodb.TableV2;
  readonly bus: events.EventBus;
  readonly tableSource: appsync.DynamoDbDataSource;
  readonly busSource: appsync.EventBridgeDataSource;
  readonly noneSource: appsync.NoneDataSource;
  readonly loadStream: appsync.AppsyncFunction;
  readonly appendEvent: appsync.AppsyncFunction;
  readonly readSlot: appsync.AppsyncFunction;
  readonly publishEvents: appsync.AppsyncFunction;
  private readonly api: appsync.GraphqlApi;

  constructor(scope: Construct, id: string, props: EventStoreProps) {
    super(scope, id);
    const { api } = props;
    this.api = api;

    // Append-only: streamId (`Reservation#<ULID>`) + version (1, 2, 3 …). On demand, PITR on.
    this.table = new dynamodb.TableV2(this, 'Table', {
      partitionKey: { name: PARTITION_KEY, type: dynamodb.AttributeType.STRING },
      sortKey: { name: SORT_KEY, type: dynamodb.AttributeType.NUMBER },
      billing: dynamodb.Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: props.removalPolicy === RemovalPolicy.RETAIN,
      removalPolicy: props.removalPolicy,
    });
    // Transactions and batch reads name their table: resolvers read it from the API's environment.
    api.addEnvironmentVariable('EVENT_STORE_TABLE', this.table.tableName);

    this.bus = new events.EventBus(this, 'Bus');

    this.tableSource = api.addDynamoDbDataSource('EventStoreTable', this.table);
    this.busSource = api.addEventBridgeDataSource('EventBus', this.bus);
    this.noneSource = api.addNoneDataSource('Decide');

    this.loadStream = this.step('loadStream', this.tableSource);
    this.appendEvent = this.step('appendEvent', this.tableSource);
    this.readSlot = this.step('readSlot', this.tableSource);
    this.publishEvents = this.step('publishEvents', this.busSource);
  }

  private step(name: string, dataSource: appsync.BaseDataSource): appsync.AppsyncFunction {
    return new appsync.AppsyncFunction(this, name, {
      name,
      api: this.api,
      dataSource,
      runtime: appsync.FunctionRuntime.JS_1_0_0,
      code: appsync.Code.fromInline(bundleAppSyncCode(`functions/eventStore/${name}.ts`)),
    });
  }
}
