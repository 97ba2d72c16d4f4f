/**
 * The whole core on one machine, wired from a synthesized CDK app: DynamoDB
 * Local with the template's tables, the local EventBridge bus with its rules,
 * and each AppSync API on the local server with the APPSYNC_JS engine.
 *
 * @example
 * const stack = await LocalStack.start({ cdkOut: 'cdk.out', port: 0 });
 * console.log(stack.graphqlUrl, stack.apiKey);
 * await stack.stop();
 */
import { parse, type OperationDefinitionNode } from 'graphql';
import { createTablesFromTemplate, DynamoDbLocal } from './dynamodb/DynamoDbLocal.ts';
import { closeDynamoDbClients } from './dynamodb/AppSyncDynamoDbDataSource.ts';
import { LocalEventBus, loadEventBridgeDefinitions, eventBridgeDefinitionsFromTemplate, type AppSyncTargetCall, type DeliveryLog, type DeliveryResult, type RetryTiming } from './eventbridge/index.ts';
import { appSyncFieldArn, isAllowedByRole } from './iamPolicy.ts';
import { dataSourcesFor } from './dataSources.ts';
import { roleAuth } from './server/authorization.ts';
import { LocalGraphqlApi, type RequestLog } from './server/graphqlApi.ts';
import { LocalAppSyncServer } from './server/httpServer.ts';
import { ensureLocalCertificate } from './server/localCertificate.ts';
import { readCloudAssembly, type CloudAssemblyModel, type StackModel } from './template/cloudAssembly.ts';

export const DEFAULT_PORT = 20002;
export const DEFAULT_API_KEY = 'da2-fakeApiId123456';

export interface LocalStackOptions {
  /** The synthesized cloud assembly to serve. */
  cdkOut: string;
  /** GraphQL port; 0 picks a free one. Default 20002. */
  port?: number;
  host?: string;
  apiKey?: string;
  /** Keep DynamoDB data in this directory; default in memory. */
  persistDir?: string;
  /** Where the local CA and certificate live; default `.local/tls`. */
  tlsDir?: string;
  keepAliveMs?: number;
  busRetry?: RetryTiming;
  onRequest?: (log: RequestLog) => void;
  onDelivery?: (log: DeliveryLog) => void;
  onEvent?: (line: string) => void;
}

export class LocalStack {
  private constructor(
    readonly assembly: CloudAssemblyModel,
    readonly dynamoDb: DynamoDbLocal,
    readonly bus: LocalEventBus,
    readonly api: LocalGraphqlApi,
    private readonly server: LocalAppSyncServer,
    readonly port: number,
    readonly apiKey: string,
    readonly caFile: string,
    readonly tables: string[],
  ) {}

  get graphqlUrl(): string {
    return `http://localhost:${this.port}/graphql`;
  }

  get realtimeUrl(): string {
    return `ws://localhost:${this.port}/graphql/realtime`;
  }

  /** The rules the bus routes, as `bus/rule → targets`. */
  get rules(): string[] {
    return this.bus.listEventBuses().EventBuses.flatMap((bus) =>
      this.bus.listRules({ EventBusName: bus.Name }).Rules.map((rule) => `${bus.Name}/${rule.Name}`),
    );
  }

