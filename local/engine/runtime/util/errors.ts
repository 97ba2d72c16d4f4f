import { UtilErrorSignal, type AppSyncError, type CurrentEvaluation } from '../evaluation.ts';

/**
 * Build an AppSync error value; optional parts absent from the call stay absent, because AppSync
 * reports `errorType`, `data` and `errorInfo` only when the handler gave them.
 */
function toAppSyncError(message: unknown, errorType?: unknown, data?: unknown, errorInfo?: unknown): AppSyncError {
  const error: AppSyncError = { message: String(message) };
  if (errorType !== undefined) error.errorType = errorType === null ? null : String(errorType);
  if (data !== undefined) error.data = data;
  if (errorInfo !== undefined) error.errorInfo = errorInfo;
  return error;
}

/** The error-reporting part of `util`: `error`, `appendError`, `unauthorized`. */
export interface ErrorUtils {
  error(message: string, errorType?: string, data?: unknown, errorInfo?: unknown): never;
  appendError(message: string, errorType?: string, data?: unknown, errorInfo?: unknown): void;
  unauthorized(): never;
}

/**
 * Create `util.error`, `util.appendError` and `util.unauthorized`.
 *
 * @example
 * const { error } = createErrorUtils(() => state);
 * error('Invalid input', 'ValidationError'); // throws UtilErrorSignal
 */
export function createErrorUtils(current: CurrentEvaluation): ErrorUtils {
  return {
    error(message, errorType, data, errorInfo): never {
      throw new UtilErrorSignal(toAppSyncError(message, errorType, data, errorInfo));
    },
    appendError(message, errorType, data, errorInfo): void {
      current().appendedErrors.push(toAppSyncError(message, errorType, data, errorInfo));
    },
    unauthorized(): never {
      // AppSync answers "Not Authorized to access <field> on type <type>" with errorType
      // "Unauthorized"; the field is not known here, so the engine may rewrite the message
      // with the field it is resolving.
      throw new UtilErrorSignal({ message: 'Unauthorized', errorType: 'Unauthorized' });
    },
  };
}
