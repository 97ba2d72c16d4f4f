/**
 * The parts the `@aws-appsync/utils/dynamodb` helpers build requests from: update operations and
 * the update expression, condition and filter expressions with their placeholders, projections and
 * key conditions, each written as AppSync's own helpers write it.
 */
import { buildDynamoDBExpression, type DynamoDBExpression } from './util/dynamodbExpression.ts';
import { isPlainObject, toMapValues, type AttributeValue } from './util/dynamodb.ts';
import type { Util } from './util/index.ts';
/** The marker objects `operations.*` return; plain data, so sandboxed code can hold them. */
export type UpdateOperation =
  | { _type: 'add'; value: unknown }
  | { _type: 'remove' }
  | { _type: 'replace'; value: unknown }
  | { _type: 'increment'; by: number }
  | { _type: 'decrement'; by: number }
  | { _type: 'append'; value: unknown[] }
  | { _type: 'prepend'; value: unknown[] }
  | { _type: 'updateListItem'; value: unknown; index: number };

export type RequestOptions = Record<string, unknown>;
export type ProjectionExpression = { expression: string; expressionNames: Record<string, string> };

export const UPDATE_OPERATION_TYPES = new Set([
  'add',
  'remove',
  'replace',
  'increment',
  'decrement',
  'append',
  'prepend',
  'updateListItem',
]);

export function isUpdateOperation(value: unknown): value is UpdateOperation {
  return isPlainObject(value) && typeof value._type === 'string' && UPDATE_OPERATION_TYPES.has(value._type);
}

/** A set as `toStringSet`/`toNumberSet`/`toBinarySet` write it: DynamoDB's ADD adds its members. */
export function isDynamoDBSet(value: unknown): boolean {
  return isPlainObject(value) && Object.keys(value).length === 1 && ['SS', 'NS', 'BS'].some((type) => Array.isArray(value[type]));
}

/** A value already typed by a set helper passes through; anything else is converted. */
export function attributeValueOf(value: unknown, util: Util): AttributeValue {
  return isDynamoDBSet(value) ? (value as AttributeValue) : util.dynamodb.toDynamoDB(value);
}

export function keyOf(key: unknown, operationName: string): Record<string, AttributeValue> {
  if (!isPlainObject(key)) throw new TypeError(`@aws-appsync/utils/dynamodb ${operationName}: key must be an object`);
  return toMapValues(key);
}

/** Copy the options that are set (not undefined, not null) onto the request, in the given order. */
export function withOptions(request: RequestOptions, payload: RequestOptions, names: readonly string[]): RequestOptions {
  for (const name of names) {
    const value = payload[name];
    if (value !== undefined && value !== null) request[name] = value;
  }
  return request;
}

/** A condition or filter object as a request expression; `undefined` when it says nothing. */
export function expressionOf(filter: unknown, role: 'condition' | 'filter'): Partial<DynamoDBExpression> | undefined {
  if (filter === undefined || filter === null) return undefined;
  const rendered = buildDynamoDBExpression(filter);
  if (rendered === null) throw new TypeError(`@aws-appsync/utils/dynamodb: this ${role} cannot be rendered: ${JSON.stringify(filter)}`);
  if (rendered.expression.trim() === '') return undefined;
  const expression: Partial<DynamoDBExpression> = { expression: rendered.expression };
  if (Object.keys(rendered.expressionNames).length > 0) expression.expressionNames = rendered.expressionNames;
  if (Object.keys(rendered.expressionValues).length > 0) expression.expressionValues = rendered.expressionValues;
  return expression;
}

/** Allocates DynamoDB-safe, unique placeholders for names and values. */
export class Placeholders {
  readonly names: Record<string, string> = {};
  readonly values: Record<string, AttributeValue> = {};

