import type { CurrentEvaluation } from '../evaluation.ts';
import { createDynamoDbUtils } from './dynamodb.ts';
import { createErrorUtils } from './errors.ts';
import { autoId, autoKsuid, autoUlid } from './ids.ts';
import { createTimeUtils } from './time.ts';

/**
 * Create the `util` object of APPSYNC_JS for one loaded module. Functions read the evaluation
 * in progress through `current`, so one `util` serves every evaluation of that module.
 *
 * @example
 * const state = newEvaluationState();
 * const util = createUtil(() => state);
 * util.dynamodb.toMapValues({ id: '1' }); // { id: { S: '1' } }
 */
export function createUtil(current: CurrentEvaluation) {
  const errors = createErrorUtils(current);
  return {
    error: errors.error,
    appendError: errors.appendError,
    unauthorized: errors.unauthorized,
    autoId,
    autoUlid,
    autoKsuid: () => autoKsuid(),
    time: createTimeUtils(),
    dynamodb: createDynamoDbUtils(),
  };
}

/** The `util` object handed to APPSYNC_JS code. */
export type Util = ReturnType<typeof createUtil>;
