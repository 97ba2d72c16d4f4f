/**
 * AppSync's AMAZON_DYNAMODB data source, run against DynamoDB Local with the AWS SDK directly.
 *
 * Input: the request object an APPSYNC_JS handler returns (`{ operation: 'PutItem', key, ... }`).
 * Output: `{ result }` or `{ error, result? }` exactly as AppSync fills `ctx.result` / `ctx.error`:
 * results are plain JSON (unmarshalled), errors are typed `DynamoDB:<Java exception name>` because
 * AppSync reports the class name of the AWS SDK for Java exception it caught.
 */
import http from 'node:http';
import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  TransactGetItemsCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type AttributeValue,
  type CancellationReason,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import {
  MappingTemplateError,
  canonicalItem,
  fromItem,
  fromItemOrNull,
  toAttributeMap,
} from './attributeValues.ts';
import { DYNAMODB_LOCAL_CREDENTIALS, DYNAMODB_LOCAL_REGION } from './DynamoDbLocal.ts';

/** What AppSync puts in `ctx.error`. */
export interface AppSyncError {
  message: string;
  type: string;
}

/** A data source's answer: `result` → `ctx.result`, `error` → `ctx.error` (both may be set). */
export interface DynamoDbDataSourceResponse {
  result?: unknown;
  error?: AppSyncError;
}

export interface AppSyncDynamoDbDataSourceOptions {
  /** DynamoDB endpoint, e.g. `DynamoDbLocal.endpoint`. */
  endpoint: string;
  /** The data source's table (its `DynamoDBConfig.TableName`); used by single-table operations. */
  tableName?: string;
  region?: string;
  /** Give up on a request DynamoDB does not answer within this time, per attempt; default 5000. */
  requestTimeoutMs?: number;
}

/** Per call: the table, when the data source was not built with one. */
export interface InvokeOptions {
  tableName?: string;
}

const clients = new Map<string, DynamoDBClient>();

/**
 * The one SDK client for an endpoint: keep-alive sockets, two attempts at most and short
 * timeouts, so a dead DynamoDB Local gives an error at once and a hung one within 2 × 5 s.
 *
 * @example
 * const client = dynamoDbClientFor(db.endpoint);
 */