  static async start(options: LocalStackOptions): Promise<LocalStack> {
    const assembly = readCloudAssembly(options.cdkOut);
    if (assembly.apis.length !== 1) {
      throw new Error(`The local runtime serves one AppSync API per port; ${options.cdkOut} defines ${assembly.apis.length}.`);
    }
    const apiModel = assembly.apis[0]!;
    const stack = assembly.stacks.find((candidate) => candidate.apis.includes(apiModel))!;
    const apiKey = options.apiKey ?? DEFAULT_API_KEY;
    const certificate = await ensureLocalCertificate(options.tlsDir ?? '.local/tls');

    const dynamoDb = await DynamoDbLocal.start(options.persistDir ? { persistDir: options.persistDir } : {});
    let bus: LocalEventBus | undefined;
    let server: LocalAppSyncServer | undefined;
    try {
      const client = dynamoDb.createClient();
      await createTablesFromTemplate(
        client,
        Object.fromEntries(assembly.tables.map((table) => [table.logicalId, { Type: table.type, Properties: { ...table.properties, TableName: table.tableName } }])),
      );
      client.destroy();

      // The bus calls the API and the API publishes to the bus: the invoker reads `api` when an event arrives.
      bus = new LocalEventBus({
        account: stack.account.accountId,
        region: stack.account.region,
        retry: options.busRetry,
        onDelivery: options.onDelivery,
        invokers: { appsync: (call) => invokeAppSyncTarget(api, stack, call) },
      });
      loadEventBridgeDefinitions(bus, eventBridgeDefinitionsFromTemplate(stack.resources, { resolve: (value) => value }));

      const api = new LocalGraphqlApi(apiModel, {
        apiKey,
        accountId: stack.account.accountId,
        dataSources: dataSourcesFor(apiModel, { dynamoDbEndpoint: dynamoDb.endpoint, bus }),
        onRequest: options.onRequest,
      });
      const modes = [apiModel.defaultAuthentication, ...apiModel.additionalAuthentications];
      server = new LocalAppSyncServer({
        api,
        auth: { modes, apiKey, accountId: stack.account.accountId },
        port: options.port ?? DEFAULT_PORT,
        host: options.host,
        tls: { key: certificate.key, cert: certificate.cert },
        keepAliveMs: options.keepAliveMs,
        onEvent: options.onEvent,
      });
      const port = await server.start();
      return new LocalStack(assembly, dynamoDb, bus, api, server, port, apiKey, certificate.caFile, assembly.tables.map((table) => table.tableName));
    } catch (error) {
      bus?.close();
      await server?.stop();
      await dynamoDb.stop();
      throw error;
    }
  }

  /** Stop everything this stack started: server, bus timers, DynamoDB Local (its Java process too). */
  async stop(): Promise<void> {
    await this.server.stop();
    this.bus.close();
    closeDynamoDbClients();
    await this.dynamoDb.stop();
  }
}

/**
 * An AppSync rule target, called in-process as the rule's IAM role: the role must be allowed
 * `appsync:GraphQL` on every root field of the operation (as AWS checks it), then the operation runs
 * exactly as an HTTP request would, subscriptions included. A GraphQL error is a failed attempt, so
 * the rule's retry policy applies to a store that is briefly unavailable.
 */
async function invokeAppSyncTarget(api: LocalGraphqlApi, stack: StackModel, call: AppSyncTargetCall): Promise<DeliveryResult> {
  const role = call.roleArn ? stack.roles[call.roleArn] : undefined;
  const operation = parse(call.operation).definitions.find((definition): definition is OperationDefinitionNode => definition.kind === 'OperationDefinition');
  const typeName = operation?.operation === 'mutation' ? 'Mutation' : operation?.operation === 'subscription' ? 'Subscription' : 'Query';
  for (const selection of operation?.selectionSet.selections ?? []) {
    if (selection.kind !== 'Field') continue;
    const resource = appSyncFieldArn(api.model.arn, typeName, selection.name.value);
    if (!isAllowedByRole(role, 'appsync:GraphQL', resource)) {
      return { ok: false, error: new Error(`AccessDenied: role ${call.roleArn ?? '(none)'} may not call appsync:GraphQL on ${resource}`) };
    }
  }
  const response = await api.execute({ query: call.operation, variables: call.variables }, roleAuth(call.roleArn!, stack.account.accountId), {
    headers: { 'user-agent': 'local-eventbridge' },
    sourceIp: '127.0.0.1',
    domainName: null,
  });
  if (response.errors && response.errors.length > 0) {
    return { ok: false, error: new Error(response.errors.map((error) => `${'errorType' in error && error.errorType ? `${error.errorType}: ` : ''}${error.message}`).join('; ')) };
  }
  return { ok: true };
}
