/**
 * What a LocalStack serves from one cloud assembly: its one AppSync API (built on the engine with
 * the template's data sources and limits), the stack holding it, and the tables it needs.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { dataSourcesFor } from './dataSources.ts';
import { createTablesFromTemplate, type DynamoDbLocal } from './dynamodb/DynamoDbLocal.ts';
import type { LocalEventBus } from './eventbridge/index.ts';
import type { LocalStackOptions } from './localStack.ts';
import type { LocalScheduler } from './scheduler/LocalScheduler.ts';
import { LocalGraphqlApi } from './server/graphqlApi.ts';
import type { LocalStepFunctions } from './stepfunctions/index.ts';
import type { AppSyncApiModel, CloudAssemblyModel, StackModel } from './template/cloudAssembly.ts';

/** What one cloud assembly contributes: its API (served) and the stack holding it. */
export interface Served {
  assembly: CloudAssemblyModel;
  stack: StackModel;
  apiModel: AppSyncApiModel;
  api: LocalGraphqlApi;
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
  apiKey: string,
  options: LocalStackOptions,
): LocalGraphqlApi {
  const model = options.environment ? { ...apiModel, environment: { ...apiModel.environment, ...options.environment } } : apiModel;
  return new LocalGraphqlApi(model, {
    apiKey,
    accountId: stack.account.accountId,
    dataSources: dataSourcesFor(model, { dynamoDbClient, bus, scheduler, stepFunctions }),
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
export function userPoolIdOf(stack: StackModel, apiModel: AppSyncApiModel): string {
  const props = stack.resources[apiModel.logicalId]?.Properties ?? {};
  const providers = [props, ...((props.AdditionalAuthenticationProviders ?? []) as Record<string, unknown>[])];
  const config = providers.find((provider) => provider.AuthenticationType === 'AMAZON_COGNITO_USER_POOLS')?.UserPoolConfig as
    { UserPoolId?: unknown } | undefined;
  return typeof config?.UserPoolId === 'string' ? config.UserPoolId : `${stack.account.region}_local`;
}
