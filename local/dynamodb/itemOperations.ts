/** Single-item and read-many operations: GetItem, PutItem / UpdateItem / DeleteItem, Query, Scan, Sync. */
import {
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  UpdateItemCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { MappingTemplateError, canonicalItem, fromItem, fromItemOrNull, toAttributeMap } from './attributeValues.ts';
import { toAppSyncError } from './appSyncErrors.ts';
import {
  ExpressionAttributes,
  requireMap,
  requireTable,
  type ConditionExpression,
  type Expression,
  type Operation,
} from './requestParts.ts';

export const getItem: Operation = async (client, request, tableName) => {
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
export const writeItem: Operation = async (client, request, tableName) => {
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
      appSyncError.message +=
        ' (conditionalCheckFailedHandler "Custom" calls a Lambda function, which the local runtime does not run: handled as "Reject")';
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

export const queryOrScan: Operation = async (client, request, tableName) => {
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
      result: {
        items: (output.Items ?? []).map(fromItem),
        nextToken: encodeNextToken(output.LastEvaluatedKey),
        scannedCount: output.ScannedCount ?? 0,
      },
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
