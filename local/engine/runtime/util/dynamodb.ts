/**
 * `util.dynamodb`: typed DynamoDB attribute values, as documented in "DynamoDB helpers in
 * util.dynamodb" (https://docs.aws.amazon.com/appsync/latest/devguide/dynamodb-helpers-in-util-dynamodb-js.html).
 *
 * Numbers stay JSON numbers (`toDynamoDB(12345)` is `{ "N": 12345 }`), as AWS documents: the
 * AppSync DynamoDB data source accepts a number or a string for "N" and "NS".
 */

/** A DynamoDB attribute value as AppSync's JS helpers produce it. */
export type AttributeValue =
  | { S: string }
  | { N: number | string }
  | { BOOL: boolean }
  | { NULL: null }
  | { L: AttributeValue[] }
  | { M: Record<string, AttributeValue> }
  | { SS: string[] }
  | { NS: (number | string)[] }
  | { B: string }
  | { BS: string[] };

/** A plain JSON object (not an array, not null). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * `util.dynamodb.toDynamoDB(value)`: the general conversion. Arrays become lists ("L"), never
 * sets; objects become maps ("M"); `null` becomes `{ "NULL": null }`.
 *
 * @example toDynamoDB({ baz: 1234, beep: ['boop'] }) // { M: { baz: { N: 1234 }, beep: { L: [{ S: 'boop' }] } } }
 */
export function toDynamoDB(value: unknown): AttributeValue {
  if (value === null || value === undefined) return { NULL: null };
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'number') return { N: value };
  if (typeof value === 'boolean') return { BOOL: value };
  if (Array.isArray(value)) return { L: value.map(toDynamoDB) };
  if (isPlainObject(value)) return { M: toMapValues(value) };
  // bigint, function, symbol: not JSON, so nothing a resolver could hand to AppSync.
  throw new TypeError(`util.dynamodb.toDynamoDB: unsupported value of type ${typeof value}`);
}

/**
 * `util.dynamodb.toMapValues(map)`: each value converted, without the outer "M" wrapper (for a
 * request's `key` and `attributeValues`). Keys whose value is `undefined` are left out, as JSON
 * serialisation would; AWS's docs do not mention `undefined`.
 *
 * @example toMapValues({ id: '1', n: 2 }) // { id: { S: '1' }, n: { N: 2 } }
 */
export function toMapValues(map: Record<string, unknown>): Record<string, AttributeValue> {
  const converted: Record<string, AttributeValue> = {};
  for (const [name, value] of Object.entries(map)) {
    if (value !== undefined) converted[name] = toDynamoDB(value);
  }
  return converted;
}

/** `util.dynamodb.toString(value)`: `{ "S": value }`; `null`/`undefined` give `null` (per the typings). */
export function toDynamoDBString(value: unknown): { S: string } | null {
  return value === null || value === undefined ? null : { S: String(value) };
}

/** `util.dynamodb.toNumber(value)`: `{ "N": value }` with the number kept as a number. */
export function toDynamoDBNumber(value: unknown): { N: number } | null {
  return value === null || value === undefined ? null : { N: Number(value) };
}

/** `util.dynamodb.toBoolean(value)`: `{ "BOOL": value }`. */
export function toDynamoDBBoolean(value: unknown): { BOOL: boolean } | null {
  return value === null || value === undefined ? null : { BOOL: Boolean(value) };
}

/** `util.dynamodb.toBinary(base64)`: `{ "B": base64 }`, the string passed through unchanged. */
export function toDynamoDBBinary(value: unknown): { B: string } | null {
  return value === null || value === undefined ? null : { B: String(value) };
}

/** `util.dynamodb.toNull()`: `{ "NULL": null }`. */
export function toDynamoDBNull(): { NULL: null } {
  return { NULL: null };
}

/** `util.dynamodb.toStringSet(list)`: `{ "SS": list }`. */
export function toStringSet(list: unknown): { SS: string[] } | null {
  return Array.isArray(list) ? { SS: list.map(String) } : null;
}

/** `util.dynamodb.toNumberSet(list)`: `{ "NS": list }`, numbers kept as numbers (AWS's example: `[1, 23, 4.56]`). */
export function toNumberSet(list: unknown): { NS: number[] } | null {
  return Array.isArray(list) ? { NS: list.map(Number) } : null;
}

