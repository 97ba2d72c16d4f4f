/**
 * DynamoDB failures as AppSync reports them in `ctx.error`: typed `DynamoDB:<Java exception name>`
 * because AppSync names the class of the AWS SDK for Java exception it caught, with the Java SDK's
 * message format; a request the data source could not build is a `MappingTemplate` error.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { MappingTemplateError } from './attributeValues.ts';
import { endpointOf } from './dataSourceClient.ts';

/** What AppSync puts in `ctx.error`. */
export interface AppSyncError {
  message: string;
  type: string;
}

/**
 * SDK (JavaScript) error names → the AWS SDK for Java exception class AppSync names in
 * `ctx.error.type`. Errors without a modeled class (ValidationException...) are `DynamoDbException`.
 */
const JAVA_EXCEPTION_NAMES: Record<string, string> = {
  ConditionalCheckFailedException: 'ConditionalCheckFailedException',
  TransactionCanceledException: 'TransactionCanceledException',
  TransactionConflictException: 'TransactionConflictException',
  TransactionInProgressException: 'TransactionInProgressException',
  ResourceNotFoundException: 'ResourceNotFoundException',
  ResourceInUseException: 'ResourceInUseException',
  ProvisionedThroughputExceededException: 'ProvisionedThroughputExceededException',
  ItemCollectionSizeLimitExceededException: 'ItemCollectionSizeLimitExceededException',
  IdempotentParameterMismatchException: 'IdempotentParameterMismatchException',
  LimitExceededException: 'LimitExceededException',
  ReplicatedWriteConflictException: 'ReplicatedWriteConflictException',
  RequestLimitExceeded: 'RequestLimitExceededException',
  InternalServerError: 'InternalServerErrorException',
};

/** An error thrown while running a request, as `ctx.error`. */
export function toAppSyncError(error: unknown, client: DynamoDBClient): AppSyncError {
  if (error instanceof MappingTemplateError) {
    return { message: error.message, type: 'MappingTemplate' };
  }
  const sdkError = error as { name?: string; message?: string; code?: string; $metadata?: { httpStatusCode?: number; requestId?: string } };
  const status = sdkError.$metadata?.httpStatusCode;
  if (status === undefined) {
    // No HTTP answer at all: DynamoDB is down, hung or unreachable. The Java SDK calls this SdkClientException.
    const endpoint = endpointOf(client);
    const code = sdkError.code ?? sdkError.name ?? 'Error';
    const cause = `${code}: ${sdkError.message ?? String(error)}`;
    let message = `Unable to execute HTTP request: DynamoDB at ${endpoint} is unreachable (${cause}).`;
    if (code === 'ECONNREFUSED') {
      message = `Unable to execute HTTP request: connection refused by DynamoDB at ${endpoint}. Is DynamoDB Local running?`;
    } else if (code === 'ETIMEDOUT' || code === 'TimeoutError') {
      message = `Unable to execute HTTP request: DynamoDB at ${endpoint} did not answer in time (${cause}). Is DynamoDB Local hung or overloaded?`;
    }
    return { message, type: 'DynamoDB:SdkClientException' };
  }
  const javaName = JAVA_EXCEPTION_NAMES[sdkError.name ?? ''] ?? 'DynamoDbException';
  return {
    // The Java SDK's message format, which AppSync passes on.
    message: `${sdkError.message ?? sdkError.name} (Service: DynamoDb, Status Code: ${status}, Request ID: ${sdkError.$metadata?.requestId ?? 'unknown'})`,
    type: `DynamoDB:${javaName}`,
  };
}
