/**
 * The project's deployed resolvers, exactly as the synthesized template
 * carries them, run through the APPSYNC_JS engine with real data sources:
 * DynamoDB Local for the event store, NONE, and a recording EventBridge
 * data source (what commands publish is asserted, not delivered).
 */
import { afterAll, beforeAll, inject } from 'vitest';
import { ulid } from 'ulid';
import { ScanCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { AppSyncDynamoDbDataSource, createDataSourceClient, createTablesFromTemplate, DynamoDbLocal } from '../../local/index.ts';
import { identityOf, noneDataSource, type DataSource, type ResolverResult } from '../../local/index.ts';
import { LocalGraphqlApi } from '../../local/index.ts';
import { readCoreAssembly } from '../../dev/localCore.ts';
import { leaseDynamoDb } from './sharedDynamoDb.ts';

export interface TemplateResolversFixture {
  /** Run `Type.field` as `caller` (API key by default; IAM as the store rule's role with `asStoreRule`). */
  call(
    field: string,
    args: Record<string, unknown>,
    options?: { asStoreRule?: boolean; headers?: Record<string, string> },
  ): Promise<ResolverResult>;
  /** Every PutEvents request the command resolvers sent. */
  readonly published: { source: string; detailType: string; detail: Record<string, unknown> }[];
  /** Every schedule (CreateSchedule body) the command resolvers asked EventBridge Scheduler for. */
  readonly scheduled: { name: string; schedule: Record<string, unknown> }[];
  /** Every Step Functions API call the resolvers sent (StartExecution, SendTaskSuccess, SendTaskFailure), its body parsed; each answered 200 `{}`. */
  readonly stepFunctionsCalls: { operation: string; body: Record<string, unknown> }[];
  /** Every DynamoDB request the resolvers sent, with the number of items each answered (Query, GetItem…). */
  readonly tableCalls: { operation: string; functionName?: string; items: number }[];
  /** Every item in the event-store table. */
  items(): Promise<Record<string, unknown>[]>;
  readonly db: DynamoDbLocal;
}

export interface TemplateResolversOptions {
  /** The cloud assembly to serve (e.g. directAssembly()); the suite's synthesis (globalSetup) by default. */
  assembly?: () => Promise<string>;
}

export function useTemplateResolvers(options: TemplateResolversOptions = {}): TemplateResolversFixture {
  let db: DynamoDbLocal | undefined;
  let client: DynamoDBClient | undefined;
  let dataSourceClient: DynamoDBClient | undefined;
  let api: LocalGraphqlApi | undefined;
  let tableName = '';
  const published: TemplateResolversFixture['published'] = [];
  const scheduled: TemplateResolversFixture['scheduled'] = [];
  const tableCalls: TemplateResolversFixture['tableCalls'] = [];
  const stepFunctionsCalls: TemplateResolversFixture['stepFunctionsCalls'] = [];
  beforeAll(async () => {
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    const assembly = readCoreAssembly(options.assembly ? await options.assembly() : inject('cdkOut'));
    const model = assembly.apis[0]!;
    db = await leaseDynamoDb();
    client = db.createClient();
    dataSourceClient = createDataSourceClient(db.endpoint);
    const table = assembly.tables[0]!;
    tableName = table.tableName;
    await createTablesFromTemplate(client, {
      [table.logicalId]: { Type: table.type, Properties: { ...table.properties, TableName: tableName } },
    });
    const recordingBus: DataSource = {
      invoke(request) {
        const { events } = request as { events: TemplateResolversFixture['published'] };
        published.push(...events);
        return Promise.resolve({ result: { Entries: events.map(() => ({ EventId: ulid() })), FailedEntryCount: 0 } });
      },
    };
    const recordingScheduler: DataSource = {
      invoke(request) {
        const { resourcePath, params } = request as { resourcePath: string; params: { body: string } };
        const name = resourcePath.replace('/schedules/', '');
        scheduled.push({ name, schedule: JSON.parse(params.body) as Record<string, unknown> });
        return Promise.resolve({
          result: {
            statusCode: 200,
            headers: {},
            body: JSON.stringify({ ScheduleArn: `arn:aws:scheduler:us-east-1:123456789012:schedule/default/${name}` }),
          },
        });
      },
    };
    const recordingStepFunctions: DataSource = {
      invoke(request) {
        const { params } = request as { params: { headers: Record<string, string>; body: string } };
        stepFunctionsCalls.push({
          operation: params.headers['x-amz-target']!.replace('AWSStepFunctions.', ''),
          body: JSON.parse(params.body) as Record<string, unknown>,
        });
        return Promise.resolve({ result: { statusCode: 200, headers: {}, body: '{}' } });
      },
    };
    const byType: Record<string, (source: (typeof model.dataSources)[string]) => DataSource> = {
      AMAZON_DYNAMODB: (source) => {
        const table = new AppSyncDynamoDbDataSource({ client: dataSourceClient!, tableName: source.tableName });
        return {
          async invoke(request, call) {
            const response = await table.invoke(request, call);
            const items = (response.result as { items?: unknown[] } | undefined)?.items;
            tableCalls.push({
              operation: (request as { operation: string }).operation,
              functionName: call.functionName,
              items: Array.isArray(items) ? items.length : 0,
            });
            return response;
          },
        };
      },
      AMAZON_EVENTBRIDGE: () => recordingBus,
      HTTP: (source) => (source.name === 'StepFunctions' ? recordingStepFunctions : recordingScheduler),
      NONE: () => noneDataSource,
    };
    const dataSources: Record<string, DataSource> = {};
    for (const source of Object.values(model.dataSources)) {
      dataSources[source.name] = byType[source.type]!(source);
    }
    api = new LocalGraphqlApi(model, { apiKey: 'test', accountId: '123456789012', dataSources });
  }, 180_000);
  afterAll(async () => {
    client?.destroy();
    dataSourceClient?.destroy();
    // The worker's DynamoDB Local stays up for the next file (sharedDynamoDb.ts).
  });
  return {
    published,
    scheduled,
    tableCalls,
    stepFunctionsCalls,
    get db() {
      return db!;
    },
    async call(field, args, options = {}) {
      const [typeName, fieldName] = field.split('.') as [string, string];
      const resolver = api!.resolverOf(typeName, fieldName);
      if (!resolver) throw new Error(`The template has no resolver for ${field}`);
      const identity = options.asStoreRule
        ? identityOf({
            authMode: 'AWS_IAM',
            accountId: '123456789012',
            userArn: 'arn:aws:sts::123456789012:assumed-role/StoreRole/local',
            username: 'AROALOCAL:local',
          })
        : identityOf({ authMode: 'API_KEY' });
      return resolver.resolve({ arguments: args, identity, request: { headers: options.headers ?? {} }, env: api!.model.environment });
    },
    async items() {
      const page = await client!.send(new ScanCommand({ TableName: tableName, ConsistentRead: true }));
      return (page.Items ?? []).map((item) => unmarshall(item));
    },
  };
}
