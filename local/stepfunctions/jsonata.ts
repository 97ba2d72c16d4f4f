/**
 * JSONata in Step Functions ("Transforming data with JSONata in Step Functions",
 * https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html): a string that is wholly
 * `{% expression %}` is evaluated with the `jsonata` package (the reference implementation), with
 * `$states` (input, result, errorOutput, context) and the workflow variables bound, and the functions
 * Step Functions adds: `$partition`, `$range`, `$hash`, `$random`, `$uuid`, `$parse` (`$eval` is not available).
 * Any other string is a literal. An expression that fails or returns nothing is `States.QueryEvaluationError`.
 */
import { createHash, randomUUID } from 'node:crypto';
import jsonata from 'jsonata';
import { STATES_ERRORS, StatesError } from './errors.ts';

const EXPRESSION = /^\{%([\s\S]*)%\}$/;

export interface StatesBinding {
  input: unknown;
  context: unknown;
  result?: unknown;
  errorOutput?: unknown;
}

export interface JsonataScope {
  states: StatesBinding;
  variables: Record<string, unknown>;
}

/** Whether a value is a `{% %}` expression string. */
export function isJsonataExpression(value: unknown): value is string {
  return typeof value === 'string' && EXPRESSION.test(value);
}

const compiled = new Map<string, ReturnType<typeof jsonata>>();

function compile(expression: string, field: string): ReturnType<typeof jsonata> {
  const cached = compiled.get(expression);
  if (cached) return cached;
  let parsed: ReturnType<typeof jsonata>;
  try {
    parsed = jsonata(expression);
  } catch (error) {
    throw new StatesError(
      STATES_ERRORS.QueryEvaluationError,
      `The JSONata expression '${expression}' specified for the field '${field}' could not be parsed: ${describe(error)}`,
    );
  }
  compiled.set(expression, parsed);
  return parsed;
}

function describe(error: unknown): string {
  const e = error as { code?: string; message?: string; position?: number };
  return `${e.code ? `${e.code}: ` : ''}${e.message ?? String(error)}${e.position !== undefined ? ` (at position ${e.position})` : ''}`;
}

const HASH_ALGORITHMS: Record<string, string> = {
  MD5: 'md5',
  'SHA-1': 'sha1',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
};

/** The functions Step Functions adds to JSONata ("JSONata functions provided by Step Functions"). */
const STEP_FUNCTIONS_FUNCTIONS = {
  partition(items: unknown[], size: number): unknown[][] {
    if (!Array.isArray(items) || !Number.isInteger(size) || size <= 0)
      throw new Error('$partition takes an array and a positive integer chunk size');
    const out: unknown[][] = [];
    for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
    return out;
  },
  range(start: number, end: number, step: number): number[] {
    if (![start, end, step].every(Number.isInteger) || step === 0) throw new Error('$range takes integer start, end and a non-zero step');
    const out: number[] = [];
    for (let value = start; step > 0 ? value <= end : value >= end; value += step) {
      out.push(value);
      if (out.length > 1000) throw new Error('$range may produce at most 1000 items');
    }
    return out;
  },
  hash(data: unknown, algorithm: string): string {
    const name = HASH_ALGORITHMS[algorithm];
    if (!name) throw new Error(`$hash algorithm must be one of ${Object.keys(HASH_ALGORITHMS).join(', ')}`);
    return createHash(name)
      .update(typeof data === 'string' ? data : JSON.stringify(data), 'utf8')
      .digest('hex');
  },
  random(seed?: number): number {
    if (seed === undefined) return Math.random();
    let t = (seed + 0x6d2b79f5) | 0;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  },
  uuid(): string {
    return randomUUID();
  },
  parse(text: string): unknown {
    return JSON.parse(text);
  },
  eval(): never {
    throw new Error('$eval is not available in Step Functions: use $parse');
  },
};

/** Plain JSON of a JSONata result (its sequences are arrays with extra properties). */
function plain(value: unknown): unknown {
  return value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as unknown);
}

/** Evaluates one expression (the text inside `{% %}`). */
export async function evaluateJsonata(expression: string, scope: JsonataScope, field: string): Promise<unknown> {
  const compiledExpression = compile(expression.trim(), field);
  let result: unknown;
  try {
    result = await compiledExpression.evaluate(undefined, { ...STEP_FUNCTIONS_FUNCTIONS, ...scope.variables, states: scope.states });
  } catch (error) {
    throw new StatesError(
      STATES_ERRORS.QueryEvaluationError,
      `The JSONata expression '${expression.trim()}' specified for the field '${field}' threw an error during evaluation: ${describe(error)}`,
    );
  }
  if (result === undefined) {
    throw new StatesError(
      STATES_ERRORS.QueryEvaluationError,
      `The JSONata expression '${expression.trim()}' specified for the field '${field}' returned nothing (undefined).`,
    );
  }
  return plain(result);
}

/**
 * A JSONata-state field value (Arguments, Output, Assign values, Items, ItemSelector …): every string that is
 * `{% %}` anywhere inside it is replaced by its result; everything else is kept as written.
 */
export async function evaluateJsonataTemplate(value: unknown, scope: JsonataScope, field: string): Promise<unknown> {
  if (typeof value === 'string') {
    const match = EXPRESSION.exec(value);
    return match ? evaluateJsonata(match[1]!, scope, field) : value;
  }
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const item of value) out.push(await evaluateJsonataTemplate(item, scope, field));
    return out;
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = await evaluateJsonataTemplate(item, scope, field);
    return out;
  }
  return value;
}
