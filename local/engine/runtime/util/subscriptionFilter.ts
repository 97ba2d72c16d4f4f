/**
 * `util.transform.toSubscriptionFilter(filter, ignoredFields?, rules?)`, as documented in
 * "Transformation helpers in util.transform"
 * (https://docs.aws.amazon.com/appsync/latest/devguide/transformation-helpers-in-utils-transform-js.html).
 *
 * A filter object is a conjunction of its keys; several operators on one field, and the members
 * of `or`, are alternatives; `and` members combine. AppSync's `SubscriptionFilter` is a
 * disjunction of groups, so the object is multiplied out: one group per combination of
 * alternatives, earlier keys varying slowest (the order of AWS's example output). Rules
 * (argument 3) add one more set of alternatives, "at least one of the rules".
 */
import { isPlainObject } from './dynamodb.ts';

/** One condition of a subscription filter group. */
export interface SubscriptionFilterEntry {
  fieldName: string;
  operator: string;
  value: unknown;
}

/** What `extensions.setSubscriptionFilter` takes. */
export interface SubscriptionFilter {
  filterGroup: { filters: SubscriptionFilterEntry[] }[];
}

/** Alternatives, each a conjunction of filter entries. */
type Alternatives = SubscriptionFilterEntry[][];

class MalformedSubscriptionFilter extends Error {}

/** Every combination of one alternative from each factor, the first factor varying slowest. */
function multiply(factors: Alternatives[]): Alternatives {
  let combinations: Alternatives = [[]];
  for (const factor of factors) {
    const next: Alternatives = [];
    for (const combination of combinations) {
      for (const alternative of factor) next.push([...combination, ...alternative]);
    }
    combinations = next;
  }
  return combinations;
}

/**
 * The members of an `or`, each an alternative. A member left empty (all its fields ignored) offers
 * no alternative rather than an always-true one: AWS's example 2 drops `author` from
 * `or: [author, isPublished]` and keeps `isPublished` as a condition of the single group.
 */
function alternativesOfOr(members: Alternatives[]): Alternatives {
  const alternatives = members.flat().filter((alternative) => alternative.length > 0);
  return alternatives.length > 0 ? alternatives : [[]];
}

function alternativesOfObject(filter: Record<string, unknown>, ignoredFields: ReadonlySet<string>): Alternatives {
  const factors: Alternatives[] = [];
  for (const [key, operand] of Object.entries(filter)) {
    if (key === 'and' || key === 'or') {
      if (!Array.isArray(operand)) throw new MalformedSubscriptionFilter(`${key} needs a list`);
      const members = operand.map((member) => {
        if (!isPlainObject(member)) throw new MalformedSubscriptionFilter(`${key} member is not an object`);
        return alternativesOfObject(member, ignoredFields);
      });
      factors.push(key === 'and' ? multiply(members) : alternativesOfOr(members));
    } else if (!ignoredFields.has(key)) {
      // Only and/or are keywords here: `not` is a field name, as AppSync treats it.
      if (!isPlainObject(operand)) throw new MalformedSubscriptionFilter(`${key} needs operators`);
      factors.push(Object.entries(operand).map(([operator, value]) => [{ fieldName: key, operator, value }]));
    }
  }
  return multiply(factors);
}

/**
 * Convert a filter object to a `SubscriptionFilter`; `null` for anything but an object. Groups
 * left without filters are dropped, so `{}` gives `{ filterGroup: [] }`.
 *
 * @example
 * toSubscriptionFilter({ id: { eq: '1' } }); // { filterGroup: [{ filters: [{ fieldName: 'id', operator: 'eq', value: '1' }] }] }
 */
export function toSubscriptionFilter(filter: unknown, ignoredFields?: unknown, rules?: unknown): SubscriptionFilter | null {
  if (!isPlainObject(filter)) return null;
  const ignored = new Set(Array.isArray(ignoredFields) ? ignoredFields.map(String) : []);
  try {
    const factors = [alternativesOfObject(filter, ignored)];
    if (isPlainObject(rules) && Object.keys(rules).length > 0) {
      // Rules are not subject to ignoredFields: AWS's example keeps an ignored field as a rule.
      factors.push(alternativesOfObject({ or: Object.entries(rules).map(([field, ops]) => ({ [field]: ops })) }, new Set()));
    }
    const groups = multiply(factors).filter((filters) => filters.length > 0);
    return { filterGroup: groups.map((filters) => ({ filters })) };
  } catch (error) {
    if (error instanceof MalformedSubscriptionFilter) return null;
    throw error;
  }
}
