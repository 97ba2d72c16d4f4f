/**
 * Conversions between AppSync's typed values (what `util.dynamodb.toDynamoDB` produces: numbers may
 * be JSON numbers, binaries are base64 strings) and the SDK's AttributeValue, and from DynamoDB
 * items back to the plain JSON AppSync puts in `ctx.result`.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';

/** A request that AppSync itself would refuse: reported as a `MappingTemplate` error. */
export class MappingTemplateError extends Error {}

type TypedValue = Record<string, unknown>;

/** One AppSync typed value → SDK AttributeValue. */
export function toAttributeValue(value: unknown, where: string): AttributeValue {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new MappingTemplateError(`${where}: expected a typed value such as { "S": "text" }, got ${JSON.stringify(value)}`);
  }
  const typed = value as TypedValue;
  const types = Object.keys(typed);
  if (types.length !== 1) {
    throw new MappingTemplateError(`${where}: a typed value has exactly one type key, got ${JSON.stringify(value)}`);
  }
  const type = types[0]!;
  const inner = typed[type];
  switch (type) {
    case 'S':
      return { S: String(inner) };
    case 'N':
      return { N: numberString(inner, where) };
    case 'BOOL':
      return { BOOL: Boolean(inner) };
    case 'NULL':
      return { NULL: true };
    case 'B':
      return { B: Buffer.from(String(inner), 'base64') };
    case 'SS':
      return { SS: listOf(inner, where).map(String) };
    case 'NS':
      return { NS: listOf(inner, where).map((n) => numberString(n, where)) };
    case 'BS':
      return { BS: listOf(inner, where).map((b) => Buffer.from(String(b), 'base64')) };
    case 'L':
      return { L: listOf(inner, where).map((element, index) => toAttributeValue(element, `${where}[${index}]`)) };
    case 'M':
      return { M: toAttributeMap(inner, where) };
    default:
      throw new MappingTemplateError(`${where}: unknown DynamoDB type "${type}" in ${JSON.stringify(value)}`);
  }
}

/** A map of typed values (a key, attributeValues, expressionValues) → SDK map. */
export function toAttributeMap(map: unknown, where: string): Record<string, AttributeValue> {
  if (typeof map !== 'object' || map === null || Array.isArray(map)) {
    throw new MappingTemplateError(`${where}: expected a map of typed values, got ${JSON.stringify(map)}`);
  }
  const result: Record<string, AttributeValue> = {};
  for (const [name, value] of Object.entries(map)) {
    result[name] = toAttributeValue(value, `${where}.${name}`);
  }
  return result;
}

function numberString(value: unknown, where: string): string {
  if (typeof value === 'number' && Number.isFinite(value)) {
    return String(value);
  }
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) {
    return value;
  }
  throw new MappingTemplateError(`${where}: not a number: ${JSON.stringify(value)}`);
}

function listOf(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) {
    throw new MappingTemplateError(`${where}: expected a list, got ${JSON.stringify(value)}`);
  }
  return value;
}

/**
 * SDK AttributeValue → the plain JSON AppSync gives resolvers: numbers as numbers, sets as
 * arrays, binaries as base64 strings, NULL as null.
 */
export function fromAttributeValue(value: AttributeValue): unknown {
  if (value.S !== undefined) return value.S;
  if (value.N !== undefined) return Number(value.N);
  if (value.BOOL !== undefined) return value.BOOL;
  if (value.NULL !== undefined) return null;
  if (value.M !== undefined) return fromItem(value.M);
  if (value.L !== undefined) return value.L.map(fromAttributeValue);
  if (value.SS !== undefined) return [...value.SS];
  if (value.NS !== undefined) return value.NS.map(Number);
  if (value.B !== undefined) return Buffer.from(value.B).toString('base64');
  if (value.BS !== undefined) return value.BS.map((b) => Buffer.from(b).toString('base64'));
  return null;
}

/** A DynamoDB item → a plain JSON object. */
export function fromItem(item: Record<string, AttributeValue>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(item)) {
    result[name] = fromAttributeValue(value);
  }
  return result;
}

/** Items, or null when DynamoDB returned none. */
export function fromItemOrNull(item: Record<string, AttributeValue> | undefined): Record<string, unknown> | null {
  return item ? fromItem(item) : null;
}

/** A canonical string for equality: sets sorted, numbers normalized, map keys sorted. */
export function canonical(value: AttributeValue): string {
  if (value.N !== undefined) return `N:${Number(value.N)}`;
  if (value.NS !== undefined) return `NS:${JSON.stringify(value.NS.map(Number).sort((a, b) => a - b))}`;
  if (value.SS !== undefined) return `SS:${JSON.stringify([...value.SS].sort())}`;
  if (value.BS !== undefined) return `BS:${JSON.stringify(value.BS.map((b) => Buffer.from(b).toString('base64')).sort())}`;
  if (value.B !== undefined) return `B:${Buffer.from(value.B).toString('base64')}`;
  if (value.M !== undefined) return `M:${canonicalItem(value.M)}`;
  if (value.L !== undefined) return `L:[${value.L.map(canonical).join(',')}]`;
  return JSON.stringify(value);
}

export function canonicalItem(item: Record<string, AttributeValue>, ignore: readonly string[] = []): string {
  return `{${Object.keys(item)
    .filter((name) => !ignore.includes(name))
    .sort()
    .map((name) => `${JSON.stringify(name)}=${canonical(item[name]!)}`)
    .join(',')}}`;
}
