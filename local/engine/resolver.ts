import type { DataSource, DataSourceResponse, DataSources } from './dataSource.ts';
import { runtimeErrorMessage, type ContextParts, type HandlerEvaluation, type LoadedCode } from './loadCode.ts';
import { newEvaluationState, type AppSyncError, type EvaluationState } from './runtime/evaluation.ts';
import { toHostData } from './sandbox/hostData.ts';

/** A unit resolver: request → data source → response. */
export interface UnitResolverDefinition {
  kind: 'UNIT';
  typeName: string;
  fieldName: string;
  code: LoadedCode;
  dataSource: string;
}

/** One AppSync function of a pipeline: request → data source → response. */
export interface PipelineFunctionDefinition {
  name: string;
  code: LoadedCode;
  dataSource: string;
}

/**
 * A pipeline resolver: the resolver's request (before), its functions in order, the resolver's
 * response (after). Without `code`, the before step passes `{}` on and the after step returns
 * the last function's result.
 */
export interface PipelineResolverDefinition {
  kind: 'PIPELINE';
  typeName: string;
  fieldName: string;
  code?: LoadedCode;
  functions: PipelineFunctionDefinition[];
}

export type ResolverDefinition = UnitResolverDefinition | PipelineResolverDefinition;

/** One GraphQL field to resolve: what AppSync puts in `ctx` besides stash/prev/result. */
export interface FieldCall {
  arguments?: Record<string, unknown>;
  source?: unknown;
  /** `ctx.identity` (see `identityOf`); null for API_KEY callers. */
  identity?: unknown;
  request?: { headers?: Record<string, string>; domainName?: string | null };
  info?: { variables?: Record<string, unknown>; selectionSetList?: string[]; selectionSetGraphQL?: string };
  /** AppSync environment variables (`ctx.env`). */
  env?: Record<string, string>;
  /** Response path of the field, for errors; defaults to `[fieldName]`. */
  path?: (string | number)[];
  /** Where the field is in the query, for errors. */
  locations?: { line: number; column: number; sourceName?: string | null }[];
}

/** A GraphQL error as AppSync returns it in `errors`. */
export interface AppSyncGraphQLError {
  message: string;
  errorType: string | null;
  data: unknown;
  errorInfo: unknown;
  path: (string | number)[];
  locations: { line: number; column: number; sourceName: string | null }[];
}

/** The outcome of resolving one field. */
export interface ResolverResult {
  /** The field's value: null when the resolver failed. */
  data: unknown;
  /** `util.appendError` errors, then the error that failed the field, if any. */
  errors: AppSyncGraphQLError[];
  logs: string[];
  /** The stash after the last handler. */
  stash: Record<string, unknown>;
  /** Headers added with `util.http.addResponseHeader(s)`, for the GraphQL HTTP response. */
  responseHeaders: Record<string, unknown>;
  /** What handlers asked through `extensions`. */
  extensions: Pick<
    EvaluationState,
    'subscriptionFilter' | 'subscriptionInvalidationFilter' | 'invalidateSubscriptions' | 'evictFromApiCache'
  >;
}

/**
 * AppSync's errorType for an error thrown by the code itself (TypeError, ReferenceError...); the
 * message reads `code.js:162:13: ReferenceError: … is not defined`.
 */
export const CODE_ERROR_TYPE = 'Code';

/** A resolver ready to run: see `createResolver`. */
export interface Resolver {
  readonly definition: ResolverDefinition;
  resolve(call: FieldCall): Promise<ResolverResult>;
}

class FieldFailure {
  constructor(readonly error: AppSyncError) {}
}

