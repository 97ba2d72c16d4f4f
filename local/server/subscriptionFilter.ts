/**
 * Decides whether a published mutation result reaches one subscriber, as
 * AppSync does: every non-null argument of the subscription must equal the
 * same-named field of the result, and the subscription's enhanced filter
 * (set by its resolver with `extensions.setSubscriptionFilter`) must pass.
 *
 * Enhanced filters: `{ filterGroup: [{ filters: [{ fieldName, operator, value }] }] }`,
 * groups OR-ed, filters within a group AND-ed (AWS "Enhanced subscription filters").
 */

export function matchesArguments(args: Record<string, unknown>, payload: Record<string, unknown>): boolean {
  return Object.entries(args).every(([name, value]) => value === null || value === undefined || payload[name] === value);
}

interface FilterRule {
  fieldName: string;
  operator: string;
  value?: unknown;
}

export interface SubscriptionFilter {
  filterGroup?: { filters?: FilterRule[] }[];
}

export function matchesFilter(filter: SubscriptionFilter | undefined | null, payload: Record<string, unknown>): boolean {
  const groups = filter?.filterGroup ?? [];
  if (groups.length === 0) return true;
  return groups.some((group) => (group.filters ?? []).every((rule) => matchesRule(rule, payload)));
}

function valueAt(payload: Record<string, unknown>, fieldName: string): unknown {
  let value: unknown = payload;
  for (const part of fieldName.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function matchesRule(rule: FilterRule, payload: Record<string, unknown>): boolean {
  const actual = valueAt(payload, rule.fieldName);
  const expected = rule.value;
  switch (rule.operator) {
    case 'eq':
      return actual === expected;
    case 'ne':
      return actual !== expected;
    case 'lt':
      return compare(actual, expected) < 0;
    case 'le':
      return compare(actual, expected) <= 0;
    case 'gt':
      return compare(actual, expected) > 0;
    case 'ge':
      return compare(actual, expected) >= 0;
    case 'contains':
      return Array.isArray(actual) ? actual.includes(expected) : typeof actual === 'string' && actual.includes(String(expected));
    case 'notContains':
      return Array.isArray(actual) ? !actual.includes(expected) : typeof actual === 'string' && !actual.includes(String(expected));
    case 'beginsWith':
      return typeof actual === 'string' && actual.startsWith(String(expected));
    case 'in':
      return Array.isArray(expected) && expected.includes(actual);
    case 'notIn':
      return Array.isArray(expected) && !expected.includes(actual);
    case 'between': {
      const [low, high] = expected as [unknown, unknown];
      return compare(actual, low) >= 0 && compare(actual, high) <= 0;
    }
    case 'containsAny':
      return Array.isArray(actual) && Array.isArray(expected) && expected.some((item) => actual.includes(item));
    case 'attributeExists':
      return expected ? actual !== undefined && actual !== null : actual === undefined || actual === null;
    default:
      return false;
  }
}

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return Number.NaN;
}
