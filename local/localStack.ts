/**
 * The whole core on one machine, wired from a synthesized CDK app: DynamoDB
 * Local with the template's tables, the local EventBridge bus with its rules,
 * and the AppSync API on the local server with the APPSYNC_JS engine.
 *
 * @example
 * const stack = await LocalStack.start({ cdkOut: 'cdk.out', port: 0 });
 * console.log(stack.graphqlUrl, stack.apiKey);
 * await stack.stop();
 */
import { parse, type OperationDefinitionNode } from 'graphql';
import { createTablesFromTemplate, DynamoDbLocal } from './dynamodb/DynamoDbLocal.ts';
import { closeDynamoDbClients } from './dynamodb/AppSyncDynamoDbDataSource.ts';
import {
  LocalEventBus,
  loadEventBridgeDefinitions,
  eventBridgeDefinitionsFromTemplate,
  type AppSyncTargetCall,
  type DeliveryLog,
  type DeliveryResult,
  type RetryTiming,
} from './eventbridge/index.ts';
import { LocalCredentials, type RoleCredentials } from './auth/localCredentials.ts';
import { LocalUserPool, type UserTokenRequest } from './auth/userPoolTokens.ts';
import { appSyncFieldArn, isAllowedByRole } from './iamPolicy.ts';
import { dataSourcesFor } from './dataSources.ts';
import { roleAuth } from './server/authorization.ts';
import { LocalGraphqlApi, type RequestLog } from './server/graphqlApi.ts';
import { LocalAppSyncServer } from './server/httpServer.ts';
import { ensureLocalCertificate } from './server/localCertificate.ts';
import type { ServerLimits } from './server/serverLimits.ts';
import { LocalScheduler } from './scheduler/LocalScheduler.ts';
import { readCloudAssembly, type AppSyncApiModel, type CloudAssemblyModel, type StackModel } from './template/cloudAssembly.ts';
import { noEchoMasker } from './template/parameters.ts';
import { LocalStepFunctions, StepFunctionsServer } from './stepfunctions/index.ts';
import { loadStateMachines, stepFunctionsTargetInvoker, stepFunctionsIntegrations } from './stepfunctions/localStackWiring.ts';
import { LocalPipes, pipesFromTemplate, type PipeBatchLog, type PipeTiming } from './pipes/index.ts';

export const DEFAULT_PORT = 20002;
export const DEFAULT_API_KEY = 'da2-fakeApiId123456';

export interface LocalStackOptions {
  /** The synthesized cloud assembly to serve. */
  cdkOut: string;
  /**
   * Values of the templates' parameters (`CfnParameter`), as `cdk deploy --parameters` takes them:
   * `{ Name: 'value' }` for every stack declaring `Name`, `{ 'Stack:Name': 'value' }` for one stack.
   * A parameter not given takes its `Default`; one with neither is refused at start.
   */
  parameters?: Record<string, string>;
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
  /** How often pipes poll their streams and how they back off when a batch fails (tests shorten both). */
  pipeTiming?: PipeTiming;
  /** Called once per pipe batch attempt (delivered, retrying, failed). */
  onPipeBatch?: (log: PipeBatchLog) => void;
  onRequest?: (log: RequestLog) => void;
  onDelivery?: (log: DeliveryLog) => void;
  onEvent?: (line: string) => void;
  /** Progress while starting: one short line per phase. */
  onProgress?: (phase: string) => void;
  /**
   * Overrides of the API's environment variables, as changing them in the AppSync console would
   * (for example `COMMAND_TIMEOUT_SECONDS` for a short deadline in tests).
   */
  environment?: Record<string, string>;
  /**
   * Fault injection for tests: called before the bus hands an event to an AppSync target.
   * Resolve `'drop'` to lose the delivery (the target never runs); delay before resolving to slow it.
   */
  interceptDelivery?: (call: AppSyncTargetCall) => Promise<'deliver' | 'drop'>;
  /** The server's limits (local/server/serverLimits.ts), for tests that reach them quickly; AppSync's and the chosen ones otherwise. */
  limits?: Partial<ServerLimits>;
}

/** What one cloud assembly contributes: its API (served) and the stack holding it. */
interface Served {
  assembly: CloudAssemblyModel;
  stack: StackModel;
  apiModel: AppSyncApiModel;
  api: LocalGraphqlApi;
}

