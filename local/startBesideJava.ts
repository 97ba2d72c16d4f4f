/**
 * What `LocalStack.start` does while DynamoDB Local's Java starts (a second or more): the tables are made as
 * soon as it answers, and meanwhile the engine loads the API's codes, which need nothing of DynamoDB (0.5–0.8 s
 * of this project's start), one per turn of the event loop so that the readiness polls and the table requests
 * go on, and the API's document-check worker starts. Resolves once DynamoDB Local answers; a code refused
 * stops what was started and rejects, naming the code.
 */
import { DynamoDbLocal } from './dynamodb/DynamoDbLocal.ts';
import type { LocalStackOptions } from './localStack.ts';
import { maskedError } from './noEchoMasking.ts';
import { createTables, prepareApi, type PreparedApi } from './servedApi.ts';
import { codesOf } from './server/graphqlApi.ts';
import type { AppSyncApiModel, CloudAssemblyModel, StackModel } from './template/cloudAssembly.ts';

export interface StartedBesideJava {
  dynamoDb: DynamoDbLocal;
  prepared: PreparedApi;
  /** Made once DynamoDB Local answered; awaited by the start (which stops everything if it fails). */
  tablesCreated: Promise<void>;
}

export async function startBesideJava(
  assembly: CloudAssemblyModel,
  served: { stack: StackModel; apiModel: AppSyncApiModel },
  options: LocalStackOptions,
  progress: (line: string) => void,
): Promise<StartedBesideJava> {
  const { stack, apiModel } = served;
  const where = options.persistDir ? `data in ${options.persistDir}` : 'in memory';
  if (!options.dynamoDb) progress(`starting DynamoDB Local (${where})`);
  const dynamoDbStarting = options.dynamoDb ?? DynamoDbLocal.start(options.persistDir ? { persistDir: options.persistDir } : {});
  const tablesCreated = dynamoDbStarting.then((dynamoDb) => {
    progress(`creating ${assembly.tables.length} table(s)`);
    return createTables(dynamoDb, assembly);
  });
  tablesCreated.catch(() => undefined); // awaited by the start, or given up with it
  progress(
    `loading ${apiModel.resolvers.length} resolver(s) and ${Object.keys(apiModel.functions).length} function(s) into the APPSYNC_JS engine`,
  );
  const prepared = prepareApi(apiModel, stack, options);
  try {
    await prepared.codes.preload(codesOf(apiModel));
  } catch (error) {
    await prepared.checker.close();
    await tablesCreated.catch(() => undefined);
    await dynamoDbStarting.then(
      (dynamoDb) => dynamoDb.stop(),
      () => undefined,
    );
    throw maskedError(error, assembly);
  }
  progress(`waiting for DynamoDB Local (${where})`);
  return { dynamoDb: await dynamoDbStarting, prepared, tablesCreated };
}