export function dynamoDbClientFor(
  endpoint: string,
  { region = DYNAMODB_LOCAL_REGION, requestTimeoutMs = 5_000 }: { region?: string; requestTimeoutMs?: number } = {},
): DynamoDBClient {
  const cacheKey = `${endpoint} ${region} ${requestTimeoutMs}`;
  let client = clients.get(cacheKey);
  if (!client) {
    client = new DynamoDBClient({
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
    clients.set(cacheKey, client);
  }
  return client;
}

/** Destroys the cached clients (their sockets); the next call makes new ones. */
export function closeDynamoDbClients(): void {
  for (const client of clients.values()) {
    client.destroy();
  }
  clients.clear();
}

/**
 * The AMAZON_DYNAMODB data source of one AppSync API.
 *
 * @example
 * const events = new AppSyncDynamoDbDataSource({ endpoint: db.endpoint, tableName: 'EventStore' });
 * await events.invoke({ operation: 'GetItem', key: { streamId: { S: 'Reservation#1' }, version: { N: 1 } } });
 * // { result: { streamId: 'Reservation#1', version: 1, ... } } or { result: null }
 */
export class AppSyncDynamoDbDataSource {
  private readonly client: DynamoDBClient;

  constructor(private readonly options: AppSyncDynamoDbDataSourceOptions) {
    this.client = dynamoDbClientFor(options.endpoint, { region: options.region, requestTimeoutMs: options.requestTimeoutMs });
  }

  /**
   * Runs one request. Never throws: every failure comes back as `{ error }`. The second argument
   * may be anything (the engine passes its call description); only a string `tableName` is read.
   */
  invoke(request: unknown, call?: unknown): Promise<DynamoDbDataSourceResponse> {
    const callTable = (call as InvokeOptions | undefined)?.tableName;
    const tableName = typeof callTable === 'string' ? callTable : this.options.tableName;
    return invokeDynamoDb(this.client, request, { tableName });
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
      throw new MappingTemplateError(
        `Unsupported operation '${String(req.operation)}'. Supported: ${Object.keys(OPERATIONS).join(', ')}.`,
      );
    }
    return await run(client, req, options.tableName);
  } catch (error) {
    return { error: toAppSyncError(error, client) };
  }
}

type Operation = (client: DynamoDBClient, request: Record<string, unknown>, tableName: string | undefined) => Promise<DynamoDbDataSourceResponse>;

interface Expression {
  expression: string;
  expressionNames?: Record<string, string>;
  expressionValues?: Record<string, unknown>;
}

interface ConditionExpression extends Expression {
  equalsIgnore?: string[];
  consistentRead?: boolean;
  conditionalCheckFailedHandler?: { strategy?: string; lambdaArn?: string };
  returnValuesOnConditionCheckFailure?: boolean;
}

/** Collects expression names and values of several expressions into one SDK input. */
class ExpressionAttributes {
  private readonly names: Record<string, string> = {};
  private readonly values: Record<string, AttributeValue> = {};

  add(expression: Expression | undefined, where: string): string | undefined {
    if (expression === undefined || expression === null) {
      return undefined;
    }
    if (typeof expression.expression !== 'string') {
      throw new MappingTemplateError(`${where}.expression must be a string`);
    }
    Object.assign(this.names, expression.expressionNames ?? {});
    Object.assign(this.values, toAttributeMap(expression.expressionValues ?? {}, `${where}.expressionValues`));
    return expression.expression;
  }

  /** Only non-empty maps: DynamoDB refuses empty ones. */
  input(): { ExpressionAttributeNames?: Record<string, string>; ExpressionAttributeValues?: Record<string, AttributeValue> } {
    return {
      ...(Object.keys(this.names).length > 0 ? { ExpressionAttributeNames: this.names } : {}),
      ...(Object.keys(this.values).length > 0 ? { ExpressionAttributeValues: this.values } : {}),
    };
  }
}

function requireTable(tableName: string | undefined, operation: unknown): string {
  if (!tableName) {
    throw new MappingTemplateError(`${String(operation)} needs the data source's table name, and none was configured`);
  }
  return tableName;
}

function requireMap(value: unknown, where: string): Record<string, AttributeValue> {
  if (value === undefined || value === null) {
    throw new MappingTemplateError(`Value for field '${where}' not found.`);
  }
  return toAttributeMap(value, where);
}

const getItem: Operation = async (client, request, tableName) => {
  const expressions = new ExpressionAttributes();
  const projection = expressions.add(request.projection as Expression | undefined, 'projection');
  const output = await client.send(
    new GetItemCommand({
      TableName: requireTable(tableName, request.operation),
      Key: requireMap(request.key, 'key'),
      ConsistentRead: Boolean(request.consistentRead),
      ...(projection ? { ProjectionExpression: projection } : {}),
      ...expressions.input(),
    }),
  );
  return { result: fromItemOrNull(output.Item) };
};

/**
 * PutItem, UpdateItem, DeleteItem with AppSync's condition handling: on a failed condition the
 * current item (read in the same request with ReturnValuesOnConditionCheckFailure) is compared with
 * the desired one, minus `equalsIgnore`; equal means success, else a ConditionalCheckFailed error
 * whose `ctx.result` is the current item.
 */
const writeItem: Operation = async (client, request, tableName) => {
  const operation = request.operation as 'PutItem' | 'UpdateItem' | 'DeleteItem';
  const key = requireMap(request.key, 'key');
  const condition = request.condition as ConditionExpression | undefined;
  const expressions = new ExpressionAttributes();
  const conditionExpression = expressions.add(condition, 'condition');
  const common = {
    TableName: requireTable(tableName, operation),
    ...(conditionExpression ? { ConditionExpression: conditionExpression, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const } : {}),
  };
  let desired: Record<string, AttributeValue> | null | undefined;
  try {
    if (operation === 'PutItem') {
      const item = { ...toAttributeMap(request.attributeValues ?? {}, 'attributeValues'), ...key };
      desired = item;
      await client.send(new PutItemCommand({ ...common, Item: item, ...expressions.input() }));
      return { result: fromItem(item) };
    }
    if (operation === 'UpdateItem') {
      const update = expressions.add(request.update as Expression | undefined, 'update');
      if (!update) {
        throw new MappingTemplateError("Value for field 'update' not found.");
      }
      const output = await client.send(
        new UpdateItemCommand({ ...common, Key: key, UpdateExpression: update, ReturnValues: 'ALL_NEW', ...expressions.input() }),
      );
      return { result: fromItemOrNull(output.Attributes) };
    }
    desired = null;
    const output = await client.send(new DeleteItemCommand({ ...common, Key: key, ReturnValues: 'ALL_OLD', ...expressions.input() }));
    return { result: fromItemOrNull(output.Attributes) };
  } catch (error) {
    if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') {
      throw error;
    }
    const current = (error as { Item?: Record<string, AttributeValue> }).Item;
    const ignore = condition?.equalsIgnore ?? [];
    // The desired state is already there: AppSync treats the write as done. UpdateItem has no
    // desired item to compare with, so it is always rejected.
    if (desired === null && current === undefined) {
      return { result: null };
    }
    if (desired && current && canonicalItem(desired, ignore) === canonicalItem(current, ignore)) {
      return { result: fromItem(current) };
    }
    const appSyncError = toAppSyncError(error, client);
    if (condition?.conditionalCheckFailedHandler?.strategy === 'Custom') {
      appSyncError.message += ' (conditionalCheckFailedHandler "Custom" calls a Lambda function, which the local runtime does not run: handled as "Reject")';
    }
    return { error: appSyncError, result: fromItemOrNull(current) };
  }
};

