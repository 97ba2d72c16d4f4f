import vm from 'node:vm';
import { checkSource, sortErrors } from './check/checkCode.ts';
import { DYNAMODB_MODULE, UTILS_EXPORTS, UTILS_MODULE } from './check/languageRules.ts';
import { bundleResolverCode } from './bundle.ts';
import { CodeLoadError, type CodeError } from './codeError.ts';
import type { OriginalPosition } from './load/sourceMap.ts';
import { moduleHasState } from './load/moduleState.ts';
import { transformModule } from './load/transformModule.ts';
import { createConsole } from './runtime/console.ts';
import { EarlyReturnSignal, UtilErrorSignal, newEvaluationState, type AppSyncError, type EvaluationState } from './runtime/evaluation.ts';
import { createExtensionsModule } from './runtime/extensions.ts';
import { createRuntimeModule, skipToOf, type SkipTo } from './runtime/runtimeModule.ts';
import { createUtil } from './runtime/util/index.ts';
import { createDynamoDbModule } from './runtime/dynamodbModule.ts';
import { toHostData } from './sandbox/hostData.ts';
import { callWithTimeout, createRealm, type Realm } from './sandbox/realm.ts';

/** The two handlers of a resolver or function. */
export type HandlerName = 'request' | 'response';

/**
 * The parts of `ctx` for one handler, as plain data. The engine copies them into the sandbox;
 * `args` is `arguments`. `prev`, `result` and `error` are present only where AppSync sets them.
 */
export interface ContextParts {
  arguments?: Record<string, unknown>;
  source?: unknown;
  identity?: unknown;
  request?: { headers: Record<string, string>; domainName: string | null };
  info?: {
    fieldName: string;
    parentTypeName: string;
    variables: Record<string, unknown>;
    selectionSetList: string[];
    selectionSetGraphQL: string;
  };
  stash?: Record<string, unknown>;
  prev?: { result: unknown };
  result?: unknown;
  error?: { message: string; type: string };
  env?: Record<string, string>;
}

/**
 * The message AppSync gives a runtime error of the code: `code.js:162:13: ReferenceError: x is not
 * defined` (errorType `Code`). Here the file is the loaded file, or the TypeScript source.
 *
 * @example
 * runtimeErrorMessage({ name: 'TypeError', message: "Cannot read properties of undefined (reading 'id')", location: 'code.js:3:25' });
 * // "code.js:3:25: TypeError: Cannot read properties of undefined (reading 'id')"
 */
export function runtimeErrorMessage(error: CodeRuntimeError): string {
  return `${error.location ? `${error.location}: ` : ''}${error.name}: ${error.message}`;
}

/** A runtime error of the handler's code (TypeError, ReferenceError...), with where it happened. */
export interface CodeRuntimeError {
  name: string;
  message: string;
  /** `file:line:column` in the loaded code, when the stack shows it. */
  location?: string;
}

/** How one handler ended. */
export type HandlerOutcome =
  | { status: 'returned'; value: unknown }
  | { status: 'earlyReturn'; value: unknown; skipTo: SkipTo | undefined }
  | { status: 'utilError'; error: AppSyncError }
  | { status: 'runtimeError'; error: CodeRuntimeError };

export interface HandlerEvaluation {
  outcome: HandlerOutcome;
  /** The stash after the handler, as plain data (what the next handler receives). */
  stash: Record<string, unknown>;
  /** Logs, appended errors and extension calls, accumulated into the state passed in. */
  state: EvaluationState;
}

export interface LoadOptions {
  /** Shown in code errors and stack traces; defaults to `code.js`. */
  file?: string;
  /**
   * For bundled code: where a position (1-based) of the code comes from. Code errors and runtime
   * errors then name the original source file, line and column (see `bundleResolverCode`).
   */
  originalPosition?: (line: number, column: number) => OriginalPosition | undefined;
  /**
   * Interrupt a handler running longer than this (an endless loop). Off by default: the watchdog
   * costs tens of microseconds per call. evaluate-code's CLI sets it.
   */
  timeoutMs?: number;
}

type Handlers = Partial<Record<HandlerName, (ctx: unknown) => unknown>>;

/** What `loadCode` hands `LoadedCode`. */
interface LoadedModule {
  file: string;
  exports: readonly string[];
  realm: Realm;
  handlers: Handlers;
  /** Runs the module body again and returns its handlers: for modules with top-level state. */
  freshModule: (() => Handlers) | undefined;
  originalPosition: LoadOptions['originalPosition'];
  timeoutMs: number | undefined;
}

function handlersOf(moduleExports: Record<string, unknown>): Handlers {
  const handlers: Handlers = {};
  for (const name of ['request', 'response'] as const) {
    const handler = moduleExports[name];
    if (typeof handler === 'function') handlers[name] = handler as (ctx: unknown) => unknown;
  }
  return handlers;
}

