/**
 * The APPSYNC_JS engine: runs AppSync JavaScript resolvers and functions outside AWS, with the
 * language limits, globals, `util`/`runtime`/`extensions` and pipeline semantics of AppSync.
 *
 * @example
 * import { loadCode, createResolver, noneDataSource, identityOf } from './local/engine/index.ts';
 *
 * const code = loadCode(bundledSource, { file: 'Query.hello.js' }); // throws CodeLoadError if AWS would refuse it
 * const resolver = createResolver({ kind: 'UNIT', typeName: 'Query', fieldName: 'hello', code, dataSource: 'NONE' }, { NONE: noneDataSource });
 * const { data, errors } = await resolver.resolve({ arguments: { name: 'x' }, identity: identityOf({ authMode: 'API_KEY' }) });
 */
export { checkCode } from './check/checkCode.ts';
export { MAX_CODE_LENGTH } from './check/languageRules.ts';
export { CodeLoadError, type CodeError, type CodeErrorLocation, type CodeErrorType } from './codeError.ts';
export {
  loadCode,
  loadFile,
  runtimeErrorMessage,
  LoadedCode,
  type ContextParts,
  type HandlerName,
  type HandlerOutcome,
  type HandlerEvaluation,
  type CodeRuntimeError,
  type LoadOptions,
} from './loadCode.ts';
export { LoadedCodes, type CodeToLoad } from './loadedCodes.ts';
export {
  createResolver,
  CODE_ERROR_TYPE,
  type Resolver,
  type ResolverDefinition,
  type UnitResolverDefinition,
  type PipelineResolverDefinition,
  type PipelineFunctionDefinition,
  type FieldCall,
  type ResolverResult,
  type AppSyncGraphQLError,
} from './resolver.ts';
export { noneDataSource, type DataSource, type DataSourceCall, type DataSourceResponse, type DataSources } from './dataSource.ts';
export { identityOf, type Caller, type AuthMode } from './identity.ts';
export { evaluateCode, BadRequestError, type EvaluateCodeInput, type EvaluateCodeOutput } from './evaluateCode.ts';
export { readResolverCode, bundleResolverCode, type ResolverCode } from './bundle.ts';
export type { OriginalPosition } from './load/sourceMap.ts';
export { newEvaluationState, type AppSyncError, type EvaluationState } from './runtime/evaluation.ts';
