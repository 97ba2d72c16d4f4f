/**
 * Errors of the Amazon States Language, as AWS names them ("Error names", in
 * https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html).
 * A `StatesError` is what a state reports: its `error` is matched by Retry and Catch,
 * its `cause` is the human-readable text AWS puts in the history and the error output.
 */

export const STATES_ERRORS = {
  ALL: 'States.ALL',
  BranchFailed: 'States.BranchFailed',
  DataLimitExceeded: 'States.DataLimitExceeded',
  ExceedToleratedFailureThreshold: 'States.ExceedToleratedFailureThreshold',
  HeartbeatTimeout: 'States.HeartbeatTimeout',
  IntrinsicFailure: 'States.IntrinsicFailure',
  ItemReaderFailed: 'States.ItemReaderFailed',
  NoChoiceMatched: 'States.NoChoiceMatched',
  ParameterPathFailure: 'States.ParameterPathFailure',
  Permissions: 'States.Permissions',
  QueryEvaluationError: 'States.QueryEvaluationError',
  ResultPathMatchFailure: 'States.ResultPathMatchFailure',
  ResultWriterFailed: 'States.ResultWriterFailed',
  Runtime: 'States.Runtime',
  TaskFailed: 'States.TaskFailed',
  Timeout: 'States.Timeout',
} as const;

/** An error a state reports: caught by a matching Catch, retried by a matching Retry, else it fails the execution. */
export class StatesError extends Error {
  constructor(
    readonly error: string,
    override readonly cause: string = '',
  ) {
    super(cause ? `${error}: ${cause}` : error);
  }

  /** The error output a catcher receives: `{ "Error": …, "Cause": … }`. */
  get output(): { Error: string; Cause: string } {
    return { Error: this.error, Cause: this.cause };
  }
}

/**
 * A definition Step Functions refuses at CreateStateMachine (`InvalidDefinition`), with AWS's wording:
 * `Invalid State Machine Definition: 'CODE: message at /States/…'`.
 */
export class InvalidDefinitionError extends Error {
  readonly code = 'InvalidDefinition';
  constructor(readonly problems: string[]) {
    super(`Invalid State Machine Definition: '${problems.join(', ')}'`);
  }
}

/**
 * States.ALL matches every error but States.Runtime and States.DataLimitExceeded, which are terminal
 * ("Error names": States.ALL "can't catch the States.DataLimitExceeded terminal error or Runtime error types").
 * States.TaskFailed "acts as a wildcard that matches any known error name except for States.Timeout" (same page).
 */
export function errorMatches(errorEquals: readonly string[], error: string): boolean {
  for (const name of errorEquals) {
    if (name === error) return true;
    if (name === STATES_ERRORS.ALL && error !== STATES_ERRORS.Runtime && error !== STATES_ERRORS.DataLimitExceeded) return true;
    if (
      name === STATES_ERRORS.TaskFailed &&
      error !== STATES_ERRORS.Timeout &&
      error !== STATES_ERRORS.Runtime &&
      error !== STATES_ERRORS.DataLimitExceeded
    )
      return true;
  }
  return false;
}

/** AWS prefixes a state's runtime error cause with where it happened. */
export function runtimeCause(stateName: string, enteredEventId: number, detail: string): string {
  return `An error occurred while executing the state '${stateName}' (entered at the event id #${enteredEventId}). ${detail}`;
}