/**
 * Bind a resolver definition to data sources. Unit and pipeline semantics follow AppSync:
 * the stash is shared by every handler; a pipeline's before-handler result is the first
 * function's `ctx.prev.result`; each function's result is the next one's `ctx.prev.result`, and
 * the last one's the after-handler's `ctx.prev.result` and `ctx.result`; `util.error` anywhere fails the field (data null);
 * `util.appendError` adds errors while data is still returned; a data source error reaches the
 * response handler as `ctx.error` and fails the field only if the handler calls `util.error`.
 * `runtime.earlyReturn(value)`: in a unit resolver's request, `value` is the field's value (data
 * source and response skipped); in a pipeline resolver's request, the functions are skipped and the
 * after-handler runs with `ctx.prev.result = value`; in a function's request, that function's data
 * source and response are skipped, `value` is its result and the pipeline goes on (with
 * `{ skipTo: 'END' }`, straight to the after-handler).
 *
 * @example
 * const resolver = createResolver(
 *   { kind: 'PIPELINE', typeName: 'Mutation', fieldName: 'createThing', code: loadCode(before),
 *     functions: [{ name: 'validate', code: loadCode(validate), dataSource: 'NONE' },
 *                 { name: 'save', code: loadCode(save), dataSource: 'table' }] },
 *   { NONE: noneDataSource, table: dynamoDbDataSource },
 * );
 * const { data, errors } = await resolver.resolve({ arguments: { name: 'x' }, identity: null });
 */
export function createResolver(definition: ResolverDefinition, dataSources: DataSources): Resolver {
  const steps =
    definition.kind === 'UNIT'
      ? [{ name: `${definition.typeName}.${definition.fieldName}`, code: definition.code, dataSource: definition.dataSource }]
      : definition.functions;
  for (const step of steps) {
    if (!Object.hasOwn(dataSources, step.dataSource)) {
      throw new Error(
        `${definition.typeName}.${definition.fieldName}: ${step.name} uses data source '${step.dataSource}', which is not registered (${Object.keys(dataSources).join(', ') || 'none'}).`,
      );
    }
    const missing = (['request', 'response'] as const).filter((h) => !step.code.has(h));
    if (missing.length > 0) throw new Error(`${step.code.file} must export ${missing.join(' and ')}.`);
  }
  if (definition.kind === 'PIPELINE' && definition.code) {
    const missing = (['request', 'response'] as const).filter((h) => !definition.code?.has(h));
    if (missing.length > 0) throw new Error(`${definition.code.file} must export ${missing.join(' and ')}.`);
  }
  return {
    definition,
    resolve: (call) => resolveField(definition, dataSources, call),
  };
}

async function resolveField(definition: ResolverDefinition, dataSources: DataSources, call: FieldCall): Promise<ResolverResult> {
  const state = newEvaluationState();
  const base: ContextParts = {
    arguments: call.arguments ?? {},
    source: call.source ?? null,
    identity: call.identity ?? null,
    request: { headers: call.request?.headers ?? {}, domainName: call.request?.domainName ?? null },
    info: {
      fieldName: definition.fieldName,
      parentTypeName: definition.typeName,
      variables: call.info?.variables ?? {},
      selectionSetList: call.info?.selectionSetList ?? [],
      selectionSetGraphQL: call.info?.selectionSetGraphQL ?? '',
    },
  };
  if (call.env !== undefined) base.env = call.env;
  const run = { stash: {} as Record<string, unknown> };
  const evaluate = (code: LoadedCode, handler: 'request' | 'response', extra: Partial<ContextParts>): HandlerEvaluation => {
    const evaluation = code.evaluate(handler, { ...base, ...extra, stash: run.stash }, state);
    run.stash = evaluation.stash;
    return evaluation;
  };
  const invoke = async (dataSourceName: string, request: unknown, functionName?: string): Promise<DataSourceResponse> => {
    const dataSource = dataSources[dataSourceName] as DataSource;
    try {
      const call = { dataSourceName, typeName: definition.typeName, fieldName: definition.fieldName, identity: base.identity };
      return await dataSource.invoke(request, functionName === undefined ? call : { ...call, functionName });
    } catch (thrown) {
      const error = thrown as { name?: unknown; message?: unknown };
      return { error: { message: String(error?.message ?? thrown), type: typeof error?.name === 'string' ? error.name : 'Error' } };
    }
  };

  let data: unknown = null;
  let failure: AppSyncError | undefined;
  try {
    data = definition.kind === 'UNIT' ? await runUnit(definition, evaluate, invoke) : await runPipeline(definition, evaluate, invoke);
  } catch (thrown) {
    if (!(thrown instanceof FieldFailure)) throw thrown;
    failure = thrown.error;
    data = null;
  }
  const path = call.path ?? [definition.fieldName];
  const locations = (call.locations ?? []).map((l) => ({ line: l.line, column: l.column, sourceName: l.sourceName ?? null }));
  const toGraphQL = (error: AppSyncError): AppSyncGraphQLError => ({
    message: error.message,
    errorType: error.errorType ?? null,
    data: error.data === undefined ? null : toHostData(error.data),
    errorInfo: error.errorInfo === undefined ? null : toHostData(error.errorInfo),
    path,
    locations,
  });
  const errors = state.appendedErrors.map(toGraphQL);
  if (failure) {
    const unauthorized = failure.errorType === 'Unauthorized' && failure.message === 'Unauthorized';
    errors.push(
      toGraphQL(
        unauthorized ? { ...failure, message: `Not Authorized to access ${definition.fieldName} on type ${definition.typeName}` } : failure,
      ),
    );
  }
  return {
    data,
    errors,
    logs: state.logs,
    stash: run.stash,
    responseHeaders: state.responseHeaders ?? {},
    extensions: {
      subscriptionFilter: state.subscriptionFilter,
      subscriptionInvalidationFilter: state.subscriptionInvalidationFilter,
      invalidateSubscriptions: state.invalidateSubscriptions,
      evictFromApiCache: state.evictFromApiCache,
    },
  };
}

