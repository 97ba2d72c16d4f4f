/**
 * AppSync's AMAZON_DYNAMODB data source, run against DynamoDB Local with the AWS SDK directly.
 *
 * Input: the request object an APPSYNC_JS handler returns (`{ operation: 'PutItem', key, ... }`).
 * Output: `{ result }` or `{ error, result? }` exactly as AppSync fills `ctx.result` / `ctx.error`:
 * results are plain JSON (unmarshalled), errors are typed `DynamoDB:<Java exception name>` because
 * AppSync reports the class name of the AWS SDK for Java exception it caught.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { MappingTemplateError } from './attributeValues.ts';
import { toAppSyncError } from './appSyncErrors.ts';
import { batchGetItem, batchWriteItem } from './batchOperations.ts';
import { createDataSourceClient } from './dataSourceClient.ts';
import { getItem, queryOrScan, writeItem } from './itemOperations.ts';
import type { DynamoDbDataSourceResponse, Operation } from './requestParts.ts';
import { transactGetItems, transactWriteItems } from './transactionOperations.ts';

export type { AppSyncError } from './appSyncErrors.ts';
export type { DynamoDbDataSourceResponse } from './requestParts.ts';

/**
 * Either a client its owner made (createDataSourceClient) and will destroy, or an endpoint, from
 * which the data source makes a client of its own, destroyed by its close().
 */
export type AppSyncDynamoDbDataSourceOptions = {
  /** The data source's table (its `DynamoDBConfig.TableName`); used by single-table operations. */
  tableName?: string;
} & (
  | { client: DynamoDBClient }
  | {
      /** DynamoDB endpoint, e.g. `DynamoDbLocal.endpoint`. */
      endpoint: string;
      region?: string;
      /** Give up on a request DynamoDB does not answer within this time, per attempt; default 5000. */
      requestTimeoutMs?: number;
    }
);

/** Per call: the table, when the data source was not built with one. */
export interface InvokeOptions {
  tableName?: string;
}

/**
 * The AMAZON_DYNAMODB data source of one AppSync API.
 *
 * @example
 * const client = createDataSourceClient(db.endpoint);
 * const events = new AppSyncDynamoDbDataSource({ client, tableName: 'EventStore' });
 * await events.invoke({ operation: 'GetItem', key: { streamId: { S: 'Reservation#1' }, version: { N: 1 } } });
 * // { result: { streamId: 'Reservation#1', version: 1, ... } } or { result: null }
 */
export class AppSyncDynamoDbDataSource {
  private readonly client: DynamoDBClient;
  /** Whether this data source made its client (from an endpoint), so close() destroys it. */
  private readonly ownsClient: boolean;
  private readonly tableName: string | undefined;

  constructor(options: AppSyncDynamoDbDataSourceOptions) {
    this.tableName = options.tableName;
    if ('client' in options) {
      this.client = options.client;
      this.ownsClient = false;
    } else {
      this.client = createDataSourceClient(options.endpoint, { region: options.region, requestTimeoutMs: options.requestTimeoutMs });
      this.ownsClient = true;
    }
  }

  /**
   * Runs one request. Never throws: every failure comes back as `{ error }`. The second argument
   * may be anything (the engine passes its call description); only a string `tableName` is read.
   */
  invoke(request: unknown, call?: unknown): Promise<DynamoDbDataSourceResponse> {
    const callTable = (call as InvokeOptions | undefined)?.tableName;
    const tableName = typeof callTable === 'string' ? callTable : this.tableName;
    return invokeDynamoDb(this.client, request, { tableName });
  }

  /** Destroys the client this data source made from an endpoint; a client passed in stays its owner's. */
  close(): void {
    if (this.ownsClient) this.client.destroy();
  }
}

/** Runs one AppSync DynamoDB request with `client`. Never throws. */
export async function invokeDynamoDb(
  client: DynamoDBClient,
  request: unknown,
  options: InvokeOptions = {},
): Promise<DynamoDbDataSourceResponse> {
  try {
    if (typeof request !== 'object' || request === null) {
      throw new MappingTemplateError(`The request must be an object with an "operation", got ${JSON.stringify(request)}`);
    }
    const req = request as Record<string, unknown>;
    const run = OPERATIONS[String(req.operation)];
    if (!run) {
      throw new MappingTemplateError(`Unsupported operation '${String(req.operation)}'. Supported: ${Object.keys(OPERATIONS).join(', ')}.`);
    }
    return await run(client, req, options.tableName);
  } catch (error) {
    return { error: toAppSyncError(error, client) };
  }
}

const OPERATIONS: Record<string, Operation> = {
  GetItem: getItem,
  PutItem: writeItem,
  UpdateItem: writeItem,
  DeleteItem: writeItem,
  Query: queryOrScan,
  Scan: queryOrScan,
  Sync: queryOrScan,
  BatchGetItem: batchGetItem,
  BatchPutItem: batchWriteItem,
  BatchDeleteItem: batchWriteItem,
  TransactGetItems: transactGetItems,
  TransactWriteItems: transactWriteItems,
};