/** AppSync's nextToken is opaque; ours is the LastEvaluatedKey as base64url JSON of typed values. */
function encodeNextToken(key: Record<string, AttributeValue> | undefined): string | null {
  if (!key || Object.keys(key).length === 0) {
    return null;
  }
  return Buffer.from(JSON.stringify({ v: 1, k: toTypedJson(key) })).toString('base64url');
}

function decodeNextToken(token: unknown): Record<string, AttributeValue> | undefined {
  if (token === undefined || token === null || token === '') {
    return undefined;
  }
  try {
    const decoded = JSON.parse(Buffer.from(String(token), 'base64url').toString()) as { v?: number; k?: unknown };
    if (decoded.v === 1 && decoded.k) {
      return toAttributeMap(decoded.k, 'nextToken');
    }
  } catch {
    // reported below
  }
  throw new MappingTemplateError('Invalid nextToken: pass back the nextToken this data source returned, unchanged.');
}

/** SDK map → typed JSON (binaries as base64), the inverse of toAttributeMap. */
function toTypedJson(map: Record<string, AttributeValue>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(map)) {
    if (value.B !== undefined) result[name] = { B: Buffer.from(value.B).toString('base64') };
    else if (value.M !== undefined) result[name] = { M: toTypedJson(value.M) };
    else result[name] = value;
  }
  return result;
}

