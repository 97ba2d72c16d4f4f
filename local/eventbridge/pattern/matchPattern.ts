/**
 * Matching a compiled pattern against an event, with EventBridge's semantics:
 * - fields named in the pattern must all match (AND); values listed for a field are alternatives (OR);
 * - an array in the event matches when any of its elements does; arrays of objects are "crushed"
 *   but array-consistent: fields of one sub-pattern must come from the same array element;
 * - `exists` works on leaves only: a field holding an object or an empty array does not "exist";
 * - null and "" are values of their own and match only `null` and `""`.
 */
import { cidrContains, parseIpAddress } from './ipAddress.ts';
import { decimalPlaces, NUMERIC_LIMIT, type CompiledEventPattern, type ObjectPattern, type ValueMatcher } from './compilePattern.ts';

type Leaf = string | number | boolean | null;

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The leaf values a field holds: the value itself, or the scalars of a (nested) array; objects are not leaves. */
function leavesOf(value: unknown): Leaf[] {
  if (value === undefined || isPlainObject(value)) return [];
  if (!Array.isArray(value)) return [value as Leaf];
  const leaves: Leaf[] = [];
  for (const item of value) leaves.push(...leavesOf(item));
  return leaves;
}

/** What a nested sub-pattern is matched against: each object of an (array) value, or "absent". */
function objectsOf(value: unknown): (Record<string, unknown> | undefined)[] {
  if (isPlainObject(value)) return [value];
  if (!Array.isArray(value)) return [undefined];
  const objects: (Record<string, unknown> | undefined)[] = [];
  const walk = (items: unknown[]): void => {
    for (const item of items) {
      if (Array.isArray(item)) walk(item);
      else objects.push(isPlainObject(item) ? item : undefined);
    }
  };
  walk(value);
  return objects.length === 0 ? [undefined] : objects;
}

function matchesObject(pattern: ObjectPattern, event: Record<string, unknown> | undefined): boolean {
  for (const field of pattern.fields) {
    const value = event === undefined ? undefined : Object.hasOwn(event, field.key) ? event[field.key] : undefined;
    if (field.kind === 'leaf') {
      const leaves = leavesOf(value);
      if (!field.matchers.some((matcher) => matchesLeaves(matcher, leaves))) return false;
    } else if (!objectsOf(value).some((item) => matchesObject(field.pattern, item))) {
      return false;
    }
  }
  return pattern.ors.every((alternatives) => alternatives.some((alternative) => matchesObject(alternative, event)));
}

function matchesLeaves(matcher: ValueMatcher, leaves: Leaf[]): boolean {
  if (matcher.op === 'exists') return matcher.exists === leaves.length > 0;
  return leaves.some((leaf) => matchesLeaf(matcher, leaf));
}

const lower = (s: string): string => s.toLowerCase();

