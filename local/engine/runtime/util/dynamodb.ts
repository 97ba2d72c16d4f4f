/** A DynamoDB attribute value as AppSync's JS helpers produce it (numbers stay JSON numbers). */
export type AttributeValue =
  | { S: string }
  | { N: number }
  | { BOOL: boolean }
  | { NULL: null }
  | { L: AttributeValue[] }
  | { M: Record<string, AttributeValue> }
  | { SS: string[] }
  | { NS: number[] }
  | { B: string }
  | { BS: string[] };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * `util.dynamodb.toDynamoDB(value)`: the general conversion. Arrays become lists ("L"), never
 * sets, and numbers stay numbers: `toDynamoDB(1234)` is `{ "N": 1234 }` as AWS documents.
 */
export function toDynamoDB(value: unknown): AttributeValue {
  if (value === null || value === undefined) return { NULL: null };
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'number') return { N: value };
  if (typeof value === 'boolean') return { BOOL: value };
  if (Array.isArray(value)) return { L: value.map(toDynamoDB) };
  if (isPlainObject(value)) return { M: toMapValues(value) };
  // bigint, function, symbol: not JSON, so not something a resolver can hand AppSync.
  throw new TypeError(`util.dynamodb.toDynamoDB: unsupported value of type ${typeof value}`);
}

/**
 * `util.dynamodb.toMapValues(map)`: each value converted, without the outer "M" wrapper,
 * for `key` and `attributeValues`. Keys whose value is `undefined` are left out, as JSON does.
 */
export function toMapValues(map: Record<string, unknown>): Record<string, AttributeValue> {
  const converted: Record<string, AttributeValue> = {};
  for (const [name, value] of Object.entries(map)) {
    if (value !== undefined) converted[name] = toDynamoDB(value);
  }
  return converted;
}

/** `util.dynamodb`. */
export interface DynamoDbUtils {
  toDynamoDB(value: unknown): AttributeValue;
  toMapValues(map: Record<string, unknown>): Record<string, AttributeValue>;
}

/** Create `util.dynamodb`. */
export function createDynamoDbUtils(): DynamoDbUtils {
  return { toDynamoDB, toMapValues };
}