const queryOrScan: Operation = async (client, request, tableName) => {
  const operation = request.operation as 'Query' | 'Scan' | 'Sync';
  const expressions = new ExpressionAttributes();
  const keyCondition = operation === 'Query' ? expressions.add(request.query as Expression | undefined, 'query') : undefined;
  if (operation === 'Query' && !keyCondition) {
    throw new MappingTemplateError("Value for field 'query' not found.");
  }
  const filter = expressions.add(request.filter as Expression | undefined, 'filter');
  const projection = expressions.add(request.projection as Expression | undefined, 'projection');
  const input = {
    TableName: requireTable(tableName, operation),
    ...(typeof request.index === 'string' && operation !== 'Sync' ? { IndexName: request.index } : {}),
    ...(request.limit !== undefined && request.limit !== null ? { Limit: Number(request.limit) } : {}),
    ...(request.consistentRead !== undefined ? { ConsistentRead: Boolean(request.consistentRead) } : {}),
    ...(filter ? { FilterExpression: filter } : {}),
    ...(projection ? { ProjectionExpression: projection } : {}),
    ...(!projection && typeof request.select === 'string' ? { Select: request.select as 'ALL_ATTRIBUTES' } : {}),
    ExclusiveStartKey: decodeNextToken(request.nextToken),
    ...expressions.input(),
  };
  if (operation === 'Query') {
    const output = await client.send(
      new QueryCommand({ ...input, KeyConditionExpression: keyCondition, ScanIndexForward: request.scanIndexForward !== false }),
    );
    return {
      result: { items: (output.Items ?? []).map(fromItem), nextToken: encodeNextToken(output.LastEvaluatedKey), scannedCount: output.ScannedCount ?? 0 },
    };
  }
  const startedAt = Date.now();
  const output = await client.send(
    new ScanCommand({
      ...input,
      ...(operation === 'Scan' && request.totalSegments !== undefined
        ? { Segment: Number(request.segment), TotalSegments: Number(request.totalSegments) }
        : {}),
    }),
  );
  const items = (output.Items ?? []).map(fromItem);
  const nextToken = encodeNextToken(output.LastEvaluatedKey);
  if (operation === 'Sync') {
    // No versioned data source or delta table locally: a Sync is a Scan of the base table.
    return { result: { items, nextToken, startedAt } };
  }
  return { result: { items, nextToken, scannedCount: output.ScannedCount ?? 0 } };
};

function tablesOf(request: Record<string, unknown>): Record<string, unknown> {
  const tables = request.tables;
  if (typeof tables !== 'object' || tables === null || Object.keys(tables).length === 0) {
    throw new MappingTemplateError("Value for field 'tables' not found: name at least one table.");
  }
  return tables as Record<string, unknown>;
}

function keyIdentity(item: Record<string, AttributeValue>, keyNames: string[]): string {
  return canonicalItem(Object.fromEntries(keyNames.filter((name) => item[name] !== undefined).map((name) => [name, item[name]!])));
}

/** BatchGetItem: per table, the items in the order of the requested keys, null where missing. */
const batchGetItem: Operation = async (client, request) => {
  const tables = tablesOf(request);
  const requestItems: Record<string, { Keys: Record<string, AttributeValue>[]; ConsistentRead?: boolean; ProjectionExpression?: string; ExpressionAttributeNames?: Record<string, string> }> = {};
  const keysByTable: Record<string, Record<string, AttributeValue>[]> = {};
  for (const [table, spec] of Object.entries(tables)) {
    const { keys, consistentRead, projection } = (spec ?? {}) as { keys?: unknown[]; consistentRead?: boolean; projection?: Expression };
    if (!Array.isArray(keys)) {
      throw new MappingTemplateError(`Value for field 'tables.${table}.keys' not found.`);
    }
    keysByTable[table] = keys.map((key, index) => toAttributeMap(key, `tables.${table}.keys[${index}]`));
    requestItems[table] = {
      Keys: keysByTable[table],
      ...(consistentRead !== undefined ? { ConsistentRead: Boolean(consistentRead) } : {}),
      ...(projection ? { ProjectionExpression: projection.expression } : {}),
      ...(projection?.expressionNames && Object.keys(projection.expressionNames).length > 0 ? { ExpressionAttributeNames: projection.expressionNames } : {}),
    };
  }
  const output = await client.send(new BatchGetItemCommand({ RequestItems: requestItems }));
  const data: Record<string, (Record<string, unknown> | null)[]> = {};
  const unprocessedKeys: Record<string, Record<string, unknown>[]> = {};
  for (const [table, keys] of Object.entries(keysByTable)) {
    const keyNames = keys[0] ? Object.keys(keys[0]) : [];
    const found = new Map<string, Record<string, AttributeValue>>();
    for (const item of output.Responses?.[table] ?? []) {
      found.set(keyIdentity(item, keyNames), item);
    }
    data[table] = keys.map((key) => fromItemOrNull(found.get(keyIdentity(key, keyNames))));
    unprocessedKeys[table] = (output.UnprocessedKeys?.[table]?.Keys ?? []).map(fromItem);
  }
  return { result: { data, unprocessedKeys } };
};

