/**
 * Errors of the Step Functions API (not of executions), by the names in the API reference
 * (`ExecutionAlreadyExists`, `ExecutionDoesNotExist`, `StateMachineDoesNotExist`, `InvalidArn`,
 * `InvalidName`, `InvalidExecutionInput`, `InvalidDefinition`, `InvalidToken`, `TaskTimedOut`,
 * `TaskDoesNotExist`, `ValidationException`, `StateMachineTypeNotSupported`). The JSON protocol sends
 * them as `__type` and HTTP 400.
 */
export class StepFunctionsApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