export class LocalStack {
  private constructor(
    private readonly options: LocalStackOptions,
    private dynamoDbLocal: DynamoDbLocal,
    readonly bus: LocalEventBus,
    /** What is served now; the bus's AppSync invoker reads it at each delivery, so a reload takes effect at once. */
    private readonly serving: { served: Served },
    readonly scheduler: LocalScheduler,
    private readonly server: LocalAppSyncServer,
    readonly port: number,
    readonly apiKey: string,
    readonly caFile: string,
    /** Credentials issued at start, one set per IAM role of the template (new secrets each start). */
    readonly credentials: LocalCredentials,
    /** The local user pool, when the API has AMAZON_COGNITO_USER_POOLS. */
    readonly userPool: LocalUserPool | undefined,
    /** The template's state machines and their executions. */
    readonly stepFunctions: LocalStepFunctions,
    private readonly stepFunctionsServer: StepFunctionsServer,
    private readonly closeStepFunctionsTasks: () => void,
  ) {}

  /** The local Step Functions endpoint (JSON 1.0 protocol, SigV4 checked), for `@aws-sdk/client-sfn` or `aws --endpoint-url`. */
  get stepFunctionsEndpoint(): string {
    return this.stepFunctionsServer.endpoint;
  }

  /** The template's EventBridge pipes (DynamoDB stream sources), running against DynamoDB Local and the bus. */
  get pipes(): LocalPipes {
    return this.pipeRunner;
  }

  private pipeRunner!: LocalPipes;

  /**
   * The credentials to sign requests as a role of the template (by logical id or ARN), as any AWS SDK signs.
   *
   * @example
   * const { accessKeyId, secretAccessKey, sessionToken } = stack.credentialsFor('ReservationStoreRoleDD500CBF');
   */
  credentialsFor(roleLogicalIdOrArn: string): RoleCredentials {
    return this.credentials.forRole(roleLogicalIdOrArn);
  }

  /** A JWT of the local user pool for a user, for AMAZON_COGNITO_USER_POOLS requests (`Authorization: <token>`). */
  issueUserToken(request: UserTokenRequest): string {
    if (!this.userPool) throw new Error('This API has no AMAZON_COGNITO_USER_POOLS mode: pass a user pool to the stack to switch it on.');
    return this.userPool.issueToken(request);
  }

  /** The running DynamoDB Local (a new one after restartDynamoDb). */
  get dynamoDb(): DynamoDbLocal {
    return this.dynamoDbLocal;
  }

  /**
   * Fault injection: kill DynamoDB Local's Java process as a crash would (SIGKILL). Requests then fail
   * with the data source's connection error until restartDynamoDb.
   */
  async crashDynamoDb(): Promise<void> {
    process.kill(this.dynamoDbLocal.javaPid, 'SIGKILL');
    await this.dynamoDbLocal.exited;
  }

  /**
   * Start DynamoDB Local again on the same port and data directory (`persistDir` keeps the data):
   * the data sources reconnect by themselves, as they would to DynamoDB after an outage.
   */
  async restartDynamoDb(): Promise<void> {
    await this.pipes.stop();
    await this.dynamoDbLocal.stop();
    this.dynamoDbLocal = await DynamoDbLocal.start({ port: this.dynamoDbLocal.port, ...(this.options.persistDir ? { persistDir: this.options.persistDir } : {}) });
    await createTables(this.dynamoDbLocal, this.assembly);
    await this.pipes.start(pipesFromTemplate(this.serving.served.stack.resources, this.serving.served.stack.naming), this.serving.served.stack.roles);
  }

  get api(): LocalGraphqlApi {
    return this.serving.served.api;
  }

  get assembly(): CloudAssemblyModel {
    return this.serving.served.assembly;
  }

  /** Every stack's parameters as `DescribeStacks` shows them (NoEcho values masked), as `Stack:Name=value`. */
  get parameters(): string[] {
    return this.assembly.stacks.flatMap((stack) => stack.parameters.describe().map((parameter) => `${stack.stackName}:${parameter.ParameterKey}=${parameter.ParameterValue}`));
  }

  get tables(): string[] {
    return this.assembly.tables.map((table) => table.tableName);
  }

  get graphqlUrl(): string {
    return `http://localhost:${this.port}/graphql`;
  }

