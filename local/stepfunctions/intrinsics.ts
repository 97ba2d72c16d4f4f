/**
 * The `States.*` intrinsic functions of JSONPath states, as documented in
 * https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html: parsed from a
 * `"key.$"` value, arguments being literals ('text' with \' \{ \} \\ escapes, numbers, true, false, null),
 * Paths (`$.x`, `$$.x`, `$variable`) or nested intrinsics (up to 10 deep). A misuse is
 * `States.IntrinsicFailure`; a path that reaches nothing is left to the caller (`States.Runtime`).
 */
import { createHash, randomUUID } from 'node:crypto';
import { STATES_ERRORS, StatesError } from './errors.ts';
import { evaluatePath, type PathScope } from './paths.ts';

type Argument =
  { kind: 'literal'; value: unknown; raw?: string } | { kind: 'path'; path: string } | { kind: 'call'; name: string; args: Argument[] };

const MAX_NESTING = 10;

/** Whether a `.$` value is an intrinsic invocation rather than a path. */
export function isIntrinsic(expression: string): boolean {
  return /^States\.[A-Za-z0-9]+\s*\(/.test(expression.trim());
}

function failure(message: string): StatesError {
  return new StatesError(STATES_ERRORS.IntrinsicFailure, message);
}

class Parser {
  private i = 0;
  constructor(private readonly text: string) {}

  parseCall(depth: number): Argument {
    if (depth > MAX_NESTING) throw failure(`Intrinsic functions may be nested at most ${MAX_NESTING} deep: ${this.text}`);
    const match = /^States\.([A-Za-z0-9]+)\s*\(/.exec(this.text.slice(this.i));
    if (!match) throw failure(`Expected an intrinsic function at position ${this.i} of ${this.text}`);
    this.i += match[0].length;
    const args: Argument[] = [];
    this.skipSpaces();
    if (this.text[this.i] === ')') {
      this.i += 1;
      return { kind: 'call', name: `States.${match[1]}`, args };
    }
    for (;;) {
      args.push(this.parseArgument(depth));
      this.skipSpaces();
      const c = this.text[this.i];
      this.i += 1;
      if (c === ')') return { kind: 'call', name: `States.${match[1]}`, args };
      if (c !== ',') throw failure(`Expected ',' or ')' at position ${this.i - 1} of ${this.text}`);
    }
  }

  parseArgument(depth: number): Argument {
    this.skipSpaces();
    const rest = this.text.slice(this.i);
    if (rest.startsWith("'")) return this.parseString();
    if (rest.startsWith('States.')) return this.parseCall(depth + 1);
    if (rest.startsWith('$')) return this.parsePath();
    const literal = /^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)(?=\s*[,)])/.exec(rest);
    if (literal) {
      this.i += literal[0].length;
      return { kind: 'literal', value: JSON.parse(literal[0]) };
    }
    throw failure(`Unexpected argument at position ${this.i} of ${this.text}`);
  }

  private parseString(): Argument {
    let value = '';
    let raw = '';
    this.i += 1;
    while (this.i < this.text.length) {
      const c = this.text[this.i]!;
      if (c === '\\') {
        const next = this.text[this.i + 1];
        if (next === undefined || !"'{}\\".includes(next)) throw failure(`An open escape '\\' is not allowed in ${this.text}`);
        value += next;
        raw += c + next;
        this.i += 2;
        continue;
      }
      if (c === "'") {
        this.i += 1;
        return { kind: 'literal', value, raw };
      }
      value += c;
      raw += c;
      this.i += 1;
    }
    throw failure(`Unterminated string in ${this.text}`);
  }

  private parsePath(): Argument {
    const start = this.i;
    let brackets = 0;
    let quote: string | undefined;
    while (this.i < this.text.length) {
      const c = this.text[this.i]!;
      if (quote) {
        if (c === quote) quote = undefined;
      } else if (c === "'" || c === '"') quote = c;
      else if (c === '[' || c === '(') brackets += 1;
      else if (c === ']' || c === ')') {
        if (brackets === 0) break;
        brackets -= 1;
      } else if (c === ',' && brackets === 0) break;
      this.i += 1;
    }
    return { kind: 'path', path: this.text.slice(start, this.i).trim() };
  }

  skipSpaces(): void {
    while (this.text[this.i] === ' ') this.i += 1;
  }

  end(): void {
    this.skipSpaces();
    if (this.i !== this.text.length) throw failure(`Unexpected text after the intrinsic function at position ${this.i} of ${this.text}`);
  }
}

const parsed = new Map<string, Argument>();

function parse(expression: string): Argument {
  const cached = parsed.get(expression);
  if (cached) return cached;
  const parser = new Parser(expression.trim());
  const call = parser.parseCall(1);
  parser.end();
  parsed.set(expression, call);
  return call;
}