/**
 * Code loaded into its own APPSYNC_JS sandbox: checked, compiled and evaluated once; its
 * handlers then run many times. Created by `loadCode`.
 */
export class LoadedCode {
  private current: EvaluationState | undefined;

  private readonly realm: Realm;
  private readonly handlers: Handlers;
  private readonly freshModule: (() => Handlers) | undefined;
  private readonly originalPosition: LoadOptions['originalPosition'];
  private readonly timeoutMs: number | undefined;
  readonly file: string;
  readonly exports: readonly string[];
  /** Whether the module body runs again for each evaluation (it keeps top-level state). */
  readonly freshModulePerEvaluation: boolean;

  /** @internal use `loadCode` */
  constructor(module: LoadedModule, bind: (current: () => EvaluationState | undefined) => void) {
    this.file = module.file;
    this.exports = module.exports;
    this.realm = module.realm;
    this.handlers = module.handlers;
    this.freshModule = module.freshModule;
    this.freshModulePerEvaluation = module.freshModule !== undefined;
    this.originalPosition = module.originalPosition;
    this.timeoutMs = module.timeoutMs;
    bind(() => this.current);
  }

  /** Whether the code exports this handler. */
  has(handler: HandlerName): boolean {
    return typeof this.handlers[handler] === 'function';
  }

  /**
   * Run one handler against a context. Never throws for what the handler does (util.error,
   * runtime.earlyReturn, a TypeError...): the outcome says how it ended.
   *
   * @example
   * const code = loadCode(`export function request(ctx) { return { payload: ctx.args } }
   * export function response(ctx) { return ctx.result }`);
   * code.evaluate('request', { arguments: { id: '1' } }).outcome; // { status: 'returned', value: { payload: { id: '1' } } }
   */
  evaluate(handler: HandlerName, parts: ContextParts, state: EvaluationState = newEvaluationState()): HandlerEvaluation {
    const fn = this.handlers[handler];
    if (typeof fn !== 'function') {
      return {
        outcome: { status: 'runtimeError', error: { name: 'TypeError', message: `${this.file} does not export a ${handler} function` } },
        stash: parts.stash ?? {},
        state,
      };
    }
    const ctx = this.realm.helpers.makeContext(parts as Record<string, unknown>);
    // util.authType() reads the caller from the state.
    state.identity = parts.identity === undefined ? null : parts.identity;
    const previous = this.current;
    this.current = state;
    let outcome: HandlerOutcome;
    try {
      // A module with top-level state starts fresh, as on AWS: its body runs inside this evaluation.
      const run = this.freshModule ? ((this.freshModule()[handler] ?? fn) as (ctx: unknown) => unknown) : fn;
      const value = this.timeoutMs === undefined ? run(ctx) : callWithTimeout(this.realm, run, ctx, this.timeoutMs);
      outcome = { status: 'returned', value: toHostData(value) };
    } catch (thrown) {
      outcome = this.classify(thrown);
    } finally {
      this.current = previous;
    }
    let stash: Record<string, unknown>;
    try {
      stash = (toHostData(ctx.stash) as Record<string, unknown> | null) ?? {};
    } catch (thrown) {
      stash = {};
      if (outcome.status !== 'runtimeError') outcome = this.classify(thrown);
    }
    return { outcome, stash, state };
  }

  private classify(thrown: unknown): HandlerOutcome {
    try {
      if (thrown instanceof UtilErrorSignal) {
        const error: AppSyncError = { message: thrown.error.message };
        if (thrown.error.errorType !== undefined) error.errorType = thrown.error.errorType;
        if (thrown.error.data !== undefined) error.data = toHostData(thrown.error.data);
        if (thrown.error.errorInfo !== undefined) error.errorInfo = toHostData(thrown.error.errorInfo);
        return { status: 'utilError', error };
      }
      if (thrown instanceof EarlyReturnSignal) {
        return { status: 'earlyReturn', value: toHostData(thrown.value), skipTo: skipToOf(thrown) };
      }
    } catch (copyError) {
      return this.classify(copyError);
    }
    // Errors of the sandbox realm are not `instanceof Error` here: read them by shape.
    const error = thrown as { name?: unknown; message?: unknown; stack?: unknown } | null;
    const name = typeof error?.name === 'string' ? error.name : 'Error';
    const message = typeof error?.message === 'string' ? error.message : String(thrown);
    const location = typeof error?.stack === 'string' ? locate(error.stack, this.file, this.originalPosition) : undefined;
    return { status: 'runtimeError', error: location ? { name, message, location } : { name, message } };
  }
}

function locate(stack: string, file: string, originalPosition?: LoadOptions['originalPosition']): string | undefined {
  for (const line of stack.split('\n')) {
    const at = line.indexOf(`${file}:`);
    if (at < 0) continue;
    const match = /^(\d+):(\d+)/.exec(line.slice(at + file.length + 1));
    if (match) return where(file, Number(match[1]), Number(match[2]), originalPosition);
  }
  return undefined;
}