  get realtimeUrl(): string {
    return `ws://localhost:${this.port}/graphql/realtime`;
  }

  /** The rules the bus routes, as `bus/rule`. */
  get rules(): string[] {
    return this.bus.listEventBuses().EventBuses.flatMap((bus) => this.bus.listRules({ EventBusName: bus.Name }).Rules.map((rule) => `${bus.Name}/${rule.Name}`));
  }

  static async start(options: LocalStackOptions): Promise<LocalStack> {
    const progress = options.onProgress ?? (() => undefined);
    const apiKey = options.apiKey ?? DEFAULT_API_KEY;
    progress(`reading ${options.cdkOut}`);
    const assembly = readCloudAssembly(options.cdkOut, { parameters: options.parameters });
    options = withNoEchoMasked(options, assembly);
    const { stack, apiModel } = servedApiOf(assembly, options.cdkOut);
    const certificate = await ensureLocalCertificate(options.tlsDir ?? '.local/tls');
    if (certificate.created) progress(`made a local CA: ${certificate.caFile}`);

    progress(options.persistDir ? `starting DynamoDB Local (data in ${options.persistDir})` : 'starting DynamoDB Local (in memory)');
    const dynamoDb = await DynamoDbLocal.start(options.persistDir ? { persistDir: options.persistDir } : {});
    let bus: LocalEventBus | undefined;
    let server: LocalAppSyncServer | undefined;
    let stepFunctions: LocalStepFunctions | undefined;
    let stepFunctionsServer: StepFunctionsServer | undefined;
    let closeTasks: () => void = () => undefined;
    let pipes: LocalPipes | undefined;
    try {
      progress(`creating ${assembly.tables.length} table(s)`);
      await createTables(dynamoDb, assembly);

      // The bus calls the API and the API publishes to the bus: the invoker reads what is served at delivery time.
      const serving = {} as { served: Served };
      bus = new LocalEventBus({
        account: stack.account.accountId,
        region: stack.account.region,
        retry: options.busRetry,
        onDelivery: options.onDelivery,
        invokers: {
          appsync: async (call) => {
            if (options.interceptDelivery && (await options.interceptDelivery(call)) === 'drop') return { ok: true };
            return invokeAppSyncTarget(serving.served, call);
          },
          stepFunctions: (call) => stepFunctionsTargetInvoker(stepFunctions!, serving.served.stack.roles)(call),
        },
      });
      stepFunctions = new LocalStepFunctions({ region: stack.account.region, accountId: stack.account.accountId, onEvent: options.onEvent });
      const tasks = stepFunctionsIntegrations({ bus, dynamoDbEndpoint: dynamoDb.endpoint, region: stack.account.region });
      closeTasks = tasks.close;
      stepFunctions.useIntegrations(tasks.integrations);
      progress('loading state machines');
      loadStateMachines(stepFunctions, assembly, options.onEvent);
      const scheduler = new LocalScheduler({ bus, roles: stack.roles, accountId: stack.account.accountId, region: stack.account.region, onEvent: options.onEvent });
      progress('loading buses and rules');
      loadEventBridgeDefinitions(bus, eventBridgeDefinitionsFromTemplate(stack.resources, { resolve: (value) => value }));

      progress(`loading ${apiModel.resolvers.length} resolver(s) and ${Object.keys(apiModel.functions).length} function(s) into the APPSYNC_JS engine`);
      serving.served = { assembly, stack, apiModel, api: buildApi(apiModel, stack, dynamoDb, bus, scheduler, stepFunctions, apiKey, options) };
      progress('starting pipes');
      pipes = new LocalPipes({ dynamoDbEndpoint: dynamoDb.endpoint, bus, region: stack.account.region, timing: options.pipeTiming, onBatch: options.onPipeBatch, onEvent: options.onEvent });
      await pipes.start(pipesFromTemplate(stack.resources, stack.naming), stack.roles);
      const modes = [apiModel.defaultAuthentication, ...apiModel.additionalAuthentications];
      const credentials = new LocalCredentials(Object.values(stack.roles));
      const userPool = modes.includes('AMAZON_COGNITO_USER_POOLS') ? new LocalUserPool({ region: stack.account.region, userPoolId: userPoolIdOf(stack, apiModel) }) : undefined;
      server = new LocalAppSyncServer({
        api: serving.served.api,
        auth: { modes, apiKey, accountId: stack.account.accountId, region: stack.account.region, credentials, roles: stack.roles, userPool },
        port: options.port ?? DEFAULT_PORT,
        host: options.host,
        tls: { key: certificate.key, cert: certificate.cert },
        keepAliveMs: options.keepAliveMs,
        onEvent: options.onEvent,
      });
      const port = await server.start();
      stepFunctionsServer = await StepFunctionsServer.start(stepFunctions, { port: 0, host: options.host, credentials, region: stack.account.region });
      const local = new LocalStack(options, dynamoDb, bus, serving, scheduler, server, port, apiKey, certificate.caFile, credentials, userPool, stepFunctions, stepFunctionsServer, closeTasks);
      local.pipeRunner = pipes;
      return local;
    } catch (error) {
      await pipes?.stop();
      bus?.close();
      await stepFunctions?.close();
      closeTasks();
      await stepFunctionsServer?.stop();
      await server?.stop();
      await dynamoDb.stop();
      throw maskedError(error, assembly);
    }
  }