/** BatchPutItem / BatchDeleteItem: per table, the items (keys) written in request order, null where unprocessed. */
const batchWriteItem: Operation = async (client, request) => {
  const isPut = request.operation === 'BatchPutItem';
  const tables = tablesOf(request);
  const written: Record<string, Record<string, AttributeValue>[]> = {};
  const requestItems: Record<string, ({ PutRequest: { Item: Record<string, AttributeValue> } } | { DeleteRequest: { Key: Record<string, AttributeValue> } })[]> = {};
  for (const [table, entries] of Object.entries(tables)) {
    if (!Array.isArray(entries)) {
      throw new MappingTemplateError(`tables.${table} must be a list of ${isPut ? 'items' : 'keys'}`);
    }
    written[table] = entries.map((entry, index) => toAttributeMap(entry, `tables.${table}[${index}]`));
    requestItems[table] = written[table].map((entry) => (isPut ? { PutRequest: { Item: entry } } : { DeleteRequest: { Key: entry } }));
  }
  const output = await client.send(new BatchWriteItemCommand({ RequestItems: requestItems }));
  const data: Record<string, (Record<string, unknown> | null)[]> = {};
  const unprocessed: Record<string, Record<string, unknown>[]> = {};
  for (const [table, entries] of Object.entries(written)) {
    const left = (output.UnprocessedItems?.[table] ?? [])
      .map((writeRequest) => writeRequest.PutRequest?.Item ?? writeRequest.DeleteRequest?.Key)
      .filter((entry): entry is Record<string, AttributeValue> => entry !== undefined);
    const leftIds = new Set(left.map((entry) => canonicalItem(entry)));
    data[table] = entries.map((entry) => (leftIds.has(canonicalItem(entry)) ? null : fromItem(entry)));
    unprocessed[table] = left.map(fromItem);
  }
  return { result: isPut ? { data, unprocessedItems: unprocessed } : { data, unprocessedKeys: unprocessed } };
};

function transactItemsOf(request: Record<string, unknown>): Record<string, unknown>[] {
  const items = request.transactItems;
  if (!Array.isArray(items) || items.length === 0) {
    throw new MappingTemplateError("Value for field 'transactItems' not found: give at least one item.");
  }
  return items as Record<string, unknown>[];
}

function requireItemTable(item: Record<string, unknown>, index: number): string {
  if (typeof item.table !== 'string' || item.table === '') {
    throw new MappingTemplateError(`Value for field 'transactItems[${index}].table' not found.`);
  }
  return item.table;
}

/** Cancellation reasons as AppSync lists them: `{ type, message }`, plus `item` when DynamoDB returned the current item. */
function cancellationReasonsOf(error: unknown): { type: string; message: string | null; item?: Record<string, unknown> }[] {
  const reasons = (error as { CancellationReasons?: CancellationReason[] }).CancellationReasons ?? [];
  return reasons.map((reason) => ({
    type: reason.Code ?? 'None',
    message: reason.Message ?? null,
    ...(reason.Item ? { item: fromItem(reason.Item) } : {}),
  }));
}