  name(attributeName: string): string {
    const base = `#${safeIdentifier(attributeName)}`;
    for (let suffix = 0; ; suffix += 1) {
      const placeholder = suffix === 0 ? base : `${base}_${suffix}`;
      const taken = this.names[placeholder];
      if (taken === undefined || taken === attributeName) {
        this.names[placeholder] = attributeName;
        return placeholder;
      }
    }
  }

  value(baseName: string, value: AttributeValue): string {
    const base = `:${safeIdentifier(baseName)}`;
    let placeholder = base;
    for (let suffix = 1; this.values[placeholder] !== undefined; suffix += 1) placeholder = `${base}_${suffix}`;
    this.values[placeholder] = value;
    return placeholder;
  }
}

export function safeIdentifier(text: string): string {
  const safe = text.replace(/[^A-Za-z0-9_]/g, '_');
  return safe === '' ? '_' : safe;
}

/** `a.b[2].c` → `#a.#b[2].#c`, each segment a name placeholder. */
export function documentPathOf(path: string, placeholders: Placeholders): string {
  return path
    .split('.')
    .map((segment) => {
      const match = /^(.*?)((?:\[\d+\])*)$/.exec(segment);
      const attributeName = match?.[1] ?? segment;
      return `${placeholders.name(attributeName)}${match?.[2] ?? ''}`;
    })
    .join('.');
}

/**
 * Update placeholders as AWS's module writes them: `#expName_1`, `#expName_2` … one per attribute name
 * in order of first use, `:expValue_1`, `:expValue_2` … one per value (recorded with EvaluateCode in
 * theburningmonk's AppSync masterclass, editMyProfile: `SET #expName_1 = :expValue_1, #expName_2 = …`).
 */
export class NumberedPlaceholders {
  readonly names: Record<string, string> = {};
  readonly values: Record<string, AttributeValue> = {};
  private readonly byName = new Map<string, string>();

  name(attributeName: string): string {
    let placeholder = this.byName.get(attributeName);
    if (placeholder === undefined) {
      placeholder = `#expName_${this.byName.size + 1}`;
      this.byName.set(attributeName, placeholder);
      this.names[placeholder] = attributeName;
    }
    return placeholder;
  }

  value(value: AttributeValue): string {
    const placeholder = `:expValue_${Object.keys(this.values).length + 1}`;
    this.values[placeholder] = value;
    return placeholder;
  }
}

/** The clauses of an update expression, collected while walking the update object. */
export class UpdateExpressionBuilder {
  readonly placeholders = new NumberedPlaceholders();
  private readonly setActions: string[] = [];
  private readonly removeActions: string[] = [];

  constructor(private readonly util: Util) {}

  walk(update: Record<string, unknown>, segments: string[]): void {
    for (const [attributeName, value] of Object.entries(update)) {
      if (value === undefined) continue;
      const path = [...segments, attributeName];
      if (isUpdateOperation(value)) this.apply(path, value);
      else if (Array.isArray(value) && value.length > 0 && value.every(isUpdateOperation)) {
        for (const operation of value) this.apply(path, operation);
      } else if (isPlainObject(value) && !isDynamoDBSet(value)) this.walk(value, path);
      else this.set(path, value);
    }
  }

  build(): DynamoDBExpression {
    const clauses: string[] = [];
    if (this.setActions.length > 0) clauses.push(`SET ${this.setActions.join(', ')}`);
    if (this.removeActions.length > 0) clauses.push(`REMOVE ${this.removeActions.join(', ')}`);
    return { expression: clauses.join(' '), expressionNames: this.placeholders.names, expressionValues: this.placeholders.values };
  }

  /** `a.b[2].c` → `#expName_1.#expName_2[2].#expName_3`. */
  private documentPath(path: string[]): string {
    return path
      .map((segment) => {
        const match = /^(.*?)((?:\[\d+\])*)$/.exec(segment);
        return `${this.placeholders.name(match?.[1] ?? segment)}${match?.[2] ?? ''}`;
      })
      .join('.');
  }

