/**
 * The `util` object of APPSYNC_JS, as AWS documents it in "Built-in utilities"
 * (https://docs.aws.amazon.com/appsync/latest/devguide/built-in-util-js.html) and its sub-pages.
 * One namespace per file; this file only assembles them. See COVERAGE.md for what is covered.
 */
import type { CurrentEvaluation } from '../evaluation.ts';
import { authTypeOf, type AuthType } from './authType.ts';
import { createDynamoDbUtils } from './dynamodb.ts';
import { base64Decode, base64Encode, escapeJavaScript, urlDecode, urlEncode } from './encoding.ts';
import { createErrorUtils } from './errors.ts';
import { createHttpUtils } from './http.ts';
import { autoId, autoKsuid, autoUlid } from './ids.ts';
import { matches } from './matching.ts';
import { createMathUtils } from './math.ts';
import { createStringUtils } from './str.ts';
import { createTimeUtils } from './time.ts';
import { createTransformUtils } from './transform.ts';
import { createVtlTypeHelpers, type VtlTypeHelpers } from './typeChecks.ts';
import { createXmlUtils } from './xml.ts';

/** Options for tests and for the engine; the defaults are what AWS does. */
export interface CreateUtilOptions {
  /** Clock for `util.time.now*` and `autoKsuid`, in epoch milliseconds. */
  now?: () => number;
  /** Source of `util.math.random*`, in [0, 1). */
  random?: () => number;
  /**
   * Also expose VTL's `isNull`, `isNullOrEmpty`, `defaultIfNull`, `typeOf`... Off by default:
   * APPSYNC_JS on AWS does not have them, and code that calls them must fail here as it would there.
   */
  vtlHelpers?: boolean;
}

function createAppSyncJsUtil(current: CurrentEvaluation, options: CreateUtilOptions) {
  const now = options.now ?? Date.now;
  const errors = createErrorUtils(current);
  return {
    error: errors.error,
    appendError: errors.appendError,
    unauthorized: errors.unauthorized,
    autoId: (): string => autoId(),
    autoUlid: (): string => autoUlid(now()),
    autoKsuid: (): string => autoKsuid(now()),
    urlEncode,
    urlDecode,
    base64Encode,
    base64Decode,
    escapeJavaScript,
    matches,
    authType: (): AuthType => authTypeOf(current().identity),
    time: createTimeUtils(now),
    dynamodb: createDynamoDbUtils(),
    transform: createTransformUtils(),
    str: createStringUtils(),
    math: createMathUtils(options.random),
    http: createHttpUtils(current),
    xml: createXmlUtils(),
  };
}

/** The `util` object handed to APPSYNC_JS code. */
export type Util = ReturnType<typeof createAppSyncJsUtil> & Partial<VtlTypeHelpers>;

/**
 * Create the `util` object for one loaded module. Functions read the evaluation in progress
 * through `current`, so one `util` serves every evaluation of that module. Everything returned to
 * sandboxed code is plain JSON data (objects, arrays, strings, numbers, booleans, null).
 *
 * @example
 * const state = newEvaluationState();
 * const util = createUtil(() => state);
 * util.dynamodb.toMapValues({ id: '1' }); // { id: { S: '1' } }
 * util.appendError('Partial result', 'Warning'); // state.appendedErrors now holds it
 */
export function createUtil(current: CurrentEvaluation, options: CreateUtilOptions = {}): Util {
  const util = createAppSyncJsUtil(current, options);
  return options.vtlHelpers === true ? { ...util, ...createVtlTypeHelpers() } : util;
}
