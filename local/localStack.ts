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
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbLocal } from './dynamodb/DynamoDbLocal.ts';
import { createDataSourceClient } from './dynamodb/dataSourceClient.ts';
import {
  LocalEventBus,
  loadEventBridgeDefinitions,
  eventBridgeDefinitionsFromTemplate,
  type AppSyncTargetCall,
  type DeliveryLog,
  type RetryTiming,
} from './eventbridge/index.ts';
import { LocalCredentials, type RoleCredentials } from './auth/localCredentials.ts';
import { LocalUserPool, type UserTokenRequest } from './auth/userPoolTokens.ts';
import { invokeAppSyncTarget } from './appSyncRuleTarget.ts';
import { maskedError, noEchoMaskerOf, withNoEchoMasked } from './noEchoMasking.ts';
import {
  buildApi,
  createTables,
  lambdaAuthorizerFor,
  lambdaFunctionsFor,
  pipeResourcesOf,
  servedApiOf,
  userPoolIdOf,
  type Served,
} from './servedApi.ts';
import { lambdaRuleTargetInvoker, type LocalLambda } from './lambda/index.ts';
import type { LambdaAuthorizer } from './server/lambdaAuthorizer/lambdaAuthorizer.ts';
import { LocalGraphqlApi, type RequestLog } from './server/graphqlApi.ts';
import { startBesideJava } from './startBesideJava.ts';
import { LoadedCodes } from './engine/index.ts';
import { LocalAppSyncServer } from './server/httpServer.ts';
import { ensureLocalCertificate } from './server/localCertificate.ts';
import type { ServerLimits } from './server/serverLimits.ts';
import { LocalScheduler } from './scheduler/LocalScheduler.ts';
import { readCloudAssembly, type CloudAssemblyModel } from './template/cloudAssembly.ts';
import { LocalStepFunctions, StepFunctionsServer } from './stepfunctions/index.ts';
import { loadStateMachines, stepFunctionsTargetInvoker, stepFunctionsIntegrations } from './stepfunctions/localStackWiring.ts';
import { LocalPipes, pipesFromTemplate, type PipeBatchLog, type PipeTiming } from './pipes/index.ts';
import { CONSOLE_PATH, EventStreams, LocalConsole, RecentRecords } from './console/index.ts';
import { DEFAULT_API_KEY, DEFAULT_PORT } from './defaults.ts';
import { journalDirOf, resumePersistedState } from './persistedState.ts';

