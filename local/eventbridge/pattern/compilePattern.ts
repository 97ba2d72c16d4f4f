/**
 * Event patterns, parsed and validated the way EventBridge does (its matcher is aws/event-ruler):
 * a pattern AWS refuses is an `InvalidEventPatternException` here, never a pattern that silently
 * matches nothing. The reasons reuse event-ruler's wording (JsonRuleCompiler) so they read like AWS's.
 */
import { invalidPattern } from '../errors.ts';
import { parseCidr, parseIpAddress, type CidrBlock, type IpAddress } from './ipAddress.ts';

export type ValueMatcher =
  | { op: 'exact'; value: string | number | boolean | null; ip?: IpAddress }
  | { op: 'prefix'; value: string; ignoreCase: boolean }
  | { op: 'suffix'; value: string; ignoreCase: boolean }
  | { op: 'equals-ignore-case'; value: string }
  | { op: 'wildcard'; source: string; regex: RegExp }
  | { op: 'anything-but'; strings: string[]; numbers: number[] }
  | { op: 'anything-but-prefix' | 'anything-but-suffix' | 'anything-but-ignore-case'; values: string[] }
  | { op: 'anything-but-wildcard'; regexes: RegExp[] }
  | { op: 'numeric'; lower?: Bound; upper?: Bound }
  | { op: 'exists'; exists: boolean }
  | { op: 'cidr'; block: CidrBlock };

export interface Bound {
  value: number;
  inclusive: boolean;
}

export type FieldPattern =
  { kind: 'leaf'; key: string; matchers: ValueMatcher[] } | { kind: 'object'; key: string; pattern: ObjectPattern };

/** All `fields` must match (AND); for each entry of `ors`, at least one alternative must match. */
export interface ObjectPattern {
  fields: FieldPattern[];
  ors: ObjectPattern[][];
}