/** Evaluates an intrinsic invocation against the state's input (and context, variables). */
export function evaluateIntrinsic(expression: string, input: unknown, scope: PathScope): unknown {
  return evaluateArgument(parse(expression), input, scope);
}

function evaluateArgument(argument: Argument, input: unknown, scope: PathScope): unknown {
  switch (argument.kind) {
    case 'literal':
      return argument.value;
    case 'path':
      return evaluatePath(argument.path, input, scope);
    case 'call': {
      const implementation = FUNCTIONS[argument.name];
      if (!implementation)
        throw failure(`The intrinsic function ${argument.name} is not supported: see the documented list of States.* functions.`);
      if (argument.name === 'States.Format') return format(argument.args, input, scope);
      return implementation(argument.args.map((arg) => evaluateArgument(arg, input, scope)));
    }
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (isObject(value))
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical(value[key])]),
    );
  return value;
}

function arity(name: string, args: unknown[], min: number, max = min): void {
  if (args.length < min || args.length > max) {
    throw failure(`Invalid arguments in ${name}: expected ${min === max ? min : `${min} to ${max}`} argument(s), got ${args.length}.`);
  }
}

function array(name: string, value: unknown): unknown[] {
  if (!Array.isArray(value))
    throw failure(`Invalid arguments in ${name}: the first argument must be an array, got ${JSON.stringify(value)}.`);
  return value;
}

function integer(name: string, value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value))
    throw failure(`Invalid arguments in ${name}: ${what} must be an integer, got ${JSON.stringify(value)}.`);
  return value;
}

function string(name: string, value: unknown, what: string): string {
  if (typeof value !== 'string') throw failure(`Invalid arguments in ${name}: ${what} must be a string, got ${JSON.stringify(value)}.`);
  return value;
}

/** States.Format: each `{}` of the template (escaped `\{` `\}` stay literal) takes the next argument. */
function format(args: Argument[], input: unknown, scope: PathScope): string {
  if (args.length === 0) throw failure('Invalid arguments in States.Format: it needs a template string.');
  const [templateArg, ...rest] = args as [Argument, ...Argument[]];
  const template =
    templateArg.kind === 'literal'
      ? (templateArg.raw ?? String(templateArg.value))
      : string('States.Format', evaluateArgument(templateArg, input, scope), 'the template');
  const values = rest.map((arg) => evaluateArgument(arg, input, scope));
  let out = '';
  let used = 0;
  for (let i = 0; i < template.length; i += 1) {
    const c = template[i]!;
    if (c === '\\' && templateArg.kind === 'literal') {
      out += template[i + 1] ?? '';
      i += 1;
    } else if (c === '{' && template[i + 1] === '}') {
      if (used >= values.length) throw failure('Invalid arguments in States.Format: the template has more {} than arguments.');
      const value = values[used];
      used += 1;
      if (value !== null && typeof value === 'object')
        throw failure('Invalid arguments in States.Format: arguments must be strings, numbers, booleans or null.');
      out += typeof value === 'string' ? value : JSON.stringify(value);
      i += 1;
    } else out += c;
  }
  if (used !== values.length) throw failure('Invalid arguments in States.Format: the template has fewer {} than arguments.');
  return out;
}

const HASH_ALGORITHMS: Record<string, string> = {
  MD5: 'md5',
  'SHA-1': 'sha1',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
};