export { DEFAULT_API_KEY, DEFAULT_PORT };

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
  /**
   * Keep the stack's state in this directory: DynamoDB's data, Step Functions' Standard executions
   * (`<dir>/stepfunctions/`), Lambda's asynchronous queue (`<dir>/lambda/`), the bus's deliveries under way
   * (`<dir>/eventbridge/`) and the Scheduler's schedules (`<dir>/scheduler/`), all resumed by a stack started
   * again on it (local/persistedState.ts). Default in memory.
   */
  persistDir?: string;
  /**
   * A DynamoDB Local already starting, with this `persistDir` (npm start launches it while the app
   * synthesizes: Java's start and the synthesis then share the machine's cores instead of taking turns).
   * The stack takes it over and stops it with itself. Default: the stack starts its own.
   */
  dynamoDb?: Promise<DynamoDbLocal>;
  /** Where the local CA and certificate live; default `.local/tls`. */
  tlsDir?: string;
  keepAliveMs?: number;
  busRetry?: RetryTiming;
  /**
   * Scales Lambda's asynchronous-invocation retry delays (1 and 2 minutes) and event age; default 1, AWS's
   * timing. Tests set a small one (0.001: 60 and 120 ms).
   */
  lambdaAsyncDelayScale?: number;
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
  /** The subscription GraphiQL's default tabs open on (local/graphiql/defaultTabs.ts); else the schema's first with an id. */
  graphiqlSubscription?: string;
  /** The server's limits (local/server/serverLimits.ts), for tests that reach them quickly; AppSync's and the chosen ones otherwise. */
  limits?: Partial<ServerLimits>;
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
    /** The client of the API's AMAZON_DYNAMODB data sources: this stack made it and destroys it at stop (callers may use it, not destroy it). */
    readonly dataSourceClient: DynamoDBClient,
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
   * Fault injection: end DynamoDB Local's Java process at once. Requests then fail with the data
   * source's connection error until restartDynamoDb.
   *
   * By default as a crash would (SIGKILL), which may lose DynamoDB Local's latest acknowledged
   * writes (SQLite): measured, 1 write lost in 2 of 8 rounds of about 40–100 acknowledged writes,
   * and a booking once CONFIRMED whose stored reservation was gone. DynamoDB itself never does:
   * "When your application writes data to a DynamoDB table and receives an HTTP 200 response (OK),
   * the write has occurred and is durable"
   * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.ReadConsistency.html).
   * `keepAcknowledgedWrites` models that outage instead: SIGTERM, which ends Java as abruptly for
   * every client but lets it close its database (0 lost in 8 rounds of 40–90 writes).
   */
  async crashDynamoDb(options: { keepAcknowledgedWrites?: boolean } = {}): Promise<void> {
    process.kill(this.dynamoDbLocal.javaPid, options.keepAcknowledgedWrites ? 'SIGTERM' : 'SIGKILL');
    await this.dynamoDbLocal.exited;
  }

  /**
   * Start DynamoDB Local again on the same port and data directory (`persistDir` keeps the data):
   * the data sources reconnect by themselves, as they would to DynamoDB after an outage.
   */
  async restartDynamoDb(): Promise<void> {
    await this.pipes.stop();
    await this.dynamoDbLocal.stop();
    this.dynamoDbLocal = await DynamoDbLocal.start({
      port: this.dynamoDbLocal.port,
      ...(this.options.persistDir ? { persistDir: this.options.persistDir } : {}),
    });
    await createTables(this.dynamoDbLocal, this.assembly);
    await this.pipes.start(
      pipesFromTemplate(this.serving.served.stack.resources, this.serving.served.stack.naming),
      this.serving.served.stack.roles,
    );
  }

  get api(): LocalGraphqlApi {
    return this.serving.served.api;
  }

  /** The template's Node.js Lambda functions (and the custom-resource functions it skips). */
  get lambda(): LocalLambda {
    return this.serving.served.lambda;
  }

  get assembly(): CloudAssemblyModel {
    return this.serving.served.assembly;
  }

  /** Every stack's parameters as `DescribeStacks` shows them (NoEcho values masked), as `Stack:Name=value`. */
  get parameters(): string[] {
    return this.assembly.stacks.flatMap((stack) =>
      stack.parameters.describe().map((parameter) => `${stack.stackName}:${parameter.ParameterKey}=${parameter.ParameterValue}`),
    );
  }

  /** The API's auth modes, default first, as the start-up summary shows them (the Lambda authorizer's function and cache). */
  get authModes(): string[] {
    const { apiModel } = this.serving.served;
    const authorizer = apiModel.lambdaAuthorizer;
    return [apiModel.defaultAuthentication, ...apiModel.additionalAuthentications].map((mode, index) => {
      const notes = index === 0 ? ['default'] : [];
      if (mode === 'AWS_LAMBDA' && authorizer) {
        const name = authorizer.functionArn.split(':function:')[1] ?? authorizer.functionArn;
        notes.push(`authorizer ${name}, answers kept ${authorizer.resultTtlSeconds} s`);
      }
      return notes.length > 0 ? `${mode} (${notes.join('; ')})` : mode;
    });
  }

  get tables(): string[] {
    return this.assembly.tables.map((table) => table.tableName);
  }

  get graphqlUrl(): string {
    return `http://localhost:${this.port}/graphql`;
  }

  /** The local console (local/console): event streams, deliveries, schedules, executions, pipe batches. */
  get consoleUrl(): string {
    return `http://localhost:${this.port}${CONSOLE_PATH}`;
  }

  get realtimeUrl(): string {
    return `ws://localhost:${this.port}/graphql/realtime`;
  }

  /** The rules the bus routes, as `bus/rule`. */
  get rules(): string[] {
    return this.bus
      .listEventBuses()
      .EventBuses.flatMap((bus) => this.bus.listRules({ EventBusName: bus.Name }).Rules.map((rule) => `${bus.Name}/${rule.Name}`));
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

    const { dynamoDb, prepared, tablesCreated } = await startBesideJava(assembly, { stack, apiModel }, options, progress);
    // Same port after restartDynamoDb, so this client serves the stack's whole life.
    const dataSourceClient = createDataSourceClient(dynamoDb.endpoint);
    // What the console shows of the bus and the pipes, which keep no history themselves.
    const recent = new RecentRecords();
    let bus: LocalEventBus | undefined;
    let server: LocalAppSyncServer | undefined;
    let stepFunctions: LocalStepFunctions | undefined;
    let stepFunctionsServer: StepFunctionsServer | undefined;
    let closeTasks: () => void = () => undefined;
    let pipes: LocalPipes | undefined;
    let lambda: LocalLambda | undefined;
    try {
      await tablesCreated;

      // The bus calls the API and the API publishes to the bus: the invoker reads what is served at delivery time.
      const serving = {} as { served: Served };
      // Lambda's EventBridge destinations put their records on the bus, made just below.
      lambda = lambdaFunctionsFor(assembly, dynamoDb.endpoint, options.onEvent, {
        delayScale: options.lambdaAsyncDelayScale,
        putEvents: (request) => bus!.putEvents(request),
        ...journalDirOf(options, 'lambda'),
      });
      progress(lambdaSummary(lambda));
      bus = new LocalEventBus({
        account: stack.account.accountId,
        region: stack.account.region,
        retry: options.busRetry,
        ...journalDirOf(options, 'eventbridge'),
        onEvent: options.onEvent,
        onDelivery: (log) => {
          recent.delivery(log);
          options.onDelivery?.(log);
        },
        invokers: {
          appsync: async (call) => {
            if (options.interceptDelivery && (await options.interceptDelivery(call)) === 'drop') return { ok: true };
            return invokeAppSyncTarget(serving.served, call);
          },
          stepFunctions: (call) => stepFunctionsTargetInvoker(stepFunctions!, serving.served.stack.roles)(call),
          lambda: lambdaRuleTargetInvoker(() => serving.served.lambda),
        },
      });
      stepFunctions = new LocalStepFunctions({
        region: stack.account.region,
        accountId: stack.account.accountId,
        onEvent: options.onEvent,
        ...journalDirOf(options, 'stepfunctions'),
      });
      const tasks = stepFunctionsIntegrations({
        bus,
        dynamoDbEndpoint: dynamoDb.endpoint,
        region: stack.account.region,
        lambda: (request) => serving.served.lambda.invoke(request),
      });
      closeTasks = tasks.close;
      stepFunctions.useIntegrations(tasks.integrations);
      progress('loading state machines');
      loadStateMachines(stepFunctions, assembly, options.onEvent);
      const scheduler = new LocalScheduler({
        bus,
        roles: stack.roles,
        accountId: stack.account.accountId,
        region: stack.account.region,
        ...journalDirOf(options, 'scheduler'),
        onEvent: options.onEvent,
      });
      progress('loading buses and rules');
      loadEventBridgeDefinitions(bus, eventBridgeDefinitionsFromTemplate(stack.resources, { resolve: (value) => value }));

      progress('building the GraphQL API');
      serving.served = {
        assembly,
        stack,
        apiModel,
        lambda,
        api: buildApi(apiModel, stack, dataSourceClient, bus, scheduler, stepFunctions, lambda, apiKey, options, prepared),
      };
      progress('starting pipes');
      pipes = new LocalPipes({
        dynamoDbEndpoint: dynamoDb.endpoint,
        bus,
        services: { stepFunctions, lambda: () => serving.served.lambda },
        region: stack.account.region,
        timing: options.pipeTiming,
        onBatch: (log) => {
          recent.pipeBatch(log);
          options.onPipeBatch?.(log);
        },
        onEvent: options.onEvent,
      });
      await pipes.start(pipesFromTemplate(stack.resources, stack.naming), stack.roles);
      const modes = [apiModel.defaultAuthentication, ...apiModel.additionalAuthentications];
      const credentials = new LocalCredentials(Object.values(stack.roles));
      const userPool = modes.includes('AMAZON_COGNITO_USER_POOLS')
        ? new LocalUserPool({ region: stack.account.region, userPoolId: userPoolIdOf(stack, apiModel) })
        : undefined;
      const lambdaAuthorizer = lambdaAuthorizerFor(apiModel, stack.account.accountId, () => serving.served.lambda, options);
      server = new LocalAppSyncServer({
        api: serving.served.api,
        auth: {
          modes,
          apiKey,
          accountId: stack.account.accountId,
          region: stack.account.region,
          credentials,
          roles: stack.roles,
          userPool,
          lambdaAuthorizer,
        },
        port: options.port ?? DEFAULT_PORT,
        host: options.host,
        tls: { key: certificate.key, cert: certificate.cert },
        keepAliveMs: options.keepAliveMs,
        onEvent: options.onEvent,
        graphiqlSubscription: options.graphiqlSubscription,
        console: new LocalConsole(
          {
            streams: new EventStreams(dataSourceClient, () => serving.served.assembly.tables.map((table) => table.tableName)),
            recent,
            bus,
            scheduler,
            stepFunctions,
            pipes: () => pipes!,
            lambda: () => serving.served.lambda,
          },
          { mask: (text) => noEchoMaskerOf(serving.served.assembly)(text) },
        ),
      });
      const port = await server.start();
      stepFunctionsServer = await StepFunctionsServer.start(stepFunctions, {
        port: 0,
        host: options.host,
        credentials,
        region: stack.account.region,
      });
      const local = new LocalStack(
        options,
        dynamoDb,
        bus,
        serving,
        scheduler,
        server,
        port,
        apiKey,
        certificate.caFile,
        credentials,
        userPool,
        stepFunctions,
        stepFunctionsServer,
        closeTasks,
        dataSourceClient,
      );
      local.pipeRunner = pipes;
      // Last, once everything a task calls is up: what a previous run left unfinished goes on.
      resumePersistedState({ stepFunctions, lambda, bus, scheduler }, progress);
      return local;
    } catch (error) {
      await pipes?.stop();
      lambda?.stop();
      bus?.close();
      await stepFunctions?.close();
      closeTasks();
      await stepFunctionsServer?.stop();
      await server?.stop();
      await prepared.checker.close();
      dataSourceClient.destroy();
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
    const lambda = lambdaFunctionsFor(assembly, this.dynamoDb.endpoint, this.options.onEvent, {
      delayScale: this.options.lambdaAsyncDelayScale,
      putEvents: (request) => this.bus.putEvents(request),
      ...journalDirOf(this.options, 'lambda'),
    });
    let api: LocalGraphqlApi;
    let lambdaAuthorizer: LambdaAuthorizer | undefined;
    try {
      // The Lambda authorizer as the new template has it, calling this reload's functions (it starts with no kept answers).
      lambdaAuthorizer = lambdaAuthorizerFor(apiModel, stack.account.accountId, () => lambda, this.options);
      api = buildApi(
        apiModel,
        stack,
        this.dataSourceClient,
        this.bus,
        this.scheduler,
        this.stepFunctions,
        lambda,
        this.apiKey,
        this.options,
        // Unchanged codes are not loaded again: a reload after one edit loads one code.
        { codes: new LoadedCodes(this.serving.served.api.codes) },
      );
    } catch (error) {
      lambda.stop();
      throw error;
    }
    loadStateMachines(this.stepFunctions, assembly, this.options.onEvent);
    for (const eventBus of this.bus.listEventBuses().EventBuses) {
      for (const rule of this.bus.listRules({ EventBusName: eventBus.Name }).Rules)
        this.bus.deleteRule({ Name: rule.Name, EventBusName: eventBus.Name });
    }
    loadEventBridgeDefinitions(this.bus, eventBridgeDefinitionsFromTemplate(stack.resources, { resolve: (value) => value }));
    const previousPipes = pipeResourcesOf(this.serving.served.stack);
    // New code starts in new execution environments, as a deployment does.
    const previousLambda = this.serving.served.lambda;
    this.serving.served = { assembly, stack, apiModel, api, lambda };
    previousLambda.stop();
    // With --persist the queue is on disk: what the previous functions left waiting goes on with the new code.
    lambda.resumeJournaledInvocations();
    this.server.replaceApi(api, {
      ...this.server.auth,
      modes: [apiModel.defaultAuthentication, ...apiModel.additionalAuthentications],
      lambdaAuthorizer,
    });
    // A pipe keeps its place in its stream across reloads unless its definition changed (as an unchanged pipe on a stack update).
    if (pipeResourcesOf(stack) !== previousPipes) {
      await this.pipes.stop();
      await this.pipes.start(pipesFromTemplate(stack.resources, stack.naming), stack.roles);
    }
  }

  /** Stop everything this stack started: executions, server, bus timers, DynamoDB Local (its Java process too). */
  async stop(): Promise<void> {
    // Executions first, while what their tasks call is still up: a durable one stops where it is (nothing
    // more written), not half-way through the others' shutdown.
    await this.stepFunctions.close();
    await this.server.stop();
    await this.pipes.stop();
    this.lambda.stop();
    await this.stepFunctionsServer.stop();
    this.closeStepFunctionsTasks();
    this.scheduler.close();
    this.bus.close();
    this.dataSourceClient.destroy();
    await this.dynamoDb.stop();
  }
}

/** The start-up line about Lambda functions: those run, those skipped (custom resources) and why. */
function lambdaSummary(lambda: LocalLambda): string {
  const run =
    lambda.functionNames.length === 0 ? 'no Lambda functions to run' : `running Lambda function(s) ${lambda.functionNames.join(', ')}`;
  const skipped = lambda.skipped.map((fn) => `${fn.name} (${fn.why})`);
  return skipped.length === 0 ? run : `${run}; skipped, not run: ${skipped.join('; ')}`;
}
