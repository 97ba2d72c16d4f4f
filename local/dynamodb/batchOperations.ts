/** Batch operations: BatchGetItem, BatchPutItem and BatchDeleteItem, results per table in request order. */
import { BatchGetItemCommand, BatchWriteItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { MappingTemplateError, canonicalItem, fromItem, fromItemOrNull, toAttributeMap } from './attributeValues.ts';
import type { Expression, Operation } from './requestParts.ts';

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
export const batchGetItem: Operation = async (client, request) => {
  const tables = tablesOf(request);
  const requestItems: Record<
    string,
    {
      Keys: Record<string, AttributeValue>[];
      ConsistentRead?: boolean;
      ProjectionExpression?: string;
      ExpressionAttributeNames?: Record<string, string>;
    }
  > = {};
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
      ...(projection?.expressionNames && Object.keys(projection.expressionNames).length > 0
        ? { ExpressionAttributeNames: projection.expressionNames }
        : {}),
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
export const batchWriteItem: Operation = async (client, request) => {
  const isPut = request.operation === 'BatchPutItem';
  const tables = tablesOf(request);
  const written: Record<string, Record<string, AttributeValue>[]> = {};
  const requestItems: Record<
    string,
    ({ PutRequest: { Item: Record<string, AttributeValue> } } | { DeleteRequest: { Key: Record<string, AttributeValue> } })[]
  > = {};
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