function matchesLeaf(matcher: ValueMatcher, leaf: Leaf): boolean {
  switch (matcher.op) {
    case 'exact':
      if (typeof matcher.value === 'string') {
        if (typeof leaf !== 'string') return false;
        if (leaf === matcher.value) return true;
        if (!matcher.ip) return false;
        const address = parseIpAddress(leaf);
        return address !== undefined && address.version === matcher.ip.version && address.value === matcher.ip.value;
      }
      return leaf === matcher.value;
    case 'prefix':
      if (typeof leaf !== 'string') return false;
      return matcher.ignoreCase ? lower(leaf).startsWith(lower(matcher.value)) : leaf.startsWith(matcher.value);
    case 'suffix':
      if (typeof leaf !== 'string') return false;
      return matcher.ignoreCase ? lower(leaf).endsWith(lower(matcher.value)) : leaf.endsWith(matcher.value);
    case 'equals-ignore-case':
      return typeof leaf === 'string' && lower(leaf) === lower(matcher.value);
    case 'wildcard':
      return typeof leaf === 'string' && matcher.regex.test(leaf);
    case 'anything-but':
      if (typeof leaf === 'string') return !matcher.strings.includes(leaf);
      if (typeof leaf === 'number') return !matcher.numbers.includes(leaf);
      return true;
    case 'anything-but-prefix':
      return typeof leaf !== 'string' || !matcher.values.some((v) => leaf.startsWith(v));
    case 'anything-but-suffix':
      return typeof leaf !== 'string' || !matcher.values.some((v) => leaf.endsWith(v));
    case 'anything-but-ignore-case':
      return typeof leaf !== 'string' || !matcher.values.some((v) => lower(v) === lower(leaf));
    case 'anything-but-wildcard':
      return typeof leaf !== 'string' || !matcher.regexes.some((r) => r.test(leaf));
    case 'numeric': {
      // Only JSON numbers, and only those event-ruler can compare: within ±5e9, at most 6 decimals.
      if (typeof leaf !== 'number' || !(Math.abs(leaf) <= NUMERIC_LIMIT) || decimalPlaces(leaf) > 6) return false;
      const { lower: low, upper: high } = matcher;
      if (low && (low.inclusive ? leaf < low.value : leaf <= low.value)) return false;
      if (high && (high.inclusive ? leaf > high.value : leaf >= high.value)) return false;
      return true;
    }
    case 'cidr': {
      if (typeof leaf !== 'string') return false;
      const address = parseIpAddress(leaf);
      return address !== undefined && cidrContains(matcher.block, address);
    }
    case 'exists':
      return true;
    default: {
      const unreachable: never = matcher;
      return unreachable;
    }
  }
}

/** True when `event` (a parsed event object) matches the compiled pattern. */
export function matchesCompiledPattern(pattern: CompiledEventPattern, event: unknown): boolean {
  return isPlainObject(event) && matchesObject(pattern.root, withDottedKeysNested(event));
}

/** Events already expanded, so an event matched against many rules is expanded once. */
const expandedEvents = new WeakMap<object, Record<string, unknown>>();

/**
 * The event with each dotted key (`"vm.power": "on"`) nested (`vm: { power: "on" }`), merged with what
 * the event already nests there: event-ruler joins nested keys with `.`, so both spell the same field.
 * A dotted key whose head holds a non-object value is kept as it is. Unchanged events are returned as they are.
 */
function withDottedKeysNested(event: Record<string, unknown>): Record<string, unknown> {
  const cached = expandedEvents.get(event);
  if (cached) return cached;
  const expanded = nestObject(event);
  expandedEvents.set(event, expanded);
  return expanded;
}

function nestValue(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(nestValue);
    return items.every((item, index) => item === value[index]) ? value : items;
  }
  return isPlainObject(value) ? nestObject(value) : value;
}

function nestObject(object: Record<string, unknown>): Record<string, unknown> {
  let changed = false;
  const result: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(object)) {
    const value = nestValue(raw);
    if (value !== raw) changed = true;
    const segments = key.split('.');
    if (segments.length < 2 || segments.some((segment) => segment === '')) {
      result[key] = mergeInto(result[key], value);
      continue;
    }
    changed = true;
    let target = result;
    let placed = true;
    for (const segment of segments.slice(0, -1)) {
      const existing = target[segment];
      if (existing !== undefined && !isPlainObject(existing)) {
        placed = false;
        break;
      }
      // A copy: the caller's event is never changed.
      target[segment] = { ...existing };
      target = target[segment] as Record<string, unknown>;
    }
    if (placed) target[segments.at(-1)!] = mergeInto(target[segments.at(-1)!], value);
    else result[key] = value;
  }
  return changed ? result : object;
}

/** Two objects under one key are merged (a nested object and the dotted keys under it); otherwise the newer value is kept. */
function mergeInto(existing: unknown, value: unknown): unknown {
  if (!isPlainObject(existing) || !isPlainObject(value)) return existing === undefined ? value : isPlainObject(existing) ? existing : value;
  const merged: Record<string, unknown> = { ...existing };
  for (const [key, item] of Object.entries(value)) merged[key] = mergeInto(merged[key], item);
  return merged;
}
