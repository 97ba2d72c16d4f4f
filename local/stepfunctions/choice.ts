/**
 * Choice rules of JSONPath states ("Choice state", https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html):
 * `Variable` with one comparison operator (String*, Numeric*, Boolean*, Timestamp*, each with its `…Path`
 * form, `StringMatches`, and the type tests `IsPresent`, `IsNull`, `IsNumeric`, `IsString`, `IsBoolean`,
 * `IsTimestamp`), combined with `And`, `Or`, `Not`. A `Variable` that reaches nothing is a runtime error
 * unless the rule is `IsPresent`.
 */
import type { ChoiceRule } from './definition.ts';
import { evaluatePath, PathNotFound, type PathScope } from './paths.ts';

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Milliseconds of an RFC 3339 timestamp (with `T` and a zone, as Step Functions requires), or undefined. */
export function timestampOf(value: unknown): number | undefined {
  if (typeof value !== 'string' || !RFC3339.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** `*` matches any run of characters; `\*` is a literal asterisk and `\\` a literal backslash. */
function matchesWildcard(value: string, pattern: string): boolean {
  let regex = '';
  for (let i = 0; i < pattern.length; i += 1) {
    const c = pattern[i]!;
    if (c === '\\' && (pattern[i + 1] === '*' || pattern[i + 1] === '\\')) {
      regex += `\\${pattern[i + 1]}`;
      i += 1;
    } else if (c === '*') regex += '.*';
    else regex += c.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${regex}$`, 's').test(value);
}

type Comparison = { kind: 'string' | 'numeric' | 'boolean' | 'timestamp'; test: (a: number, b: number) => boolean } | undefined;

function comparisonOf(operator: string): Comparison {
  const match = /^(String|Numeric|Boolean|Timestamp)(Equals|LessThan|GreaterThan|LessThanEquals|GreaterThanEquals)$/.exec(operator);
  if (!match) return undefined;
  const kind = match[1]!.toLowerCase() as 'string' | 'numeric' | 'boolean' | 'timestamp';
  const tests: Record<string, (a: number, b: number) => boolean> = {
    Equals: (a, b) => a === b,
    LessThan: (a, b) => a < b,
    GreaterThan: (a, b) => a > b,
    LessThanEquals: (a, b) => a <= b,
    GreaterThanEquals: (a, b) => a >= b,
  };
  return { kind, test: tests[match[2]!]! };
}

function compare(kind: string, value: unknown, operand: unknown, test: (a: number, b: number) => boolean): boolean {
  switch (kind) {
    case 'string':
      if (typeof value !== 'string' || typeof operand !== 'string') return false;
      return test(value < operand ? -1 : value > operand ? 1 : 0, 0);
    case 'numeric':
      if (typeof value !== 'number' || typeof operand !== 'number') return false;
      return test(value, operand);
    case 'boolean':
      if (typeof value !== 'boolean' || typeof operand !== 'boolean') return false;
      return test(Number(value), Number(operand));
    default: {
      const a = timestampOf(value);
      const b = timestampOf(operand);
      if (a === undefined || b === undefined) return false;
      return test(a, b);
    }
  }
}

/** Whether a JSONPath Choice rule matches the state's input. */
export function matchesChoiceRule(rule: ChoiceRule, input: unknown, scope: PathScope): boolean {
  if (rule.And) return rule.And.every((sub) => matchesChoiceRule(sub, input, scope));
  if (rule.Or) return rule.Or.some((sub) => matchesChoiceRule(sub, input, scope));
  if (rule.Not) return !matchesChoiceRule(rule.Not, input, scope);
  const variable = rule.Variable;
  if (typeof variable !== 'string') return false;
  if ('IsPresent' in rule) {
    let present = true;
    try {
      evaluatePath(variable, input, scope);
    } catch (error) {
      if (!(error instanceof PathNotFound)) throw error;
      present = false;
    }
    return present === rule.IsPresent;
  }
  const value = evaluatePath(variable, input, scope);
  for (const [operator, raw] of Object.entries(rule)) {
    if (['Variable', 'Next', 'Comment', 'Assign', 'Output'].includes(operator)) continue;
    switch (operator) {
      case 'IsNull':
        return (value === null) === raw;
      case 'IsNumeric':
        return (typeof value === 'number') === raw;
      case 'IsString':
        return (typeof value === 'string') === raw;
      case 'IsBoolean':
        return (typeof value === 'boolean') === raw;
      case 'IsTimestamp':
        return (timestampOf(value) !== undefined) === raw;
      case 'StringMatches':
        return typeof value === 'string' && typeof raw === 'string' && matchesWildcard(value, raw);
    }
    const byPath = operator.endsWith('Path');
    const comparison = comparisonOf(byPath ? operator.slice(0, -4) : operator);
    if (!comparison) throw new Error(`Choice operator ${operator} is not one Step Functions defines.`);
    const operand = byPath ? evaluatePath(String(raw), input, scope) : raw;
    return compare(comparison.kind, value, operand, comparison.test);
  }
  return false;
}