const transactGetItems: Operation = async (client, request) => {
  const items = transactItemsOf(request);
  try {
    const output = await client.send(
      new TransactGetItemsCommand({
        TransactItems: items.map((item, index) => {
          const projection = item.projection as Expression | undefined;
          return {
            Get: {
              TableName: requireItemTable(item, index),
              Key: requireMap(item.key, `transactItems[${index}].key`),
              ...(projection ? { ProjectionExpression: projection.expression } : {}),
              ...(projection?.expressionNames && Object.keys(projection.expressionNames).length > 0 ? { ExpressionAttributeNames: projection.expressionNames } : {}),
            },
          };
        }),
      }),
    );
    return { result: { items: (output.Responses ?? []).map((response) => fromItemOrNull(response.Item)), cancellationReasons: null } };
  } catch (error) {
    if ((error as { name?: string }).name !== 'TransactionCanceledException') {
      throw error;
    }
    return { error: toAppSyncError(error, client), result: { items: null, cancellationReasons: cancellationReasonsOf(error) } };
  }
};

const transactWriteItems: Operation = async (client, request) => {
  const items = transactItemsOf(request);
  const keys: Record<string, AttributeValue>[] = [];
  const transactItems = items.map((item, index): TransactWriteItem => {
    const where = `transactItems[${index}]`;
    const table = requireItemTable(item, index);
    const key = requireMap(item.key, `${where}.key`);
    keys.push(key);
    const expressions = new ExpressionAttributes();
    const condition = item.condition as ConditionExpression | undefined;
    const conditionExpression = expressions.add(condition, `${where}.condition`);
    const conditionInput = conditionExpression
      ? {
          ConditionExpression: conditionExpression,
          // AppSync's default: a failed condition returns the item found in the table.
          ...(condition?.returnValuesOnConditionCheckFailure === false ? {} : { ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const }),
        }
      : {};
    switch (item.operation) {
      case 'PutItem':
        return { Put: { TableName: table, Item: { ...toAttributeMap(item.attributeValues ?? {}, `${where}.attributeValues`), ...key }, ...conditionInput, ...expressions.input() } };
      case 'UpdateItem': {
        const update = expressions.add(item.update as Expression | undefined, `${where}.update`);
        if (!update) {
          throw new MappingTemplateError(`Value for field '${where}.update' not found.`);
        }
        return { Update: { TableName: table, Key: key, UpdateExpression: update, ...conditionInput, ...expressions.input() } };
      }
      case 'DeleteItem':
        return { Delete: { TableName: table, Key: key, ...conditionInput, ...expressions.input() } };
      case 'ConditionCheck':
        if (!conditionExpression) {
          throw new MappingTemplateError(`Value for field '${where}.condition' not found: a ConditionCheck needs one.`);
        }
        return { ConditionCheck: { TableName: table, Key: key, ConditionExpression: conditionExpression, ...conditionInput, ...expressions.input() } };
      default:
        throw new MappingTemplateError(`${where}.operation must be PutItem, UpdateItem, DeleteItem or ConditionCheck, got ${JSON.stringify(item.operation)}`);
    }
  });
  try {
    await client.send(new TransactWriteItemsCommand({ TransactItems: transactItems }));
    return { result: { keys: keys.map(fromItem), cancellationReasons: null } };
  } catch (error) {
    if ((error as { name?: string }).name !== 'TransactionCanceledException') {
      throw error;
    }
    // Nothing was written, so no keys: the reasons, in request order, tell what went wrong where.
    return { error: toAppSyncError(error, client), result: { keys: null, cancellationReasons: cancellationReasonsOf(error) } };
  }
};

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

function toAppSyncError(error: unknown, client: DynamoDBClient): AppSyncError {
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

function endpointOf(client: DynamoDBClient): string {
  for (const [cacheKey, cached] of clients) {
    if (cached === client) {
      return cacheKey.split(' ')[0]!;
    }
  }
  return 'the configured endpoint';
}
