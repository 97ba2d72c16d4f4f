/**
 * The parts every AppSync DynamoDB request shares: expressions with their names and values,
 * the table and key checks, and the shape of one operation's runner.
 */
import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { MappingTemplateError, toAttributeMap } from './attributeValues.ts';
import type { AppSyncError } from './appSyncErrors.ts';

/** A data source's answer: `result` → `ctx.result`, `error` → `ctx.error` (both may be set). */
export interface DynamoDbDataSourceResponse {
  result?: unknown;
  error?: AppSyncError;
}

export type Operation = (
  client: DynamoDBClient,
  request: Record<string, unknown>,
  tableName: string | undefined,
) => Promise<DynamoDbDataSourceResponse>;

export interface Expression {
  expression: string;
  expressionNames?: Record<string, string>;
  expressionValues?: Record<string, unknown>;
}

export interface ConditionExpression extends Expression {
  equalsIgnore?: string[];
  consistentRead?: boolean;
  conditionalCheckFailedHandler?: { strategy?: string; lambdaArn?: string };
  returnValuesOnConditionCheckFailure?: boolean;
}

/** Collects expression names and values of several expressions into one SDK input. */
export class ExpressionAttributes {
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

export function requireTable(tableName: string | undefined, operation: unknown): string {
  if (!tableName) {
    throw new MappingTemplateError(`${String(operation)} needs the data source's table name, and none was configured`);
  }
  return tableName;
}

export function requireMap(value: unknown, where: string): Record<string, AttributeValue> {
  if (value === undefined || value === null) {
    throw new MappingTemplateError(`Value for field '${where}' not found.`);
  }
  return toAttributeMap(value, where);
}