  private set(path: string[], value: unknown): void {
    const documentPath = this.documentPath(path);
    this.setActions.push(`${documentPath} = ${this.placeholders.value(attributeValueOf(value, this.util))}`);
  }

  private apply(path: string[], operation: UpdateOperation): void {
    switch (operation._type) {
      case 'replace':
      case 'add':
        this.set(path, operation.value);
        return;
      case 'remove':
        this.removeActions.push(this.documentPath(path));
        return;
      case 'increment':
      case 'decrement': {
        const documentPath = this.documentPath(path);
        const sign = operation._type === 'increment' ? '+' : '-';
        this.setActions.push(`${documentPath} = ${documentPath} ${sign} ${this.placeholders.value({ N: operation.by })}`);
        return;
      }
      case 'append':
      case 'prepend': {
        const documentPath = this.documentPath(path);
        const items = this.placeholders.value(this.util.dynamodb.toDynamoDB(operation.value));
        this.setActions.push(
          `${documentPath} = list_append(${operation._type === 'append' ? `${documentPath}, ${items}` : `${items}, ${documentPath}`})`,
        );
        return;
      }
      case 'updateListItem': {
        const itemPath = `${this.documentPath(path)}[${operation.index}]`;
        this.setActions.push(`${itemPath} = ${this.placeholders.value(attributeValueOf(operation.value, this.util))}`);
        return;
      }
      default: {
        const unknownOperation: never = operation;
        throw new TypeError(`@aws-appsync/utils/dynamodb: unknown update operation ${JSON.stringify(unknownOperation)}`);
      }
    }
  }
}

export function projectionOf(projection: unknown): ProjectionExpression | undefined {
  if (!Array.isArray(projection) || projection.length === 0) return undefined;
  const placeholders = new Placeholders();
  const expression = projection.map((path) => documentPathOf(String(path), placeholders)).join(', ');
  return { expression, expressionNames: placeholders.names };
}

export const KEY_CONDITION_SYMBOLS: Record<string, string> = { eq: '=', lt: '<', le: '<=', gt: '>', ge: '>=' };

/** A Query's key condition: equality on the partition key, a comparison or `beginsWith` on the sort key. */
export function keyConditionOf(query: unknown, util: Util): DynamoDBExpression {
  if (!isPlainObject(query)) throw new TypeError('@aws-appsync/utils/dynamodb query: query must be an object');
  const placeholders = new Placeholders();
  const conditions: string[] = [];
  for (const [attributeName, operators] of Object.entries(query)) {
    if (!isPlainObject(operators)) throw new TypeError(`@aws-appsync/utils/dynamodb query: ${attributeName} needs an operator`);
    const name = placeholders.name(attributeName);
    for (const [operator, operand] of Object.entries(operators)) {
      if (operand === undefined) continue;
      const valueName = `${attributeName}_${operator}`;
      const symbol = KEY_CONDITION_SYMBOLS[operator];
      if (symbol !== undefined) {
        conditions.push(`${name} ${symbol} ${placeholders.value(valueName, util.dynamodb.toDynamoDB(operand))}`);
      } else if (operator === 'beginsWith') {
        conditions.push(`begins_with(${name}, ${placeholders.value(valueName, util.dynamodb.toDynamoDB(operand))})`);
      } else if (operator === 'between' && Array.isArray(operand) && operand.length >= 2) {
        const start = placeholders.value(`${valueName}_start`, util.dynamodb.toDynamoDB(operand[0]));
        const end = placeholders.value(`${valueName}_end`, util.dynamodb.toDynamoDB(operand[1]));
        conditions.push(`${name} BETWEEN ${start} AND ${end}`);
      } else {
        throw new TypeError(`@aws-appsync/utils/dynamodb query: ${operator} is not a key condition operator`);
      }
    }
  }
  return { expression: conditions.join(' AND '), expressionNames: placeholders.names, expressionValues: placeholders.values };
}

export const WRITE_OPTIONS = ['customPartitionKey', 'populateIndexFields', '_version'] as const;