  /**
   * Serve a new synthesis of the app without a restart: tables created if new, rules replaced,
   * resolvers and schema rebuilt. Data in DynamoDB Local stays.
   */
  async reload(): Promise<void> {
    const assembly = readCloudAssembly(this.options.cdkOut, { parameters: this.options.parameters });
    const { stack, apiModel } = servedApiOf(assembly, this.options.cdkOut);
    await createTables(this.dynamoDb, assembly);
    const api = buildApi(apiModel, stack, this.dynamoDb, this.bus, this.scheduler, this.stepFunctions, this.apiKey, this.options);
    loadStateMachines(this.stepFunctions, assembly, this.options.onEvent);
    for (const eventBus of this.bus.listEventBuses().EventBuses) {
      for (const rule of this.bus.listRules({ EventBusName: eventBus.Name }).Rules) this.bus.deleteRule({ Name: rule.Name, EventBusName: eventBus.Name });
    }
    loadEventBridgeDefinitions(this.bus, eventBridgeDefinitionsFromTemplate(stack.resources, { resolve: (value) => value }));
    const previousPipes = pipeResourcesOf(this.serving.served.stack);
    this.serving.served = { assembly, stack, apiModel, api };
    this.server.replaceApi(api);
    // A pipe keeps its place in its stream across reloads unless its definition changed (as an unchanged pipe on a stack update).
    if (pipeResourcesOf(stack) !== previousPipes) {
      await this.pipes.stop();
      await this.pipes.start(pipesFromTemplate(stack.resources, stack.naming), stack.roles);
    }
  }

  /** Stop everything this stack started: server, bus timers, DynamoDB Local (its Java process too). */
  async stop(): Promise<void> {
    await this.server.stop();
    await this.pipes.stop();
    await this.stepFunctions.close();
    await this.stepFunctionsServer.stop();
    this.closeStepFunctionsTasks();
    this.scheduler.close();
    this.bus.close();
    closeDynamoDbClients();
    await this.dynamoDb.stop();
  }
}

/** The options with every log callback masking NoEcho parameter values, so no log line prints one. */
function withNoEchoMasked(options: LocalStackOptions, assembly: CloudAssemblyModel): LocalStackOptions {
  const mask = noEchoMaskerOf(assembly);
  const { onEvent, onDelivery, onPipeBatch } = options;
  return {
    ...options,
    onEvent: onEvent && ((line) => onEvent(mask(line))),
    onDelivery: onDelivery && ((log) => onDelivery(log.error === undefined ? log : { ...log, error: mask(log.error) })),
    onPipeBatch: onPipeBatch && ((log) => onPipeBatch(log.error === undefined ? log : { ...log, error: { ...log.error, message: mask(log.error.message) } })),
  };
}

function noEchoMaskerOf(assembly: CloudAssemblyModel): (text: string) => string {
  return noEchoMasker(assembly.stacks.flatMap((stack) => stack.parameters.secrets()));
}

/** The stack's pipe resources as text, to tell whether a reload changed them. */
function pipeResourcesOf(stack: StackModel): string {
  return JSON.stringify(Object.entries(stack.resources).filter(([, resource]) => resource.Type === 'AWS::Pipes::Pipe'));
}

