/**
 * `util.http`, as documented in "HTTP helpers in util.http"
 * (https://docs.aws.amazon.com/appsync/latest/devguide/http-helpers-in-utils-http-js.html).
 * Response headers are collected in the evaluation state (`responseHeaders`) for the server to send.
 */
import type { CurrentEvaluation } from '../evaluation.ts';
import { isPlainObject } from './dynamodb.ts';

/** Headers `copyHeaders` leaves out (AWS's list, compared without case). */
const RESTRICTED_REQUEST_HEADERS = new Set([
  'transfer-encoding',
  'connection',
  'host',
  'expect',
  'keep-alive',
  'upgrade',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'content-length',
]);

/** Names a response header may not take, beyond the restricted request headers (AWS's list). */
const RESTRICTED_RESPONSE_HEADERS = new Set([
  ...RESTRICTED_REQUEST_HEADERS,
  'access-control-allow-credentials',
  'access-control-allow-origin',
  'access-control-expose-headers',
  'access-control-max-age',
  'access-control-allow-methods',
  'access-control-allow-headers',
  'vary',
  'content-type',
]);

const RESTRICTED_RESPONSE_PREFIXES = ['x-amzn-', 'x-amz-'];

/** "The size of custom response headers can't exceed 4 KB. This includes header names and values." */
const RESPONSE_HEADERS_MAX_BYTES = 4096;

/** The error AWS adds to the operation's `errors` for a header it ignores. */
const RESPONSE_HEADER_ERROR_TYPE = 'ResponseHeaderError';

/** `util.http` as APPSYNC_JS code sees it. */
export interface HttpUtils {
  copyHeaders(headers: unknown): Record<string, unknown>;
  addResponseHeader(name: string, value: unknown): void;
  addResponseHeaders(headers: Record<string, unknown>): void;
}

/**
 * `util.http.copyHeaders(headers)`: a copy without the hop-by-hop and other restricted headers.
 *
 * @example copyHeaders({ Host: 'x', 'x-api-key': 'k' }) // { 'x-api-key': 'k' }
 */
export function copyHeaders(headers: unknown): Record<string, unknown> {
  const copied: Record<string, unknown> = {};
  if (!isPlainObject(headers)) return copied;
  for (const [name, value] of Object.entries(headers)) {
    if (!RESTRICTED_REQUEST_HEADERS.has(name.toLowerCase())) copied[name] = value;
  }
  return copied;
}

/** Why AppSync would refuse this response header, or `undefined` when it is accepted. */
function refusalOf(name: unknown, value: unknown): string | undefined {
  if (typeof name !== 'string' || name.trim() === '') return 'a response header needs a name';
  const lowerCaseName = name.toLowerCase();
  if (RESTRICTED_RESPONSE_HEADERS.has(lowerCaseName)) return `response header ${name} is restricted`;
  if (RESTRICTED_RESPONSE_PREFIXES.some((prefix) => lowerCaseName.startsWith(prefix))) {
    return `response header ${name} uses a restricted prefix`;
  }
  if (value === null || value === undefined) return `response header ${name} has no value`;
  return undefined;
}

/** Header bytes as the 4 KB limit counts them: name plus value (objects as JSON). */
function headerBytes(name: string, value: unknown): number {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return Buffer.byteLength(name, 'utf8') + Buffer.byteLength(text, 'utf8');
}

/**
 * Create `util.http`. A refused header is ignored and a `ResponseHeaderError` is appended to the
 * evaluation's errors, as AWS documents; the messages are this runtime's (AWS does not give them).
 *
 * @example
 * createHttpUtils(() => state).addResponseHeader('itemsCount', 7); // state.responseHeaders: { itemsCount: 7 }
 */
export function createHttpUtils(current: CurrentEvaluation): HttpUtils {
  const addResponseHeader = (name: string, value: unknown): void => {
    const state = current();
    const refusal = refusalOf(name, value);
    if (refusal !== undefined) {
      state.appendedErrors.push({ message: refusal, errorType: RESPONSE_HEADER_ERROR_TYPE });
      return;
    }
    const headers = { ...(state.responseHeaders ?? {}), [name]: value };
    const totalBytes = Object.entries(headers).reduce((sum, [headerName, headerValue]) => sum + headerBytes(headerName, headerValue), 0);
    if (totalBytes > RESPONSE_HEADERS_MAX_BYTES) {
      state.appendedErrors.push({
        message: `response headers exceed ${RESPONSE_HEADERS_MAX_BYTES} bytes; ${name} was not added`,
        errorType: RESPONSE_HEADER_ERROR_TYPE,
      });
      return;
    }
    // Last write wins, as AWS documents for a header defined twice.
    state.responseHeaders = headers;
  };
  return {
    copyHeaders,
    addResponseHeader,
    addResponseHeaders: (headers) => {
      if (!isPlainObject(headers)) return;
      for (const [name, value] of Object.entries(headers)) addResponseHeader(name, value);
    },
  };
}