/** `util.dynamodb.toBinarySet(list)`: `{ "BS": list }` of base64 strings. */
export function toBinarySet(list: unknown): { BS: string[] } | null {
  return Array.isArray(list) ? { BS: list.map(String) } : null;
}

/** `util.dynamodb.toList(list)`: `{ "L": [...] }`; anything but an array gives `null` (per the typings). */
export function toList(list: unknown): { L: AttributeValue[] } | null {
  return Array.isArray(list) ? { L: list.map(toDynamoDB) } : null;
}

/** `util.dynamodb.toMap(map)`: `{ "M": {...} }`; anything but an object gives `null` (per the typings). */
export function toMap(map: unknown): { M: Record<string, AttributeValue> } | null {
  return isPlainObject(map) ? { M: toMapValues(map) } : null;
}

/**
 * `util.dynamodb.toS3Object(key, bucket, region, version?)`: the S3 object as a JSON string in an
 * "S" value. AWS's page prints the JSON with spaces (and a typo, `"version" = "beep"`); the string
 * here is compact JSON, which is what `fromS3ObjectJson` and AppSync's S3 linking read.
 *
 * @example toS3Object('foo', 'bar', 'baz') // { S: '{"s3":{"key":"foo","bucket":"bar","region":"baz"}}' }
 */
export function toS3Object(key: string, bucket: string, region: string, version?: string): { S: string } {
  const s3: Record<string, string> = { key: String(key), bucket: String(bucket), region: String(region) };
  if (version !== undefined && version !== null) s3.version = String(version);
  return { S: JSON.stringify({ s3 }) };
}

/**
 * `util.dynamodb.fromS3ObjectJson(json)`: `{ key, bucket, region, version? }` from the string
 * `toS3Object` wrote. AWS's example passes the whole `{ "S": ... }` value, so that is accepted too.
 * Text that is not an S3 object gives `null` (AWS's docs are silent on it).
 */
export function fromS3ObjectJson(s3ObjectJson: unknown): Record<string, string> | null {
  const text = isPlainObject(s3ObjectJson) ? s3ObjectJson.S : s3ObjectJson;
  if (typeof text !== 'string') return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isPlainObject(parsed) || !isPlainObject(parsed.s3)) return null;
  const { key, bucket, region, version } = parsed.s3;
  const s3Object: Record<string, string> = { key: String(key), bucket: String(bucket), region: String(region) };
  if (version !== undefined) s3Object.version = String(version);
  return s3Object;
}

/** `util.dynamodb` as APPSYNC_JS code sees it. */
export interface DynamoDbUtils {
  toDynamoDB(value: unknown): AttributeValue;
  toString(value: unknown): { S: string } | null;
  toStringSet(list: unknown): { SS: string[] } | null;
  toNumber(value: unknown): { N: number } | null;
  toNumberSet(list: unknown): { NS: number[] } | null;
  toBinary(value: unknown): { B: string } | null;
  toBinarySet(list: unknown): { BS: string[] } | null;
  toBoolean(value: unknown): { BOOL: boolean } | null;
  toNull(): { NULL: null };
  toList(list: unknown): { L: AttributeValue[] } | null;
  toMap(map: unknown): { M: Record<string, AttributeValue> } | null;
  toMapValues(map: Record<string, unknown>): Record<string, AttributeValue> | null;
  toS3Object(key: string, bucket: string, region: string, version?: string): { S: string };
  fromS3ObjectJson(s3ObjectJson: unknown): Record<string, string> | null;
}

/** Create `util.dynamodb`. */
export function createDynamoDbUtils(): DynamoDbUtils {
  return {
    toDynamoDB,
    toString: toDynamoDBString,
    toStringSet,
    toNumber: toDynamoDBNumber,
    toNumberSet,
    toBinary: toDynamoDBBinary,
    toBinarySet,
    toBoolean: toDynamoDBBoolean,
    toNull: toDynamoDBNull,
    toList,
    toMap,
    // The typings answer null for anything but an object.
    toMapValues: (map) => (isPlainObject(map) ? toMapValues(map) : null),
    toS3Object,
    fromS3ObjectJson,
  };
}
