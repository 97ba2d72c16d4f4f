/**
 * `util.transform.toElasticsearchQueryDSL(filter)`: a filter object as OpenSearch Query DSL, as
 * documented in "Transformation helpers in util.transform"
 * (https://docs.aws.amazon.com/appsync/latest/devguide/transformation-helpers-in-utils-transform-js.html).
 *
 * AWS documents one example (two fields, two operators each: every field becomes
 * `{ bool: { must: [...] } }` inside a top-level `bool.must`). Its docs are silent on a single
 * clause, so one clause is returned as itself rather than wrapped in a one-member `bool`; and on
 * `multiMatch`, rendered as `multi_match` over that one field.
 */
import { isPlainObject } from './dynamodb.ts';

type QueryClause = Record<string, unknown>;

class MalformedQueryFilter extends Error {}

/** OpenSearch clause names of the filter operators that map one to one. */
const SINGLE_VALUE_QUERIES: Record<string, string> = {
  eq: 'term',
  match: 'match',
  matchPhrase: 'match_phrase',
  matchPhrasePrefix: 'match_phrase_prefix',
  wildcard: 'wildcard',
  regexp: 'regexp',
};

const RANGE_OPERATORS = new Set(['gt', 'gte', 'lt', 'lte']);

/** Several clauses are ANDed in a `bool.must`; a single clause stands alone. */
function allOf(clauses: QueryClause[]): QueryClause {
  return clauses.length === 1 && clauses[0] !== undefined ? clauses[0] : { bool: { must: clauses } };
}

function operatorClause(field: string, operator: string, value: unknown): QueryClause {
  const queryName = SINGLE_VALUE_QUERIES[operator];
  if (queryName !== undefined) return { [queryName]: { [field]: value } };
  if (RANGE_OPERATORS.has(operator)) return { range: { [field]: { [operator]: value } } };
  switch (operator) {
    case 'ne':
      return { bool: { must_not: { term: { [field]: value } } } };
    case 'range':
      if (!Array.isArray(value) || value.length < 2) throw new MalformedQueryFilter('range needs two bounds');
      return { range: { [field]: { gte: value[0], lte: value[1] } } };
    case 'exists':
      return value === false ? { bool: { must_not: { exists: { field } } } } : { exists: { field } };
    case 'multiMatch':
      return { multi_match: { query: value, fields: [field] } };
    default:
      throw new MalformedQueryFilter(`unknown operator ${operator}`);
  }
}

function clausesOfObject(filter: Record<string, unknown>): QueryClause[] {
  const clauses: QueryClause[] = [];
  for (const [key, operand] of Object.entries(filter)) {
    if (key === 'and' || key === 'or') {
      if (!Array.isArray(operand)) throw new MalformedQueryFilter(`${key} needs a list`);
      const members = operand.map((member) => {
        if (!isPlainObject(member)) throw new MalformedQueryFilter(`${key} member is not an object`);
        return allOf(clausesOfObject(member));
      });
      clauses.push(key === 'and' ? { bool: { must: members } } : { bool: { should: members } });
    } else if (key === 'not') {
      if (!isPlainObject(operand)) throw new MalformedQueryFilter('not needs an object');
      clauses.push({ bool: { must_not: allOf(clausesOfObject(operand)) } });
    } else {
      if (!isPlainObject(operand)) throw new MalformedQueryFilter(`${key} needs operators`);
      clauses.push(allOf(Object.entries(operand).map(([operator, value]) => operatorClause(key, operator, value))));
    }
  }
  return clauses;
}

/**
 * The filter object as an OpenSearch query, or `null` when it cannot be read.
 *
 * @example toOpenSearchQuery({ title: { eq: 'hihihi' } }) // { term: { title: 'hihihi' } }
 */
export function toOpenSearchQuery(filter: unknown): QueryClause | null {
  if (!isPlainObject(filter)) return null;
  try {
    return allOf(clausesOfObject(filter));
  } catch (error) {
    if (error instanceof MalformedQueryFilter) return null;
    throw error;
  }
}