/** A pattern ready to match: build it once per rule with {@link compileEventPattern}. */
export interface CompiledEventPattern {
  readonly root: ObjectPattern;
  /** The pattern as given, for display. */
  readonly source: unknown;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const OR = '$or';
/** event-ruler's Constants.RESERVED_FIELD_NAMES_IN_OR_RELATIONSHIP: refused as field names inside `$or`. */
const RESERVED_IN_OR = new Set([
  'exactly',
  'equals-ignore-case',
  'prefix',
  'suffix',
  'anything-but',
  'exists',
  'wildcard',
  'numeric',
  'cidr',
  'html',
  '=',
  '<',
  '<=',
  '>',
  '>=',
  'regex',
  'not-wildcard',
  'not-equals-ignore-case',
  'date-after',
  'date-on-or-after',
  'date-before',
  'date-on-or-before',
  'in-date-range',
  'ip-address-in-range',
  'ip-address-not-in-range',
]);
/** EventBridge's numeric matching range (AWS docs, "Numeric matching"). */
export const NUMERIC_LIMIT = 5e9;

const isObject = (v: unknown): v is { [key: string]: Json } => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Parses and validates an event pattern (a JSON string or an already parsed object).
 * Throws an `EventBridgeError` with code `InvalidEventPatternException` when AWS would refuse it.
 *
 * @example
 * const pattern = compileEventPattern('{"source":["app.reservation"],"detail":{"nights":[{"numeric":[">",0,"<=",30]}]}}');
 */
export function compileEventPattern(pattern: string | object): CompiledEventPattern {
  let parsed: unknown = pattern;
  if (typeof pattern === 'string') {
    try {
      parsed = JSON.parse(pattern);
    } catch (error) {
      throw invalidPattern(`Pattern is not valid JSON (${(error as Error).message})`, []);
    }
  }
  if (!isObject(parsed)) throw invalidPattern('Filter is not an object', []);
  return { root: compileObject(parsed, [], false), source: parsed };
}

function compileObject(node: { [key: string]: Json }, path: string[], insideOr: boolean): ObjectPattern {
  const keys = Object.keys(node);
  if (keys.length === 0) throw invalidPattern('Empty objects are not allowed', path);
  const result: ObjectPattern = { fields: [], ors: [] };
  for (const key of keys) {
    const value = node[key] as Json;
    const at = [...path, key];
    if (key === OR) {
      result.ors.push(compileOr(value, at));
      continue;
    }
    if (insideOr && RESERVED_IN_OR.has(key))
      throw invalidPattern(`${key} is Ruler reserved fieldName which cannot be used inside ${OR}.`, at);
    let field: FieldPattern;
    if (Array.isArray(value)) field = { kind: 'leaf', key, matchers: compileValues(value, at) };
    else if (isObject(value)) field = { kind: 'object', key, pattern: compileObject(value, at, insideOr) };
    else throw invalidPattern(`"${key}" must be an object or an array`, at);
    addField(result, nestDottedKey(field));
  }
  return result;
}

/**
 * event-ruler names a field by its path joined with `.`, so `{"vm.power": …}` and `{"vm": {"power": …}}`
 * are one field: a dotted key becomes the nested fields it names (matchPattern expands events alike).
 */
function nestDottedKey(field: FieldPattern): FieldPattern {
  const segments = field.key.split('.');
  if (segments.length < 2 || segments.some((segment) => segment === '')) return field;
  let nested: FieldPattern = { ...field, key: segments.at(-1)! };
  for (const segment of segments.slice(0, -1).reverse()) nested = { kind: 'object', key: segment, pattern: { fields: [nested], ors: [] } };
  return nested;
}

/** Fields naming the same object are one sub-pattern, so array elements match it as a whole (array consistency). */
function addField(pattern: ObjectPattern, field: FieldPattern): void {
  const same =
    field.kind === 'object' ? pattern.fields.find((existing) => existing.kind === 'object' && existing.key === field.key) : undefined;
  if (!same || same.kind !== 'object' || field.kind !== 'object') {
    pattern.fields.push(field);
    return;
  }
  for (const inner of field.pattern.fields) addField(same.pattern, inner);
  same.pattern.ors.push(...field.pattern.ors);
}

function compileOr(value: Json, path: string[]): ObjectPattern[] {
  if (!Array.isArray(value)) throw invalidPattern(`It must be an Array followed with ${OR}.`, path);
  const alternatives = value.map((item, i) => {
    if (!isObject(item)) throw invalidPattern(`Only JSON object is allowed in array of ${OR} relationship.`, [...path, String(i)]);
    return compileObject(item, [...path, String(i)], true);
  });
  if (alternatives.length < 2) throw invalidPattern(`There must have at least 2 Objects in ${OR} relationship.`, path);
  return alternatives;
}

function compileValues(values: Json[], path: string[]): ValueMatcher[] {
  if (values.length === 0) throw invalidPattern('Empty arrays are not allowed', path);
  const matchers = values.map((value, i): ValueMatcher => {
    const at = [...path, String(i)];
    if (isObject(value)) return compileExpression(value, at);
    if (Array.isArray(value)) throw invalidPattern('Match value must be String, number, true, false, or null', at);
    if (typeof value === 'string') {
      const ip = parseIpAddress(value);
      return ip ? { op: 'exact', value, ip } : { op: 'exact', value };
    }
    return { op: 'exact', value };
  });
  const wildcards = values.flatMap(wildcardSourcesOf);
  if (wildcards.length > 0 && wildcardComplexity(wildcards) > MAX_WILDCARD_COMPLEXITY) {
    throw invalidPattern(
      'Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character',
      path,
    );
  }
  return matchers;
}

function wildcardSourcesOf(value: Json): string[] {
  if (!isObject(value)) return [];
  if (typeof value.wildcard === 'string') return [value.wildcard];
  const anythingBut = value['anything-but'];
  if (!isObject(anythingBut)) return [];
  const operand = anythingBut.wildcard;
  if (typeof operand === 'string') return [operand];
  return Array.isArray(operand) ? operand.filter((item): item is string => typeof item === 'string') : [];
}

/**
 * EventBridge refuses wildcard patterns whose matching could be in too many states at once
 * (event-ruler's MachineComplexityEvaluator: "the maximum number of wildcard rule prefixes that could
 * match a theoretical input value"). This walks the patterns' automaton over every reachable set of
 * states, each pattern quoted as event-ruler stores it, and returns the largest set. An approximation
 * of the byte machine's count, calibrated on what AWS is recorded to do: `*:*:*:*:*:event-bus/*` is
 * refused (11 here), the documented `arn:aws:events:us-east-1:*:event-bus/*` and `*\/lib/*` are not (5).
 */
export const MAX_WILDCARD_COMPLEXITY = 10;
const STAR = -1;

export function wildcardComplexity(patterns: string[]): number {
  const tokens = patterns.map((text) => {
    const out: number[] = [34];
    for (let i = 0; i < text.length; i += 1) {
      if (text[i] === '*') out.push(STAR);
      else if (text[i] === '\\') {
        i += 1;
        out.push(text.charCodeAt(i));
      } else out.push(text.charCodeAt(i));
    }
    out.push(34);
    return out;
  });
  const alphabet = [...new Set(tokens.flat().filter((t) => t !== STAR)), 0];
  const close = (states: Set<string>): Set<string> => {
    const pending = [...states];
    while (pending.length > 0) {
      const [p, i] = (pending.pop() as string).split(':').map(Number) as [number, number];
      if (tokens[p]?.[i] === STAR && !states.has(`${p}:${i + 1}`)) {
        states.add(`${p}:${i + 1}`);
        pending.push(`${p}:${i + 1}`);
      }
    }
    return states;
  };
  const start = close(new Set(tokens.map((_, p) => `${p}:0`)));
  const seen = new Set<string>();
  const queue = [start];
  let maximum = 0;
  while (queue.length > 0 && seen.size < 10_000) {
    const states = queue.shift() as Set<string>;
    for (const byte of alphabet) {
      const next = new Set<string>();
      for (const state of states) {
        const [p, i] = state.split(':').map(Number) as [number, number];
        const token = tokens[p]?.[i];
        if (token === STAR) next.add(state);
        else if (token === byte) next.add(`${p}:${i + 1}`);
      }
      if (next.size === 0) continue;
      close(next);
      maximum = Math.max(maximum, next.size);
      if (maximum > MAX_WILDCARD_COMPLEXITY) return maximum;
      const key = [...next].sort().join(',');
      if (!seen.has(key)) {
        seen.add(key);
        queue.push(next);
      }
    }
  }
  return maximum;
}

function onlyKey(expression: { [key: string]: Json }, path: string[]): [string, Json] {
  const entries = Object.entries(expression);
  if (entries.length === 0) throw invalidPattern('Match expression name not found', path);
  if (entries.length > 1) throw invalidPattern('Only one key allowed in match expression', path);
  return entries[0] as [string, Json];
}

function compileExpression(expression: { [key: string]: Json }, path: string[]): ValueMatcher {
  const [name, value] = onlyKey(expression, path);
  const at = [...path, name];
  switch (name) {
    case 'prefix':
    case 'suffix': {
      if (isObject(value)) {
        const [inner, text] = onlyKey(value, at);
        if (inner !== 'equals-ignore-case') throw invalidPattern(`Unsupported ${name} pattern: ${inner}`, at);
        if (typeof text !== 'string') throw invalidPattern('equals-ignore-case match pattern must be a string', at);
        return { op: name, value: text, ignoreCase: true };
      }
      if (typeof value !== 'string') throw invalidPattern(`${name} match pattern must be a string`, at);
      return { op: name, value, ignoreCase: false };
    }
    case 'equals-ignore-case':
      if (typeof value !== 'string') throw invalidPattern('equals-ignore-case match pattern must be a string', at);
      return { op: 'equals-ignore-case', value };
    case 'wildcard':
      if (typeof value !== 'string') throw invalidPattern('wildcard match pattern must be a string', at);
      return { op: 'wildcard', source: value, regex: wildcardRegex(value, at) };
    case 'anything-but':
      return compileAnythingBut(value, at);
    case 'numeric':
      if (!Array.isArray(value)) throw invalidPattern('Value of numeric must be an array.', at);
      return compileNumeric(value, at);
    case 'exists':
      if (typeof value !== 'boolean') throw invalidPattern('exists match pattern must be either true or false.', at);
      return { op: 'exists', exists: value };
    case 'cidr':
      if (typeof value !== 'string') throw invalidPattern('cidr match pattern must be a string', at);
      try {
        return { op: 'cidr', block: parseCidr(value) };
      } catch (error) {
        throw invalidPattern((error as Error).message, at);
      }
    default:
      // event-ruler also knows "exactly" and "html"; AWS does not document them for EventBridge, so they are refused here.
      throw invalidPattern(`Unrecognized match type ${name}`, at);
  }
}

function compileAnythingBut(value: Json, path: string[]): ValueMatcher {
  if (isObject(value)) {
    const [inner, operand] = onlyKey(value, path);
    const at = [...path, inner];
    const kinds: Record<string, 'anything-but-prefix' | 'anything-but-suffix' | 'anything-but-ignore-case' | 'anything-but-wildcard'> = {
      prefix: 'anything-but-prefix',
      suffix: 'anything-but-suffix',
      'equals-ignore-case': 'anything-but-ignore-case',
      wildcard: 'anything-but-wildcard',
    };
    const op = kinds[inner];
    if (!op) throw invalidPattern(`Unsupported anything-but pattern: ${inner}`, at);
    const list = Array.isArray(operand) ? operand : [operand];
    if (list.length === 0) throw invalidPattern(`Value of anything-but/${inner} must not be an empty array`, at);
    const strings = list.map((item) => {
      if (typeof item !== 'string') {
        if (op === 'anything-but-ignore-case')
          throw invalidPattern('Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.', at);
        if (op === 'anything-but-wildcard') throw invalidPattern('wildcard match pattern must be a string', at);
        throw invalidPattern('prefix/suffix match pattern must be a string', at);
      }
      if ((op === 'anything-but-prefix' || op === 'anything-but-suffix') && item === '')
        throw invalidPattern('Null prefix/suffix not allowed', at);
      return item;
    });
    if (op === 'anything-but-wildcard') return { op, regexes: strings.map((s) => wildcardRegex(s, at)) };
    return { op, values: strings };
  }
  if (Array.isArray(value)) {
    const strings: string[] = [];
    const numbers: number[] = [];
    for (const item of value) {
      if (typeof item === 'string') strings.push(item);
      else if (typeof item === 'number') numbers.push(checkedNumber(item, path));
      else throw invalidPattern('Inside anything but list, start|null|boolean is not supported.', path);
    }
    if (strings.length > 0 === numbers.length > 0) {
      throw invalidPattern('Inside anything but list, either all values are number or string, mixed type is not supported', path);
    }
    return { op: 'anything-but', strings, numbers };
  }
  if (typeof value === 'string') return { op: 'anything-but', strings: [value], numbers: [] };
  if (typeof value === 'number') return { op: 'anything-but', strings: [], numbers: [checkedNumber(value, path)] };
  throw invalidPattern('Value of anything-but must be an array or single string/number value.', path);
}

/** Digits after the decimal point in the shortest spelling of `value` (1e-7 → 7). */
export function decimalPlaces(value: number): number {
  const [mantissa = '', exponent = '0'] = value.toExponential().split('e');
  return Math.max(0, (mantissa.split('.')[1] ?? '').length - Number(exponent));
}

/** event-ruler's ComparableNumber: numbers in numeric and anything-but expressions are bounded and precise to 6 decimals. */
function checkedNumber(value: number, path: string[]): number {
  if (!(Math.abs(value) <= NUMERIC_LIMIT)) throw invalidPattern('Value must be between -5.0E9 and 5.0E9, inclusive', path);
  if (decimalPlaces(value) > 6) throw invalidPattern(`Only values upto 6 decimals are supported: ${value}`, path);
  return value;
}

function compileNumeric(terms: Json[], path: string[]): ValueMatcher {
  const operatorAt = (i: number): string => {
    const op = terms[i];
    if (typeof op !== 'string') throw invalidPattern(`Invalid member in numeric match: ${JSON.stringify(op ?? null)}`, path);
    return op;
  };
  const numberAt = (i: number, op: string): number => {
    const n = terms[i];
    if (typeof n !== 'number') throw invalidPattern(`Value of ${op} must be numeric`, path);
    return checkedNumber(n, path);
  };
  const end = (i: number): void => {
    if (terms.length > i) throw invalidPattern('Too many elements in numeric expression', path);
  };
  if (terms.length === 0) throw invalidPattern('Invalid member in numeric match: ]', path);
  const first = operatorAt(0);
  switch (first) {
    case '=': {
      const value = numberAt(1, first);
      end(2);
      return { op: 'numeric', lower: { value, inclusive: true }, upper: { value, inclusive: true } };
    }
    case '<':
    case '<=': {
      const value = numberAt(1, first);
      end(2);
      // A one-sided range is a range from -5e9 (event-ruler's Range.lessThan), so its top must lie above that.
      if (value <= -NUMERIC_LIMIT) throw invalidPattern('Bottom must be less than top', path);
      return { op: 'numeric', upper: { value, inclusive: first === '<=' } };
    }
    case '>':
    case '>=': {
      const lower = { value: numberAt(1, first), inclusive: first === '>=' };
      if (terms.length === 2) {
        if (lower.value >= NUMERIC_LIMIT) throw invalidPattern('Bottom must be less than top', path);
        return { op: 'numeric', lower };
      }
      const second = terms[2];
      if (typeof second !== 'string') throw invalidPattern(`Bad value in numeric range: ${JSON.stringify(second)}`, path);
      if (second !== '<' && second !== '<=') throw invalidPattern(`Bad numeric range operator: ${second}`, path);
      const upper = { value: numberAt(3, second), inclusive: second === '<=' };
      if (terms.length > 4) throw invalidPattern('Too many terms in numeric range expression', path);
      if (lower.value >= upper.value) {
        throw invalidPattern('Bottom must be less than top', path);
      }
      return { op: 'numeric', lower, upper };
    }
    default:
      throw invalidPattern(`Unrecognized numeric range operator: ${first}`, path);
  }
}

/**
 * `*` matches any run of characters (none included); `\*` is a literal asterisk and `\\` a literal
 * backslash. Consecutive `**` and any other backslash escape are refused (event-ruler's WildcardParser).
 */
function wildcardRegex(text: string, path: string[]): RegExp {
  let source = '';
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i] as string;
    if (c === '*') {
      if (text[i + 1] === '*') throw invalidPattern(`Consecutive wildcard characters at pos ${i + 1}`, path);
      source += '[\\s\\S]*';
    } else if (c === '\\') {
      const next = text[i + 1];
      if (next !== '*' && next !== '\\') throw invalidPattern(`Invalid escape character at pos ${i + 1}`, path);
      source += `\\${next}`;
      i += 1;
    } else {
      source += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`, 'u');
}
