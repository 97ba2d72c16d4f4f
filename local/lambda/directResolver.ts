/**
 * A direct Lambda resolver (no code, no mapping templates on an AWS_LAMBDA data source), written as the
 * APPSYNC_JS code that does what AppSync does for it, so the engine runs it like any other resolver
 * (https://docs.aws.amazon.com/appsync/latest/devguide/direct-lambda-reference.html):
 * the function receives the context `{ arguments, identity, source, request, info, prev, stash }`;
 * with `MaxBatchSize` set, calls of one field are batched (`BatchInvoke`, a list of contexts, a list of
 * results); its answer is the field's value; its error fails the field with `errorType` `Lambda:Unhandled`
 * and the function's `errorMessage`: the documented default response is
 * `#if($ctx.error) $util.error($ctx.error.message, $ctx.error.type, $ctx.result) #end $util.toJson($ctx.result)`
 * (resolver-mapping-template-reference-lambda.html, "Direct Lambda response mapping template").
 */

/** The APPSYNC_JS source of a direct Lambda resolver; `maxBatchSize` switches batching on. */
export function directLambdaResolverCode(maxBatchSize: number | undefined): string {
  const operation = maxBatchSize ? 'BatchInvoke' : 'Invoke';
  return `import { util } from '@aws-appsync/utils';

// A direct Lambda resolver, as AppSync runs one (local/lambda/directResolver.ts).
export function request(ctx) {
  return {
    operation: '${operation}',
    payload: {
      arguments: ctx.arguments,
      identity: ctx.identity,
      source: ctx.source,
      request: ctx.request,
      info: ctx.info,
      prev: ctx.prev,
      stash: ctx.stash,
    },
  };
}

export function response(ctx) {
  if (ctx.error) {
    util.error(ctx.error.message, ctx.error.type, ctx.result);
  }
  return ctx.result;
}
`;
}