const FUNCTIONS: Record<string, (args: unknown[]) => unknown> = {
  'States.Format': () => undefined,
  'States.StringToJson': (args) => {
    arity('States.StringToJson', args, 1);
    const text = string('States.StringToJson', args[0], 'the argument');
    try {
      return JSON.parse(text);
    } catch {
      throw failure(`Invalid arguments in States.StringToJson: ${JSON.stringify(text)} is not JSON text.`);
    }
  },
  'States.JsonToString': (args) => {
    arity('States.JsonToString', args, 1);
    return JSON.stringify(args[0]);
  },
  'States.Array': (args) => args,
  'States.ArrayPartition': (args) => {
    arity('States.ArrayPartition', args, 2);
    const items = array('States.ArrayPartition', args[0]);
    const size = integer('States.ArrayPartition', args[1], 'the chunk size');
    if (size <= 0) throw failure('Invalid arguments in States.ArrayPartition: the chunk size must be greater than 0.');
    const chunks: unknown[][] = [];
    for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
    return chunks;
  },
  'States.ArrayContains': (args) => {
    arity('States.ArrayContains', args, 2);
    return array('States.ArrayContains', args[0]).some((item) => deepEqual(item, args[1]));
  },
  'States.ArrayRange': (args) => {
    arity('States.ArrayRange', args, 3);
    const [start, end, step] = args.map((arg, index) => integer('States.ArrayRange', arg, ['the start', 'the end', 'the step'][index]!));
    if (step === 0) throw failure('Invalid arguments in States.ArrayRange: the step must not be 0.');
    const out: number[] = [];
    for (let value = start!; step! > 0 ? value <= end! : value >= end!; value += step!) {
      out.push(value);
      if (out.length > 1000) throw failure('Invalid arguments in States.ArrayRange: the range may hold at most 1000 items.');
    }
    return out;
  },
  'States.ArrayGetItem': (args) => {
    arity('States.ArrayGetItem', args, 2);
    const items = array('States.ArrayGetItem', args[0]);
    const index = integer('States.ArrayGetItem', args[1], 'the index');
    if (index < 0 || index >= items.length)
      throw failure(`Invalid arguments in States.ArrayGetItem: index ${index} is out of bounds for an array of ${items.length}.`);
    return items[index];
  },
  'States.ArrayLength': (args) => {
    arity('States.ArrayLength', args, 1);
    return array('States.ArrayLength', args[0]).length;
  },
  'States.ArrayUnique': (args) => {
    arity('States.ArrayUnique', args, 1);
    const out: unknown[] = [];
    for (const item of array('States.ArrayUnique', args[0])) if (!out.some((seen) => deepEqual(seen, item))) out.push(item);
    return out;
  },
  'States.Base64Encode': (args) => {
    arity('States.Base64Encode', args, 1);
    const text = string('States.Base64Encode', args[0], 'the argument');
    if (text.length > 10_000) throw failure('Invalid arguments in States.Base64Encode: the input may be at most 10000 characters.');
    return Buffer.from(text, 'utf8').toString('base64');
  },
  'States.Base64Decode': (args) => {
    arity('States.Base64Decode', args, 1);
    const text = string('States.Base64Decode', args[0], 'the argument');
    if (text.length > 10_000) throw failure('Invalid arguments in States.Base64Decode: the input may be at most 10000 characters.');
    return Buffer.from(text, 'base64').toString('utf8');
  },
  'States.Hash': (args) => {
    arity('States.Hash', args, 2);
    const algorithm = HASH_ALGORITHMS[string('States.Hash', args[1], 'the algorithm')];
    if (!algorithm)
      throw failure(`Invalid arguments in States.Hash: the algorithm must be one of ${Object.keys(HASH_ALGORITHMS).join(', ')}.`);
    const data = typeof args[0] === 'string' ? args[0] : JSON.stringify(args[0]);
    if (data.length > 10_000) throw failure('Invalid arguments in States.Hash: the input may be at most 10000 characters.');
    return createHash(algorithm).update(data, 'utf8').digest('hex');
  },
  'States.JsonMerge': (args) => {
    arity('States.JsonMerge', args, 3);
    if (!isObject(args[0]) || !isObject(args[1])) throw failure('Invalid arguments in States.JsonMerge: both values must be JSON objects.');
    if (args[2] !== false)
      throw failure('Invalid arguments in States.JsonMerge: deep merging is not supported; the third argument must be false.');
    return { ...args[0], ...args[1] };
  },
  'States.MathRandom': (args) => {
    arity('States.MathRandom', args, 2, 3);
    const start = integer('States.MathRandom', args[0], 'the start');
    const end = integer('States.MathRandom', args[1], 'the end');
    const seed = args[2] === undefined ? undefined : integer('States.MathRandom', args[2], 'the seed');
    const random = seed === undefined ? Math.random() : seededRandom(seed);
    return start + Math.floor(random * (end - start));
  },
  'States.MathAdd': (args) => {
    arity('States.MathAdd', args, 2);
    return integer('States.MathAdd', args[0], 'the first value') + integer('States.MathAdd', args[1], 'the second value');
  },
  'States.StringSplit': (args) => {
    arity('States.StringSplit', args, 2);
    const text = string('States.StringSplit', args[0], 'the string');
    const delimiters = [...string('States.StringSplit', args[1], 'the delimiter')];
    const parts: string[] = [];
    let current = '';
    for (const c of text) {
      if (delimiters.includes(c)) {
        parts.push(current);
        current = '';
      } else current += c;
    }
    parts.push(current);
    return parts.filter((part) => part !== '');
  },
  'States.UUID': (args) => {
    arity('States.UUID', args, 0);
    return randomUUID();
  },
};

/** A deterministic number in [0, 1) for a seed (mulberry32), so a seeded MathRandom repeats. */
function seededRandom(seed: number): number {
  let t = (seed + 0x6d2b79f5) | 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
