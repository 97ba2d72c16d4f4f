import { CodeLoadError, type CodeError } from './codeError.ts';
import { loadCode, runtimeErrorMessage, type ContextParts, type HandlerName, type LoadedCode, type LoadOptions } from './loadCode.ts';
import { toHostData } from './sandbox/hostData.ts';

/** The input of AppSync's EvaluateCode API (`aws appsync evaluate-code`). */
export interface EvaluateCodeInput {
  runtime: { name: string; runtimeVersion: string };
  code: string;
  /** The context, as JSON text: `{ arguments, source, identity, stash, result, prev, request, info, error, env }`. */
  context: string;
  function?: HandlerName;
}

/** The output of AppSync's EvaluateCode API; JSON values are JSON text, as AWS returns them. */
export interface EvaluateCodeOutput {
  evaluationResult?: string;
  error?: { message: string; codeErrors?: CodeError[] };
  logs?: string[];
  stash?: string;
  outErrors?: string;
}

/** Thrown for input AWS rejects with `BadRequestException` (before evaluating anything). */
export class BadRequestError extends Error {
  readonly code = 'BadRequestException';

  constructor(message: string) {
    super(message);
    this.name = 'BadRequestException';
  }
}

const CACHE_SIZE = 64;
const loaded = new Map<string, LoadedCode>();

function loadCached(code: string, options: LoadOptions): LoadedCode {
  const key = `${options.file ?? ''}\n${options.timeoutMs ?? ''}\n${code}`;
  const hit = loaded.get(key);
  if (hit) return hit;
  const fresh = loadCode(code, options);
  if (loaded.size >= CACHE_SIZE) loaded.delete(loaded.keys().next().value as string);
  loaded.set(key, fresh);
  return fresh;
}

function parseContext(context: string): ContextParts {
  let parsed: unknown;
  try {
    parsed = JSON.parse(context);
  } catch (error) {
    throw new BadRequestError(`context is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new BadRequestError('context must be a JSON object');
  const raw = parsed as Record<string, unknown>;
  const parts: Record<string, unknown> = {};
  for (const key of ['arguments', 'source', 'identity', 'request', 'info', 'stash', 'prev', 'result', 'error', 'env'] as const) {
    if (raw[key] !== undefined) parts[key] = raw[key];
  }
  if (parts.arguments === undefined && raw.args !== undefined) parts.arguments = raw.args;
  return parts as ContextParts;
}

/**
 * Run one handler of APPSYNC_JS code against a context, offline, with the input and output of
 * AppSync's EvaluateCode API. Code AWS would refuse comes back as `error.codeErrors`.
 *
 * @example
 * const out = evaluateCode({
 *   runtime: { name: 'APPSYNC_JS', runtimeVersion: '1.0.0' },
 *   code: "export function request(ctx) { return { payload: ctx.args } }\nexport function response(ctx) { return ctx.result }",
 *   context: JSON.stringify({ arguments: { id: '1' } }),
 *   function: 'request',
 * });
 * out.evaluationResult; // '{"payload":{"id":"1"}}'
 */
export function evaluateCode(input: EvaluateCodeInput, options: LoadOptions = {}): EvaluateCodeOutput {
  if (input.runtime?.name !== 'APPSYNC_JS')
    throw new BadRequestError(`runtime.name must be APPSYNC_JS, got ${JSON.stringify(input.runtime?.name)}`);
  if (input.runtime.runtimeVersion !== '1.0.0')
    throw new BadRequestError(`runtime.runtimeVersion must be 1.0.0, got ${JSON.stringify(input.runtime.runtimeVersion)}`);
  if (typeof input.code !== 'string' || input.code.length === 0) throw new BadRequestError('code is required');
  const handler = input.function ?? 'request';
  if (handler !== 'request' && handler !== 'response')
    throw new BadRequestError(`function must be request or response, got ${JSON.stringify(handler)}`);
  const parts = parseContext(input.context);

  let code: LoadedCode;
  try {
    code = loadCached(input.code, { ...options, file: options.file ?? 'code.js' });
  } catch (error) {
    // AWS's words for code it refuses; the details are in codeErrors.
    if (error instanceof CodeLoadError)
      return { error: { message: 'The code contains one or more errors.', codeErrors: error.codeErrors }, logs: [] };
    return { error: { message: (error as Error).message }, logs: [] };
  }
  const { outcome, stash, state } = code.evaluate(handler, parts);
  let evaluationResult: string | undefined;
  let error: EvaluateCodeOutput['error'];
  switch (outcome.status) {
    case 'returned':
    case 'earlyReturn':
      evaluationResult = JSON.stringify(outcome.value ?? null);
      break;
    case 'utilError':
      error = { message: outcome.error.message };
      break;
    case 'runtimeError': {
      error = { message: runtimeErrorMessage(outcome.error) };
      break;
    }
    default: {
      const never: never = outcome;
      throw new Error(`Unknown outcome ${JSON.stringify(never)}`);
    }
  }
  const output: EvaluateCodeOutput = {};
  if (evaluationResult !== undefined) output.evaluationResult = evaluationResult;
  if (error) output.error = error;
  output.logs = state.logs;
  output.stash = JSON.stringify(stash);
  output.outErrors = JSON.stringify(
    state.appendedErrors.map((e) => ({
      message: e.message,
      errorType: e.errorType ?? null,
      data: e.data === undefined ? null : toHostData(e.data),
      errorInfo: e.errorInfo === undefined ? null : toHostData(e.errorInfo),
    })),
  );
  return output;
}
