/**
 * `util.transform`, as documented in "Transformation helpers in util.transform"
 * (https://docs.aws.amazon.com/appsync/latest/devguide/transformation-helpers-in-utils-transform-js.html).
 */
import { buildDynamoDBExpression } from './dynamodbExpression.ts';
import { toOpenSearchQuery } from './openSearchQuery.ts';
import { toSubscriptionFilter, type SubscriptionFilter } from './subscriptionFilter.ts';

/** `util.transform` as APPSYNC_JS code sees it. */
export interface TransformUtils {
  toDynamoDBFilterExpression(filter: unknown): string | null;
  toDynamoDBConditionExpression(condition: unknown): string | null;
  toElasticsearchQueryDSL(filter: unknown): string | null;
  toSubscriptionFilter(filter: unknown, ignoredFields?: unknown, rules?: unknown): SubscriptionFilter | null;
}

/**
 * Create `util.transform`. The two DynamoDB functions return JSON strings (AWS's typings say
 * `string`), `null` for a filter AppSync cannot render; AppSync recorded output is identical for
 * both, so they share one renderer.
 *
 * @example
 * JSON.parse(createTransformUtils().toDynamoDBConditionExpression({ id: { attributeExists: false } })!);
 * // { expression: '(attribute_not_exists(#id))', expressionNames: { '#id': 'id' }, expressionValues: {} }
 */
export function createTransformUtils(): TransformUtils {
  const expressionAsJson = (filter: unknown): string | null => {
    const expression = buildDynamoDBExpression(filter);
    return expression === null ? null : JSON.stringify(expression);
  };
  return {
    toDynamoDBFilterExpression: expressionAsJson,
    toDynamoDBConditionExpression: expressionAsJson,
    toElasticsearchQueryDSL: (filter) => {
      const query = toOpenSearchQuery(filter);
      return query === null ? null : JSON.stringify(query);
    },
    toSubscriptionFilter,
  };
}
