/** What the engine tells a data source about the call it serves. */
export interface DataSourceCall {
  dataSourceName: string;
  typeName: string;
  fieldName: string;
  /** The pipeline function calling the data source; absent for a unit resolver. */
  functionName?: string;
  /** The caller's identity as the handler saw it in `ctx.identity`. */
  identity: unknown;
}

/**
 * A data source's answer. `error` reaches the response handler as `ctx.error`; it fails the field
 * only if the handler calls `util.error` (AppSync's behaviour for APPSYNC_JS).
 */
export interface DataSourceResponse {
  result?: unknown;
  error?: { message: string; type: string };
}

/**
 * A data source the engine can call with the request a handler returned: DynamoDB, EventBridge,
 * HTTP, NONE... The local stack plugs real ones in.
 *
 * @example
 * const echo: DataSource = { invoke: async (request) => ({ result: request }) };
 */
export interface DataSource {
  invoke(request: unknown, call: DataSourceCall): Promise<DataSourceResponse>;
}

/** Data sources by name, as resolvers and functions name them. */
export type DataSources = Readonly<Record<string, DataSource>>;

/**
 * AppSync's NONE data source: no I/O, the request's `payload` becomes `ctx.result`
 * (`null` when the request has none).
 *
 * @example
 * await noneDataSource.invoke({ payload: { id: '1' } }, call); // { result: { id: '1' } }
 */
export const noneDataSource: DataSource = {
  invoke(request) {
    const payload =
      typeof request === 'object' && request !== null && Object.hasOwn(request, 'payload')
        ? (request as { payload: unknown }).payload
        : null;
    return Promise.resolve({ result: payload ?? null });
  },
};
