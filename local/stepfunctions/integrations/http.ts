/**
 * `arn:aws:states:::http:invoke` ("Call third-party APIs in Step Functions workflows",
 * https://docs.aws.amazon.com/step-functions/latest/dg/call-https-apis.html): a real HTTP call with
 * ApiEndpoint, Method, Headers, QueryParameters, RequestBody (and Transform URL_ENCODED); the result is
 * `{ StatusCode, StatusText, Headers, ResponseBody }`, a JSON body parsed. A status that is not 2xx fails the
 * task with `States.Http.StatusCode.<code>`; no answer fails it with `States.Http.Socket`.
 * Local difference: the connection's authorization (Authentication.ConnectionArn) is not added, since no
 * EventBridge connection or Secrets Manager secret exists locally.
 */
import { StatesError } from '../errors.ts';
import type { TaskIntegration } from './types.ts';

interface HttpParameters {
  ApiEndpoint?: string;
  Method?: string;
  Headers?: Record<string, unknown>;
  QueryParameters?: Record<string, unknown>;
  RequestBody?: unknown;
  Transform?: { RequestBodyEncoding?: 'NONE' | 'URL_ENCODED' };
}

const SOCKET_TIMEOUT_MS = 60_000;

export function httpInvokeIntegration(): TaskIntegration {
  return async (call) => {
    const parameters = (call.parameters ?? {}) as HttpParameters;
    if (typeof parameters.ApiEndpoint !== 'string' || typeof parameters.Method !== 'string') {
      throw new StatesError('States.Runtime', 'http:invoke needs ApiEndpoint and Method.');
    }
    const url = new URL(parameters.ApiEndpoint);
    for (const [key, value] of Object.entries(parameters.QueryParameters ?? {})) url.searchParams.set(key, String(value));
    const headers: Record<string, string> = Object.fromEntries(
      Object.entries(parameters.Headers ?? {}).map(([key, value]) => [key, String(value)]),
    );
    let body: string | undefined;
    if (parameters.RequestBody !== undefined) {
      if (
        parameters.Transform?.RequestBodyEncoding === 'URL_ENCODED' &&
        parameters.RequestBody !== null &&
        typeof parameters.RequestBody === 'object'
      ) {
        body = new URLSearchParams(
          Object.entries(parameters.RequestBody).map(([key, value]): [string, string] => [
            key,
            typeof value === 'string' ? value : JSON.stringify(value),
          ]),
        ).toString();
        headers['content-type'] ??= 'application/x-www-form-urlencoded';
      } else {
        body = typeof parameters.RequestBody === 'string' ? parameters.RequestBody : JSON.stringify(parameters.RequestBody);
        headers['content-type'] ??= 'application/json; charset=UTF-8';
      }
    }
    let response: Response;
    try {
      response = await fetch(url, {
        method: parameters.Method.toUpperCase(),
        headers,
        body,
        signal: AbortSignal.any([call.signal, AbortSignal.timeout(SOCKET_TIMEOUT_MS)]),
      });
    } catch (error) {
      if (call.signal.aborted) throw error;
      throw new StatesError('States.Http.Socket', `Could not reach ${url.origin}: ${(error as Error).message}`);
    }
    const text = await response.text();
    const responseHeaders: Record<string, string[]> = {};
    response.headers.forEach((value, name) => (responseHeaders[name] = [value]));
    let responseBody: unknown = text;
    if ((response.headers.get('content-type') ?? '').includes('json')) {
      try {
        responseBody = JSON.parse(text);
      } catch {
        responseBody = text;
      }
    }
    const result = { Headers: responseHeaders, ResponseBody: responseBody, StatusCode: response.status, StatusText: response.statusText };
    if (response.status < 200 || response.status > 299)
      throw new StatesError(`States.Http.StatusCode.${response.status}`, JSON.stringify(result));
    return result;
  };
}
