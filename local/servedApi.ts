/**
 * What a LocalStack serves from one cloud assembly: its one AppSync API (built on the engine with
 * the template's data sources and limits), the stack holding it, and the tables it needs.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LoadedCodes } from './engine/index.ts';
import type { DocumentChecker } from './server/documentCheck/documentChecker.ts';
import { dataSourcesFor } from './dataSources.ts';
import { createTablesFromTemplate, DYNAMODB_LOCAL_CREDENTIALS, type DynamoDbLocal } from './dynamodb/DynamoDbLocal.ts';
import type { LocalEventBus } from './eventbridge/index.ts';
import {
  lambdaFunctionsOf,
  LocalLambda,
  type AsyncInvocationOptions,
  type LambdaFunctionDefinition,
  type SkippedFunction,
} from './lambda/index.ts';
import { AssemblyAssets } from './template/assets.ts';
import type { LocalStackOptions } from './localStack.ts';
import type { LocalScheduler } from './scheduler/LocalScheduler.ts';
import { LocalGraphqlApi, startDocumentChecker, type LocalGraphqlApiOptions } from './server/graphqlApi.ts';
import type { LocalStepFunctions } from './stepfunctions/index.ts';
import { LambdaAuthorizer } from './server/lambdaAuthorizer/lambdaAuthorizer.ts';
import { serverLimits } from './server/serverLimits.ts';
import type { AppSyncApiModel, CloudAssemblyModel, StackModel } from './template/cloudAssembly.ts';

/** What one cloud assembly contributes: its API (served) and the stack holding it. */
export interface Served {
  assembly: CloudAssemblyModel;
  stack: StackModel;
  apiModel: AppSyncApiModel;
  api: LocalGraphqlApi;
  /** The stack's Node.js Lambda functions; rule targets and Step Functions tasks read it at call time. */
  lambda: LocalLambda;
}

/** The stack's pipe resources as text, to tell whether a reload changed them. */
export function pipeResourcesOf(stack: StackModel): string {
  return JSON.stringify(Object.entries(stack.resources).filter(([, resource]) => resource.Type === 'AWS::Pipes::Pipe'));
}

export function servedApiOf(assembly: CloudAssemblyModel, cdkOut: string): { stack: StackModel; apiModel: AppSyncApiModel } {
  if (assembly.apis.length !== 1) {
    throw new Error(`The local runtime serves one AppSync API per port; ${cdkOut} defines ${assembly.apis.length}.`);
  }
  const apiModel = assembly.apis[0]!;
  return { apiModel, stack: assembly.stacks.find((candidate) => candidate.apis.includes(apiModel))! };
}

export async function createTables(dynamoDb: DynamoDbLocal, assembly: CloudAssemblyModel): Promise<void> {
  const client = dynamoDb.createClient();
  try {
    // Names as the template loader resolved them, so `Ref`s in resolvers and environment agree.
    await createTablesFromTemplate(
      client,
      Object.fromEntries(
        assembly.tables.map((table) => [
          table.logicalId,
          { Type: table.type, Properties: { ...table.properties, TableName: table.tableName } },
        ]),
      ),
    );
  } finally {
    client.destroy();
  }
}

export function buildApi(
  apiModel: AppSyncApiModel,
  stack: StackModel,
  dynamoDbClient: DynamoDBClient,
  bus: LocalEventBus,
  scheduler: LocalScheduler,
  stepFunctions: LocalStepFunctions,
  lambda: LocalLambda,
  apiKey: string,
  options: LocalStackOptions,
  prepared: Partial<PreparedApi> = {},
): LocalGraphqlApi {
  const model = options.environment ? { ...apiModel, environment: { ...apiModel.environment, ...options.environment } } : apiModel;
  return new LocalGraphqlApi(model, {
    apiKey,
    accountId: stack.account.accountId,
    dataSources: dataSourcesFor(model, { dynamoDbClient, bus, scheduler, stepFunctions, lambda }),
    onRequest: options.onRequest,
    limits: apiLimits(stack, apiModel, options),
    codes: prepared.codes,
    checker: prepared.checker,
  });
}

/** What a start prepares of its API while DynamoDB Local starts: the codes to load, the document-check worker started. */
export interface PreparedApi {
  codes: LoadedCodes;
  checker: DocumentChecker;
}

