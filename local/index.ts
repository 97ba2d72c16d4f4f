/**
 * The local runtime as a library: the one module tests, benchmarks, examples, dev/ and scripts/
 * import (a lint rule refuses deep imports of local/ from outside it). Each section is one part of
 * the runtime; `npm start` (cli.ts) is a thin shell over LocalStack.
 *
 * @example
 * import { LocalStack, synthesize } from '../local/index.ts';
 * const stack = await LocalStack.start({ cdkOut: (await synthesize(process.cwd())).outdir, port: 0 });
 * console.log(stack.graphqlUrl, stack.apiKey);
 * await stack.stop();
 */

// The whole core, wired from a synthesized CDK app.
export { LocalStack, DEFAULT_API_KEY, DEFAULT_PORT, type LocalStackOptions } from './localStack.ts';
export { synthesize } from './synth.ts';

// Reading a cloud assembly: templates, parameters, intrinsics, assets.
export {
  readCloudAssembly,
  readStackTemplate,
  type AppSyncApiModel,
  type CloudAssemblyModel,
  type DataSourceModel,
  type IamRoleModel,
  type StackModel,
} from './template/cloudAssembly.ts';
export {
  noEchoMasker,
  parametersForStack,
  refuseUnknownParameters,
  resolveStackParameters,
  type ParameterDeclaration,
} from './template/parameters.ts';
export { IntrinsicResolver } from './template/intrinsics.ts';
export { AssemblyAssets } from './template/assets.ts';

// The APPSYNC_JS engine.
export * from './engine/index.ts';
// Its runtime modules one by one, for the engine benchmark (bench/engine.ts).
export { checkSource } from './engine/check/checkCode.ts';
export { transformModule } from './engine/load/transformModule.ts';
export { createDynamoDbModule } from './engine/runtime/dynamodbModule.ts';
export { createExtensionsModule } from './engine/runtime/extensions.ts';
export { createRuntimeModule } from './engine/runtime/runtimeModule.ts';
export { createUtil, type CreateUtilOptions, type Util } from './engine/runtime/util/index.ts';

// DynamoDB: DynamoDB Local, AppSync's data source on it, streams.
export {
  AppSyncDynamoDbDataSource,
  createDataSourceClient,
  createTablesFromTemplate,
  defaultJarDir,
  DynamoDbLocal,
  DYNAMODB_LOCAL_CREDENTIALS,
  DYNAMODB_LOCAL_REGION,
  FAST_START_JVM_OPTIONS,
  invokeDynamoDb,
  JAVA_MISSING_MESSAGE,
  type AppSyncDynamoDbDataSourceOptions,
  type DataSourceClientOptions,
  type DynamoDbDataSourceResponse,
  type DynamoDbLocalOptions,
  type InvokeOptions,
  type TemplateResource,
} from './dynamodb/index.ts';
export { DynamoDbStreamReader } from './dynamodb/streams.ts';

// EventBridge, Pipes, Scheduler, Step Functions.
export * from './eventbridge/index.ts';
export * from './pipes/index.ts';
export { LocalScheduler } from './scheduler/LocalScheduler.ts';
export * from './stepfunctions/index.ts';
export { stepFunctionsIntegrations, stepFunctionsTargetInvoker } from './stepfunctions/localStackWiring.ts';

// Node.js Lambda functions: the handler host, AppSync's Lambda data source, rule targets.
export * from './lambda/index.ts';

// The AppSync API and its server.
export {
  LocalGraphqlApi,
  DEFAULT_RESOLVER_COUNT_LIMIT,
  type GraphQLResponse,
  type LocalGraphqlApiOptions,
  type RequestLog,
} from './server/graphqlApi.ts';
export { LocalAppSyncServer, type LocalAppSyncServerOptions } from './server/httpServer.ts';

// The local console (/_local): the runtime's own records as JSON and one page.
export {
  CONSOLE_PATH,
  EventStreams,
  executionGraph,
  LocalConsole,
  type ExecutionGraph,
  type SearchMatch,
  type StreamTable,
} from './console/index.ts';
export { ensureLocalCertificate } from './server/localCertificate.ts';
export { DEFAULT_SERVER_LIMITS, type ServerLimits } from './server/serverLimits.ts';
export { checkDocument, tokenCount } from './server/documentCheck/documentCheck.ts';
