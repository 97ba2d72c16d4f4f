/** Transactions: TransactGetItems and TransactWriteItems, with AppSync's cancellation reasons. */
import {
  TransactGetItemsCommand,
  TransactWriteItemsCommand,
  type AttributeValue,
  type CancellationReason,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { MappingTemplateError, fromItem, fromItemOrNull, toAttributeMap } from './attributeValues.ts';
import { toAppSyncError } from './appSyncErrors.ts';
import { ExpressionAttributes, requireMap, type ConditionExpression, type Expression, type Operation } from './requestParts.ts';

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

export const transactGetItems: Operation = async (client, request) => {
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
              ...(projection?.expressionNames && Object.keys(projection.expressionNames).length > 0
                ? { ExpressionAttributeNames: projection.expressionNames }
                : {}),
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

export const transactWriteItems: Operation = async (client, request) => {
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
        return {
          Put: {
            TableName: table,
            Item: { ...toAttributeMap(item.attributeValues ?? {}, `${where}.attributeValues`), ...key },
            ...conditionInput,
            ...expressions.input(),
          },
        };
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
        return {
          ConditionCheck: {
            TableName: table,
            Key: key,
            ConditionExpression: conditionExpression,
            ...conditionInput,
            ...expressions.input(),
          },
        };
      default:
        throw new MappingTemplateError(
          `${where}.operation must be PutItem, UpdateItem, DeleteItem or ConditionCheck, got ${JSON.stringify(item.operation)}`,
        );
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