export function prepareApi(apiModel: AppSyncApiModel, stack: StackModel, options: LocalStackOptions): PreparedApi {
  return { codes: new LoadedCodes(), checker: startDocumentChecker(apiModel, apiLimits(stack, apiModel, options)) };
}

function apiLimits(stack: StackModel, apiModel: AppSyncApiModel, options: LocalStackOptions): LocalGraphqlApiOptions['limits'] {
  return { ...options.limits, ...limitsOf(stack, apiModel) };
}

/**
 * The assembly's Node.js Lambda functions, ready to run (each starts its first child process at its first
 * invocation). AWS SDK clients in a function reach DynamoDB Local (`AWS_ENDPOINT_URL_DYNAMODB`, the SDK's
 * service endpoint variable) with its local credentials; function logs go to `onLog`; `async` connects
 * asynchronous invocations to the bus (EventBridge destinations) and scales their retry delays.
 */
export function lambdaFunctionsFor(
  assembly: CloudAssemblyModel,
  dynamoDbEndpoint: string,
  onLog?: (line: string) => void,
  async?: AsyncInvocationOptions,
): LocalLambda {
  const assets = AssemblyAssets.read(assembly.directory);
  const functions: LambdaFunctionDefinition[] = [];
  const skipped: SkippedFunction[] = [];
  for (const stack of assembly.stacks) {
    const found = lambdaFunctionsOf(stack, assets);
    functions.push(...found.functions);
    skipped.push(...found.skipped);
  }
  const account = assembly.stacks[0]!.account;
  return new LocalLambda(functions, {
    region: account.region,
    accountId: account.accountId,
    onLog,
    skipped,
    async,
    extraEnvironment: {
      AWS_ENDPOINT_URL_DYNAMODB: dynamoDbEndpoint,
      AWS_ACCESS_KEY_ID: DYNAMODB_LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: DYNAMODB_LOCAL_CREDENTIALS.secretAccessKey,
    },
  });
}

/** The API's `QueryDepthLimit` and `ResolverCountLimit`, when the template sets them. */
function limitsOf(stack: StackModel, apiModel: AppSyncApiModel): { queryDepthLimit?: number; resolverCountLimit?: number } {
  const props = stack.resources[apiModel.logicalId]?.Properties ?? {};
  return { queryDepthLimit: Number(props.QueryDepthLimit ?? 0), resolverCountLimit: Number(props.ResolverCountLimit ?? 0) };
}

/** The user pool the API names for AMAZON_COGNITO_USER_POOLS (its id as the template resolves it), else a local one. */
export function userPoolIdOf(stack: StackModel, apiModel: AppSyncApiModel): string {
  const props = stack.resources[apiModel.logicalId]?.Properties ?? {};
  const providers = [props, ...((props.AdditionalAuthenticationProviders ?? []) as Record<string, unknown>[])];
  const config = providers.find((provider) => provider.AuthenticationType === 'AMAZON_COGNITO_USER_POOLS')?.UserPoolConfig as
    { UserPoolId?: unknown } | undefined;
  return typeof config?.UserPoolId === 'string' ? config.UserPoolId : `${stack.account.region}_local`;
}

/**
 * The API's Lambda authorizer (AWS_LAMBDA), invoking the function that is served at call time (a reload's new code).
 * A function the runtime does not run is refused at start, naming it.
 */
export function lambdaAuthorizerFor(
  apiModel: AppSyncApiModel,
  accountId: string,
  lambda: () => LocalLambda,
  options: LocalStackOptions,
): LambdaAuthorizer | undefined {
  const model = apiModel.lambdaAuthorizer;
  if (!model) return undefined;
  try {
    lambda().runnerOf(model.functionArn);
  } catch (error) {
    throw new Error(
      `The Lambda authorizer of AppSync API ${apiModel.name} is ${model.functionArn}, which the local runtime does not run: ${(error as Error).message}`,
    );
  }
  return new LambdaAuthorizer(model, {
    apiId: apiModel.apiId,
    accountId,
    timeoutMs: serverLimits(options.limits).lambdaAuthorizerTimeoutMs,
    onEvent: options.onEvent,
    invoke: (functionArn, event) => lambda().invoke({ functionName: functionArn, payload: event }),
  });
}
