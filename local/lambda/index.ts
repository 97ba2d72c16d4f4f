/** Node.js Lambda functions run locally: one entry for the rest of the runtime (README.md). */
export {
  ASYNC_RETRY_DELAYS_MS,
  AsyncInvocationQueue,
  type AsyncInvocationOptions,
  type AsyncInvocationRecord,
  type EndedAsyncInvocation,
  type PendingAsyncInvocation,
  type UndeliveredRecord,
} from './asyncInvocation.ts';
export { AsyncInvocationJournal, type JournaledInvocation, type SetAsideEntry } from './asyncInvocationJournal.ts';
export { DEFAULT_ASYNC_CONFIG, type AsyncInvocationConfig } from './asyncInvocationConfig.ts';
export { appSyncLambdaDataSource, DEFAULT_MAX_BATCH_SIZE } from './appSyncLambdaDataSource.ts';
export { directLambdaResolverCode } from './directResolver.ts';
export { lambdaFunctionsOf, NODE_RUNTIMES, type LambdaFunctionDefinition, type SkippedFunction } from './functionDefinitions.ts';
export { FunctionRunner, type FunctionError, type FunctionRunnerOptions, type InvocationResult } from './functionRunner.ts';
export { LambdaServiceError, LocalLambda, type InvocationType, type LambdaInvocation, type LambdaInvokeResult } from './LocalLambda.ts';
export { lambdaRuleTargetInvoker } from './ruleTarget.ts';
