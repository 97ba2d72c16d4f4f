/**
 * Payload templates of JSONPath states (`Parameters`, `ResultSelector`, `ItemSelector`, `Assign`,
 * "Manipulate parameters in Step Functions workflows"): a key ending in `.$` takes the value of its
 * Path or intrinsic function and loses the suffix; other values are copied as written, nested objects
 * and arrays included. Also InputPath / ResultPath / OutputPath, with AWS's errors.
 */
import { STATES_ERRORS, StatesError } from './errors.ts';
import { evaluateIntrinsic, isIntrinsic } from './intrinsics.ts';
import { evaluatePath, InvalidPath, PathNotFound, setAtReferencePath, type PathScope } from './paths.ts';

/**
 * A runtime error found while evaluating a field: the state that runs it adds where it happened
 * (AWS's "An error occurred while executing the state 'X' (entered at the event id #N).").
 */
export class StateRuntimeError extends StatesError {
  constructor(
    error: string,
    cause: string,
    /** The field being evaluated, for EvaluationFailed's `location`. */
    readonly field: string,
  ) {
    super(error, cause);
  }
}

function json(value: unknown): string {
  return JSON.stringify(value);
}

/** One `.$` value: a Path or an intrinsic function. */
export function evaluateDynamicValue(expression: unknown, input: unknown, scope: PathScope, field: string): unknown {
  if (typeof expression !== 'string') {
    throw new StateRuntimeError(
      STATES_ERRORS.Runtime,
      `The value for the field '${field}' must be a valid JSONPath or a valid intrinsic function call`,
      field,
    );
  }
  try {
    return isIntrinsic(expression) ? evaluateIntrinsic(expression, input, scope) : evaluatePath(expression, input, scope);
  } catch (error) {
    if (error instanceof PathNotFound) {
      const where = error.path.startsWith('$$') ? 'context object' : 'input';
      const source = error.path.startsWith('$$') ? scope.context : input;
      throw new StateRuntimeError(
        STATES_ERRORS.Runtime,
        `The JSONPath '${error.path}' specified for the field '${field}' could not be found in the ${where} '${json(source)}'`,
        field,
      );
    }
    if (error instanceof StatesError) throw new StateRuntimeError(error.error, error.cause, field);
    if (error instanceof InvalidPath) throw new StateRuntimeError(STATES_ERRORS.Runtime, error.message, field);
    throw error;
  }
}

/** A payload template evaluated against `input`. */
export function applyPayloadTemplate(template: unknown, input: unknown, scope: PathScope): unknown {
  if (Array.isArray(template)) return template.map((item) => applyPayloadTemplate(item, input, scope));
  if (template === null || typeof template !== 'object') return template;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(template)) {
    if (key.endsWith('.$')) out[key.slice(0, -2)] = evaluateDynamicValue(value, input, scope, key);
    else out[key] = applyPayloadTemplate(value, input, scope);
  }
  return out;
}

/** `InputPath` / `OutputPath`: null gives `{}`, absent gives the value itself. */
export function applyFilterPath(path: string | null | undefined, value: unknown, scope: PathScope, field: string): unknown {
  if (path === undefined) return value;
  if (path === null) return {};
  try {
    return evaluatePath(path, value, scope);
  } catch (error) {
    if (error instanceof PathNotFound || error instanceof InvalidPath)
      throw new StateRuntimeError(STATES_ERRORS.Runtime, error.message, field);
    throw error;
  }
}

/** `ResultPath`: null keeps the input, absent (`$`) replaces it, a reference path places the result in it. */
export function applyResultPath(path: string | null | undefined, input: unknown, result: unknown): unknown {
  if (path === null) return input;
  if (path === undefined || path === '$') return result;
  try {
    return setAtReferencePath(input, path, result);
  } catch (error) {
    if (error instanceof InvalidPath) {
      throw new StateRuntimeError(
        STATES_ERRORS.ResultPathMatchFailure,
        `Unable to apply ReferencePath ${path} to input '${json(input)}'`,
        'ResultPath',
      );
    }
    throw error;
  }
}
