/**
 * The state of one evaluation of one handler (a resolver's or a function's
 * `request` or `response`). The runtime globals (`util`, `runtime`,
 * `extensions`, `console`) are created once per loaded module and read the
 * current evaluation through a getter, so loading stays off the hot path.
 *
 * Shared contract between the engine core (loader, pipeline, evaluate-code)
 * and the runtime library (util, @aws-appsync/utils/dynamodb).
 */

/** A GraphQL error as AppSync reports it from `util.error` / `util.appendError`. */
export interface AppSyncError {
  message: string;
  errorType?: string | null;
  data?: unknown;
  errorInfo?: unknown;
}

export interface EvaluationState {
  /** Errors collected by `util.appendError`: the field still returns data. */
  appendedErrors: AppSyncError[];
  /** `console.log` / `console.error` lines, as CloudWatch would show them. */
  logs: string[];
  /** Set by `extensions.setSubscriptionFilter`. */
  subscriptionFilter?: unknown;
  /** Set by `extensions.setSubscriptionInvalidationFilter`. */
  subscriptionInvalidationFilter?: unknown;
  /** Collected by `extensions.invalidateSubscriptions`. */
  invalidateSubscriptions: unknown[];
  /** Collected by `extensions.evictFromApiCache`. */
  evictFromApiCache: unknown[];
  /** `ctx.identity` of the request (null for API key); `util.authType()` infers the auth mode from its shape. */
  identity?: unknown;
  /** Set by `util.http.addResponseHeader(s)`: custom headers for the GraphQL HTTP response (last write wins). */
  responseHeaders?: Record<string, unknown>;
}

export function newEvaluationState(): EvaluationState {
  return { appendedErrors: [], logs: [], invalidateSubscriptions: [], evictFromApiCache: [] };
}

/** Read the evaluation in progress; throws when no evaluation runs (a utility called at load time). */
export type CurrentEvaluation = () => EvaluationState;

/**
 * Thrown by `util.error` and `util.unauthorized`: aborts the handler. User code cannot catch it,
 * because APPSYNC_JS has no try/catch.
 */
export class UtilErrorSignal extends Error {
  constructor(readonly error: AppSyncError) {
    super(error.message);
    this.name = 'UtilErrorSignal';
  }
}

/** Thrown by `runtime.earlyReturn(value)`: ends the handler (and a pipeline's remaining steps) with `value`. */
export class EarlyReturnSignal extends Error {
  constructor(readonly value: unknown) {
    super('runtime.earlyReturn');
    this.name = 'EarlyReturnSignal';
  }
}
