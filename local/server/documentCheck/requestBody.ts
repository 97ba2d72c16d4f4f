/**
 * Reads a GraphQL request body (`{"query", "variables", "operationName"}` as JSON) and bounds its
 * variables. JSON.parse of megabytes of small values takes the event loop for a tenth of a second,
 * so large bodies are read in the document-check worker and only bounded variables come back.
 */

export type RequestBodyRead =
  | { kind: 'json'; body: unknown }
  | { kind: 'not-json' }
  /** The variables hold more JSON values than the server accepts; `count` stops one past the limit. */
  | { kind: 'too-many-variable-values'; count: number };

/**
 * Parse `raw` and count the values of its `variables`.
 *
 * @example
 * readRequestBody('{"query": "{ __typename }"}', 10_000) // { kind: 'json', body: { query: '{ __typename }' } }
 */
export function readRequestBody(raw: string, maxVariableValues: number): RequestBodyRead {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return { kind: 'not-json' };
  }
  const variables = body !== null && typeof body === 'object' ? (body as { variables?: unknown }).variables : undefined;
  const count = jsonValueCount(variables, maxVariableValues);
  return count > maxVariableValues ? { kind: 'too-many-variable-values', count } : { kind: 'json', body };
}

/** How many JSON values `value` holds (itself, and everything inside), counting no further than one past `limit`. */
export function jsonValueCount(value: unknown, limit: number): number {
  if (value === undefined) return 0;
  let count = 0;
  // An explicit stack: a 100 000-level nested variable must not overflow the call stack.
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    count += 1;
    if (next !== null && typeof next === 'object') {
      for (const inner of Array.isArray(next) ? next : Object.values(next)) {
        if (count + pending.length >= limit + 1) return limit + 1;
        pending.push(inner);
      }
    }
  }
  return count;
}

/** The refusal of variables over the limit, as the other variable errors read. */
export function tooManyVariableValues(limit: number): { message: string; errorType: string; path: null } {
  return {
    message: `Validation error: the variables hold more than ${limit} values, more than the local server accepts in one request. Send bulk data as one AWSJSON string, or split the request.`,
    errorType: 'ValidationError',
    path: null,
  };
}
