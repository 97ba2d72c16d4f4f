/** DynamoDB for the local runtime: the real engine (DynamoDB Local) and AppSync's data source on it. */
export {
  DynamoDbLocal,
  createTablesFromTemplate,
  defaultJarDir,
  DYNAMODB_LOCAL_CREDENTIALS,
  DYNAMODB_LOCAL_REGION,
  FAST_START_JVM_OPTIONS,
  JAVA_MISSING_MESSAGE,
  type DynamoDbLocalOptions,
  type TemplateResource,
} from './DynamoDbLocal.ts';
export {
  AppSyncDynamoDbDataSource,
  invokeDynamoDb,
  type AppSyncDynamoDbDataSourceOptions,
  type AppSyncError,
  type DynamoDbDataSourceResponse,
  type InvokeOptions,
} from './AppSyncDynamoDbDataSource.ts';
export { createDataSourceClient, type DataSourceClientOptions } from './dataSourceClient.ts';
