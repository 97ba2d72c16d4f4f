/**
 * The DynamoDB client an AppSync data source talks through. Made by whoever owns it (a LocalStack,
 * a test, a benchmark) and destroyed by the same owner: there is no process-wide cache, so stopping
 * one stack never closes another's sockets.
 */
import http from 'node:http';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DYNAMODB_LOCAL_CREDENTIALS, DYNAMODB_LOCAL_REGION } from './DynamoDbLocal.ts';

export interface DataSourceClientOptions {
  region?: string;
  /** Give up on a request DynamoDB does not answer within this time, per attempt; default 5000. */
  requestTimeoutMs?: number;
}

/** The endpoint each client was made for, only to name it in connection errors (weak: owns nothing). */
const endpoints = new WeakMap<DynamoDBClient, string>();

/**
 * A new SDK client for a data source: keep-alive sockets, two attempts at most and short timeouts,
 * so a dead DynamoDB Local gives an error at once and a hung one within 2 × 5 s. The caller owns it:
 * `client.destroy()` when done.
 *
 * @example
 * const client = createDataSourceClient(db.endpoint);
 * const events = new AppSyncDynamoDbDataSource({ client, tableName: 'EventStore' });
 * // ... later, by the same owner:
 * client.destroy();
 */
export function createDataSourceClient(
  endpoint: string,
  { region = DYNAMODB_LOCAL_REGION, requestTimeoutMs = 5_000 }: DataSourceClientOptions = {},
): DynamoDBClient {
  const client = new DynamoDBClient({
    endpoint,
    region,
    credentials: DYNAMODB_LOCAL_CREDENTIALS,
    maxAttempts: 2,
    requestHandler: {
      httpAgent: new http.Agent({ keepAlive: true, maxSockets: 64 }),
      connectionTimeout: 2_000,
      requestTimeout: requestTimeoutMs,
      // Without it the SDK only logs a warning and keeps waiting for a hung server.
      throwOnRequestTimeout: true,
    },
  });
  endpoints.set(client, endpoint);
  return client;
}

/** The endpoint a client was made for by createDataSourceClient, for error messages. */
export function endpointOf(client: DynamoDBClient): string {
  return endpoints.get(client) ?? 'the configured endpoint';
}