/** A start failure's message with NoEcho values masked: the CLI prints it. */
function maskedError(error: unknown, assembly: CloudAssemblyModel): unknown {
  if (error instanceof Error) error.message = noEchoMaskerOf(assembly)(error.message);
  return error;
}

function servedApiOf(assembly: CloudAssemblyModel, cdkOut: string): { stack: StackModel; apiModel: AppSyncApiModel } {
  if (assembly.apis.length !== 1) {
    throw new Error(`The local runtime serves one AppSync API per port; ${cdkOut} defines ${assembly.apis.length}.`);
  }
  const apiModel = assembly.apis[0]!;
  return { apiModel, stack: assembly.stacks.find((candidate) => candidate.apis.includes(apiModel))! };
}

async function createTables(dynamoDb: DynamoDbLocal, assembly: CloudAssemblyModel): Promise<void> {
  const client = dynamoDb.createClient();
  try {
    // Names as the template loader resolved them, so `Ref`s in resolvers and environment agree.
    await createTablesFromTemplate(
      client,
      Object.fromEntries(assembly.tables.map((table) => [table.logicalId, { Type: table.type, Properties: { ...table.properties, TableName: table.tableName } }])),
    );
  } finally {
    client.destroy();
  }
}

function buildApi(
  apiModel: AppSyncApiModel,
  stack: StackModel,
  dynamoDb: DynamoDbLocal,
  bus: LocalEventBus,
  scheduler: LocalScheduler,
  stepFunctions: LocalStepFunctions,
  apiKey: string,
  options: LocalStackOptions,
): LocalGraphqlApi {
  const model = options.environment ? { ...apiModel, environment: { ...apiModel.environment, ...options.environment } } : apiModel;
  return new LocalGraphqlApi(model, {
    apiKey,
    accountId: stack.account.accountId,
    dataSources: dataSourcesFor(model, { dynamoDbEndpoint: dynamoDb.endpoint, bus, scheduler, stepFunctions }),
    onRequest: options.onRequest,
    limits: { ...options.limits, ...limitsOf(stack, apiModel) },
  });
}

/** The API's `QueryDepthLimit` and `ResolverCountLimit`, when the template sets them. */
function limitsOf(stack: StackModel, apiModel: AppSyncApiModel): { queryDepthLimit?: number; resolverCountLimit?: number } {
  const props = stack.resources[apiModel.logicalId]?.Properties ?? {};
  return { queryDepthLimit: Number(props.QueryDepthLimit ?? 0), resolverCountLimit: Number(props.ResolverCountLimit ?? 0) };
}

/** The user pool the API names for AMAZON_COGNITO_USER_POOLS (its id as the template resolves it), else a local one. */
function userPoolIdOf(stack: StackModel, apiModel: AppSyncApiModel): string {
  const props = stack.resources[apiModel.logicalId]?.Properties ?? {};
  const providers = [props, ...((props.AdditionalAuthenticationProviders ?? []) as Record<string, unknown>[])];
  const config = providers.find((provider) => provider.AuthenticationType === 'AMAZON_COGNITO_USER_POOLS')?.UserPoolConfig as { UserPoolId?: unknown } | undefined;
  return typeof config?.UserPoolId === 'string' ? config.UserPoolId : `${stack.account.region}_local`;
}

/**
 * An AppSync rule target, called in-process as the rule's IAM role: the role must be allowed
 * `appsync:GraphQL` on every root field of the operation (as AWS checks it), then the operation runs
 * exactly as an HTTP request would, subscriptions included. A GraphQL error is a failed attempt, so
 * the rule's retry policy applies to a store that is briefly unavailable.
 */
async function invokeAppSyncTarget(served: Served, call: AppSyncTargetCall): Promise<DeliveryResult> {
  const { api, stack } = served;
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
  const response = await api.execute({ query: call.operation, variables: call.variables }, roleAuth(call.roleArn!, stack.account.accountId, role), {
    headers: { 'user-agent': 'local-eventbridge' },
    sourceIp: '127.0.0.1',
    domainName: null,
  });
  if (response.errors && response.errors.length > 0) {
    return { ok: false, error: new Error(response.errors.map((error) => `${'errorType' in error && error.errorType ? `${error.errorType}: ` : ''}${error.message}`).join('; ')) };
  }
  return { ok: true };
}