type Evaluate = (code: LoadedCode, handler: 'request' | 'response', extra: Partial<ContextParts>) => HandlerEvaluation;
type Invoke = (dataSourceName: string, request: unknown, functionName?: string) => Promise<DataSourceResponse>;

/** The value of a handler that ended normally or early; a failure ends the field. */
function valueOf(evaluation: HandlerEvaluation): { value: unknown; early: boolean; skipTo?: 'END' | 'NEXT' } {
  const { outcome } = evaluation;
  switch (outcome.status) {
    case 'returned':
      return { value: outcome.value, early: false };
    case 'earlyReturn':
      return outcome.skipTo ? { value: outcome.value, early: true, skipTo: outcome.skipTo } : { value: outcome.value, early: true };
    case 'utilError':
      throw new FieldFailure(outcome.error);
    case 'runtimeError': {
      throw new FieldFailure({ message: runtimeErrorMessage(outcome.error), errorType: CODE_ERROR_TYPE });
    }
    default: {
      const never: never = outcome;
      throw new Error(`Unknown outcome ${JSON.stringify(never)}`);
    }
  }
}

function responseParts(response: DataSourceResponse): Partial<ContextParts> {
  const parts: Partial<ContextParts> = { result: response.result === undefined ? null : response.result };
  if (response.error) parts.error = response.error;
  return parts;
}

async function runUnit(definition: UnitResolverDefinition, evaluate: Evaluate, invoke: Invoke): Promise<unknown> {
  const request = valueOf(evaluate(definition.code, 'request', {}));
  if (request.early) return request.value;
  const response = await invoke(definition.dataSource, request.value);
  return valueOf(evaluate(definition.code, 'response', responseParts(response))).value;
}

async function runPipeline(definition: PipelineResolverDefinition, evaluate: Evaluate, invoke: Invoke): Promise<unknown> {
  let previous: unknown = {};
  let skipFunctions = false;
  if (definition.code?.has('request')) {
    const before = valueOf(evaluate(definition.code, 'request', {}));
    previous = before.value;
    skipFunctions = before.early;
  }
  if (!skipFunctions) {
    for (const fn of definition.functions) {
      const request = valueOf(evaluate(fn.code, 'request', { prev: { result: previous } }));
      if (request.early) {
        previous = request.value;
        if (request.skipTo === 'END') break;
        continue;
      }
      const response = await invoke(fn.dataSource, request.value, fn.name);
      const result = valueOf(evaluate(fn.code, 'response', { prev: { result: previous }, ...responseParts(response) }));
      previous = result.value;
      if (result.skipTo === 'END') break;
    }
  }
  if (definition.code?.has('response')) {
    // The after-handler sees the last function's result as ctx.prev.result and as ctx.result (AppSync's
    // pipeline docs: "available … as $ctx.prev.result or $ctx.result"; apps return ctx.result there).
    const last = previous === undefined ? null : previous;
    return valueOf(evaluate(definition.code, 'response', { prev: { result: last }, result: last })).value;
  }
  return previous;
}
