/**
 * AppSync's AWS_LAMBDA data source (https://docs.aws.amazon.com/appsync/latest/devguide/resolver-reference-lambda-js.html):
 * the request `{ operation: 'Invoke' | 'BatchInvoke', payload, invocationType? }`.
 * - `Invoke`: the payload is the function's event; its answer is `ctx.result`.
 * - `BatchInvoke`: calls of the same field (and pipeline function) made while one request resolves are
 *   grouped, up to the resolver's `MaxBatchSize`; the function gets the list of payloads and must answer a
 *   list of the same length, whose n-th item is the n-th caller's `ctx.result`.
 * - `invocationType: 'Event'`: the function is invoked asynchronously; AppSync does not wait, `ctx.result` is null.
 * - A function error reaches the response handler as `ctx.error` `{ message: errorMessage, type: 'Lambda:Unhandled' }`:
 *   whatever `errorType` the function threw, AppSync reports `Lambda:Unhandled` with its message
 *   (https://github.com/aws/aws-appsync-community/issues/209).
 */
import type { DataSource, DataSourceCall, DataSourceResponse } from '../engine/index.ts';
import type { AppSyncApiModel } from '../template/cloudAssembly.ts';
import type { InvocationType, LocalLambda } from './LocalLambda.ts';

/** The batch size AppSync used before `MaxBatchSize` could be set, kept when a resolver sets none. */
export const DEFAULT_MAX_BATCH_SIZE = 5;

interface LambdaRequest {
  operation?: unknown;
  payload?: unknown;
  invocationType?: unknown;
}

interface PendingBatch {
  payloads: unknown[];
  callers: ((response: DataSourceResponse) => void)[];
  invocationType: InvocationType;
}

/**
 * @example
 * const source = appSyncLambdaDataSource(lambda, 'arn:aws:lambda:us-east-1:123456789012:function:Stack-Notes', apiModel);
 * await source.invoke({ operation: 'Invoke', payload: { id: '1' } }, call); // { result: … }
 */
export function appSyncLambdaDataSource(
  lambda: LocalLambda,
  functionArn: string,
  api: Pick<AppSyncApiModel, 'resolvers' | 'functions'>,
): DataSource {
  // Refused at start, by name: a data source whose function the template does not run.
  lambda.runnerOf(functionArn);
  const batches = new Map<string, PendingBatch>();

  const invokeOnce = async (payload: unknown, invocationType: InvocationType): Promise<DataSourceResponse> => {
    const answer = await lambda.invoke({ functionName: functionArn, payload, invocationType });
    if (answer.functionError) return { error: { message: answer.functionError.errorMessage, type: 'Lambda:Unhandled' } };
    return { result: answer.payload ?? null };
  };

  const flush = (key: string) => {
    const batch = batches.get(key);
    if (!batch) return;
    batches.delete(key);
    void invokeOnce(batch.payloads, batch.invocationType).then((response) => {
      if (response.error || batch.invocationType === 'Event') {
        for (const caller of batch.callers) caller(response);
        return;
      }
      const results = response.result;
      if (!Array.isArray(results) || results.length !== batch.callers.length) {
        const error = {
          type: 'Lambda:Unhandled',
          message: `The Lambda function answered a BatchInvoke of ${batch.callers.length} item(s) with ${Array.isArray(results) ? `a list of ${results.length}` : 'something other than a list'}; it must answer one result per item, in order.`,
        };
        for (const caller of batch.callers) caller({ error });
        return;
      }
      batch.callers.forEach((caller, index) => caller({ result: results[index] ?? null }));
    });
  };

  return {
    invoke(request, call) {
      const { operation, payload, invocationType = 'RequestResponse' } = (request ?? {}) as LambdaRequest;
      if ((operation !== 'Invoke' && operation !== 'BatchInvoke') || (invocationType !== 'RequestResponse' && invocationType !== 'Event')) {
        return Promise.resolve({
          error: {
            type: 'Lambda:InvalidRequest',
            message: `A Lambda request needs operation "Invoke" or "BatchInvoke" (got ${JSON.stringify(operation)}) and invocationType "RequestResponse" or "Event" (got ${JSON.stringify(invocationType)}).`,
          },
        });
      }
      if (operation === 'Invoke') return invokeOnce(payload ?? null, invocationType);
      const key = `${call.typeName}.${call.fieldName}/${call.functionName ?? ''}/${invocationType}`;
      const size = maxBatchSizeOf(api, call);
      return new Promise<DataSourceResponse>((resolve) => {
        let batch = batches.get(key);
        if (!batch) {
          batch = { payloads: [], callers: [], invocationType };
          batches.set(key, batch);
          // The fields of one request's level resolve in the same turn of the event loop: flush after it.
          setImmediate(() => flush(key));
        }
        batch.payloads.push(payload ?? null);
        batch.callers.push(resolve);
        if (batch.callers.length >= size) flush(key);
      });
    },
  };
}

/** The `MaxBatchSize` of the pipeline function, or else of the resolver, making this call. */
function maxBatchSizeOf(api: Pick<AppSyncApiModel, 'resolvers' | 'functions'>, call: DataSourceCall): number {
  if (call.functionName !== undefined) {
    const fn = Object.values(api.functions).find((candidate) => candidate.name === call.functionName);
    if (fn?.maxBatchSize) return fn.maxBatchSize;
  }
  const resolver = api.resolvers.find((candidate) => candidate.typeName === call.typeName && candidate.fieldName === call.fieldName);
  return resolver?.maxBatchSize ?? DEFAULT_MAX_BATCH_SIZE;
}