/** `file:line:column`, in the original source when the code was bundled. */
function where(file: string, line: number, column: number, originalPosition?: LoadOptions['originalPosition']): string {
  const original = originalPosition?.(line, column);
  return original ? `${original.source}:${original.line}:${original.column}` : `${file}:${line}:${column}`;
}

/**
 * Read a resolver or function file (a `.ts` file is bundled with esbuild, as for AWS) and load
 * it; errors point at the original TypeScript.
 *
 * @example
 * const code = await loadFile('resolvers/Query.getReservation.ts');
 */
export async function loadFile(file: string): Promise<LoadedCode> {
  const { code, originalPosition } = await bundleResolverCode(file);
  return loadCode(code, originalPosition ? { file, originalPosition } : { file });
}

/**
 * Load APPSYNC_JS code as AWS receives it (an ES module importing `@aws-appsync/utils` and
 * `@aws-appsync/utils/dynamodb`, exporting `request` and `response`). Refuses, with a
 * `CodeLoadError` listing AWS-style `codeErrors`, what AWS would refuse; otherwise compiles the
 * code once into its own sandbox, whose globals are those of APPSYNC_JS.
 *
 * @example
 * const code = loadCode(`import { util } from '@aws-appsync/utils';
 * export function request(ctx) { return { payload: { id: util.autoId() } } }
 * export function response(ctx) { return ctx.result }`, { file: 'Mutation.createThing.js' });
 * code.evaluate('request', { arguments: {} });
 */
export function loadCode(source: string, options: LoadOptions = {}): LoadedCode {
  const file = options.file ?? 'code.js';
  const checked = checkSource(source);
  const at = (e: CodeError): string => where(file, e.location.line, e.location.column, options.originalPosition);
  if (!checked.program) throw new CodeLoadError(file, checked.errors, at);
  const transformed = transformModule(source, checked.program);
  const errors: CodeError[] = [...checked.errors, ...transformed.errors];

  let current: () => EvaluationState | undefined = () => undefined;
  const readCurrent = (): EvaluationState => {
    const state = current();
    if (!state) throw new Error('This utility can run only while a handler is being evaluated, not when the code is loaded.');
    return state;
  };
  const util = createUtil(readCurrent);
  const modules: Record<string, Record<string, unknown>> = {
    [UTILS_MODULE]: { util, runtime: createRuntimeModule(), extensions: createExtensionsModule(readCurrent) },
    [DYNAMODB_MODULE]: { ...createDynamoDbModule(util) },
  };
  for (const entry of transformed.imports) {
    const module = modules[entry.module];
    if (!module) continue; // refused by the language check
    for (const { imported, node } of entry.named) {
      const known = entry.module === UTILS_MODULE ? UTILS_EXPORTS.has(imported) : Object.hasOwn(module, imported);
      if (!known) {
        errors.push({
          errorType: 'LINT_ERROR',
          value: `${entry.module} has no export named ${imported}.`,
          location: { line: node.loc?.start.line ?? 0, column: (node.loc?.start.column ?? -1) + 1, span: node.end - node.start },
        });
      }
    }
  }
  if (errors.length > 0) throw new CodeLoadError(file, sortErrors(errors), at);

  const realm = createRealm();
  const sandboxModules: Record<string, unknown> = {};
  for (const [name, module] of Object.entries(modules)) sandboxModules[name] = realm.helpers.wrapHost(module);
  const utils = sandboxModules[UTILS_MODULE] as Record<string, unknown>;
  realm.define({
    util: utils.util,
    runtime: utils.runtime,
    extensions: utils.extensions,
    console: realm.helpers.wrapHost(createConsole(readCurrent)),
  });
  realm.lock();

  const importModule = realm.helpers.makeImporter(sandboxModules);
  const factory = new vm.Script(transformed.wrapped, { filename: file, lineOffset: -1 }).runInContext(realm.context) as (
    load: typeof importModule,
  ) => Record<string, unknown>;
  const fresh = moduleHasState(checked.program);
  let moduleExports: Record<string, unknown>;
  // A module with top-level state may call util at the top: give that first run a state of its own.
  const loadState = newEvaluationState();
  current = fresh ? () => loadState : () => undefined;
  try {
    moduleExports = factory(importModule);
  } catch (thrown) {
    const error = thrown as { message?: unknown; stack?: unknown };
    const location = typeof error.stack === 'string' ? locate(error.stack, file, options.originalPosition) : undefined;
    throw new Error(`${location ?? file}: the module's top-level code failed: ${String(error.message ?? thrown)}`);
  }
  return new LoadedCode(
    {
      file,
      exports: transformed.exports,
      realm,
      handlers: handlersOf(moduleExports),
      freshModule: fresh ? () => handlersOf(factory(importModule)) : undefined,
      originalPosition: options.originalPosition,
      timeoutMs: options.timeoutMs,
    },
    (read) => {
      current = read;
    },
  );
}
