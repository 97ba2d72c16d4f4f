/**
 * One AppSync GraphQL API served locally. The AppSync simulator provides the
 * schema (AppSync scalars, auth directives, @aws_subscribe publishing); every
 * field with a resolver runs in this project's APPSYNC_JS engine against
 * real data sources. Requests and responses take AppSync's shapes, including
 * where the simulator differs (errors, parse failures, subscription filters).
 */
import {
  GraphQLError,
  execute,
  getOperationAST,
  isObjectType,
  type DocumentNode,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { acceptSchemaAsAppSync } from './appSyncSchemaRules.ts';
import {
  createResolver,
  LoadedCodes,
  type CodeToLoad,
  type DataSources,
  type Resolver,
  type AppSyncGraphQLError,
} from '../engine/index.ts';
import { appSyncFieldArn, isAllowedByRole } from '../iamPolicy.ts';
import type { AppSyncApiModel, AuthenticationType } from '../template/cloudAssembly.ts';
import { allowedModes, type RequestAuth } from './authorization.ts';
import { isDeniedField, refuseDeniedFields } from './deniedFields.ts';
import { DocumentChecker } from './documentCheck/documentChecker.ts';
import { EngineSchema, type PublishListener } from './engineSchemaSimulator.ts';
import {
  malformed,
  operationFieldNames,
  responsePath,
  selectionInfoOf,
  toAppSyncGraphQLError,
  variableErrorsOf,
  withSourceName,
} from './appSyncResponses.ts';
import { jsonValueCount, readRequestBody, tooManyVariableValues, type RequestBodyRead } from './documentCheck/requestBody.ts';
import { ValidatedDocuments } from './documentCheck/validatedDocuments.ts';
import { eventLoopTurns } from './eventLoopTurns.ts';
import { executeInPieces } from './rootFieldPieces.ts';
import { EXECUTION_TIMED_OUT, executionTimedOut, withinExecutionTime } from './executionTimeout.ts';
import { selectionDepth } from './selectionDepth.ts';
import { serverLimits, type ServerLimits } from './serverLimits.ts';

export interface GraphQLRequestBody {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

export interface GraphQLResponse {
  data?: Record<string, unknown> | null;
  errors?: AppSyncGraphQLError[] | { message: string; errorType?: string; locations?: unknown; path?: unknown }[];
}

export interface RequestMeta {
  headers: Record<string, string>;
  sourceIp: string;
  domainName: string | null;
}

/** One line per request, for the dev server's log. */
export interface RequestLog {
  operation: string;
  fields: string[];
  dataSourceCalls: number;
  durationMs: number;
  errors: number;
}

export interface LocalGraphqlApiOptions {
  apiKey: string;
  dataSources: DataSources;
  accountId: string;
  onRequest?: (log: RequestLog) => void;
  /**
   * AppSync's per-API limits, as the template's `QueryDepthLimit` and `ResolverCountLimit` set them
   * (defaults are AppSync's: no depth limit (0), 10 000 resolver invocations per request), and the
   * server's own (serverLimits.ts), which tests shrink.
   */
  limits?: { queryDepthLimit?: number; resolverCountLimit?: number } & Partial<ServerLimits>;
  /** Codes already loaded (`codesOf` the model, preloaded while DynamoDB Local starts; or a previous version's). */
  codes?: LoadedCodes;
  /** The API's document-check worker, if already started (`startDocumentChecker` with the same model and limits). */
  checker?: DocumentChecker;
}

/**
 * The document-check worker of an API, which the API closes with itself. A worker takes 0.3–0.4 s to be
 * ready (its thread, its loader, the schema built again): a start begins it before loading the codes, so
 * that it is ready by the first request rather than making that request wait.
 */
export function startDocumentChecker(model: AppSyncApiModel, limits?: LocalGraphqlApiOptions['limits']): DocumentChecker {
  const resolved = serverLimits(limits);
  return new DocumentChecker(
    {
      schema: model.schema,
      defaultAuthentication: model.defaultAuthentication,
      limits: {
        documentTokens: resolved.documentTokens,
        overlapComparisons: resolved.overlapComparisons,
        variableValues: resolved.variableValues,
      },
    },
    resolved.validationBudgetMs,
  );
}

type ResolverModel = AppSyncApiModel['resolvers'][number];
type FunctionModel = AppSyncApiModel['functions'][string];

/** The file a resolver's code is named as in errors and stack traces: `Type.field.js`, as AppSync shows it. */
function resolverCodeFile(resolver: ResolverModel): string {
  return `${resolver.typeName}.${resolver.fieldName}.js`;
}

function functionCodeFile(fn: FunctionModel): string {
  return `${fn.name}.js`;
}

/** Every APPSYNC_JS code the API's resolvers run, each function once, named as the API names them. */
export function codesOf(model: AppSyncApiModel): CodeToLoad[] {
  const codes: CodeToLoad[] = [];
  for (const resolver of model.resolvers) {
    if (resolver.code !== undefined) codes.push({ source: resolver.code, file: resolverCodeFile(resolver) });
  }
  for (const fn of Object.values(model.functions)) codes.push({ source: fn.code, file: functionCodeFile(fn) });
  return codes;
}

/** AppSync's default (and maximum) number of resolver invocations in one request. */
export const DEFAULT_RESOLVER_COUNT_LIMIT = 10_000;

interface ExecutionContext {
  requestAuthorizationMode: AuthenticationType;
  auth: RequestAuth;
  /** Read by the simulator's auth directive for cognito_groups. */
  jwt?: Record<string, unknown>;
  resolverCount: number;
  meta: RequestMeta;
  appsyncErrors: unknown[];
  fields: string[];
  dataSourceCalls: number;
}

export type { PublishListener } from './engineSchemaSimulator.ts';

const NULL_FOR_NON_NULL = /^Cannot return null for non-nullable field/;
/** Executions of more field selections take a turn of the event loop of their own (a thousand take a few milliseconds). */
const HEAVY_EXECUTION_FIELDS = 1_000;
/** Resolvers a request starts without waiting for a turn of the event loop. */
const RESOLVERS_AT_ONCE = 8;
/** Root fields executed in one turn, for operations of thousands (rootFieldPieces.ts). */
const ROOT_FIELDS_PER_PIECE = 500;
/** Bodies up to this size are read on the event loop (well under a millisecond); larger ones in the document-check worker. */
const BODY_READ_ON_EVENT_LOOP = 64 * 1024;

export class LocalGraphqlApi {
  readonly model: AppSyncApiModel;
  readonly schema: GraphQLSchema;
  private readonly engineSchema: EngineSchema;
  private readonly resolvers = new Map<string, Resolver>();
  /** Each code loaded once (a pipeline function is named by many resolvers); kept for the next reload. */
  readonly codes: LoadedCodes;
  private readonly options: LocalGraphqlApiOptions;
  readonly limits: ServerLimits;
  private readonly checker: DocumentChecker;
  private readonly documents: ValidatedDocuments;

  constructor(model: AppSyncApiModel, options: LocalGraphqlApiOptions) {
    this.model = model;
    this.options = options;
    this.limits = serverLimits(options.limits);
    this.checker = options.checker ?? startDocumentChecker(model, options.limits);
    this.documents = new ValidatedDocuments(this.checker);
    this.codes = options.codes ?? new LoadedCodes();
    for (const definition of model.resolvers) {
      this.resolvers.set(`${definition.typeName}.${definition.fieldName}`, this.engineResolver(definition));
    }
    this.engineSchema = new EngineSchema(model, (typeName, fieldName, source, args, context, info) =>
      this.resolveField(typeName, fieldName, source, args, context, info),
    );
    this.schema = this.engineSchema.schema;
    acceptSchemaAsAppSync(this.schema, model.name);
    if (model.lambdaAuthorizer) refuseDeniedFields(this.schema, model.arn);
  }

  /** Calls `listener` with the raw result of every mutation bound to `subscriptionField` by @aws_subscribe. */
  onPublish(subscriptionField: string, listener: PublishListener): () => void {
    return this.engineSchema.onPublish(subscriptionField, listener);
  }

  /** Stop the document-check worker (a server that stops, or replaces this API after a reload). */
  async close(): Promise<void> {
    await this.checker.close();
  }

  /**
   * Parse a request body, on the event loop when it is small and in the document-check worker when it is not,
   * with its variables counted (more than the limit are refused before they are copied back). Bytes of a large
   * body are handed to the worker as they are: megabyte strings made on the event loop cost it garbage
   * collections of tens of milliseconds.
   */
  readBody(raw: string | Uint8Array): Promise<RequestBodyRead> {
    if (raw.length > BODY_READ_ON_EVENT_LOOP) return this.checker.readBody(raw);
    return Promise.resolve(
      readRequestBody(
        typeof raw === 'string' ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('utf8'),
        this.limits.variableValues,
      ),
    );
  }

  /** Execute a query or mutation as AppSync would, and answer with AppSync's response body. */
  async execute(body: GraphQLRequestBody, auth: RequestAuth, meta: RequestMeta): Promise<GraphQLResponse> {
    const started = performance.now();
    const prepared = await this.prepare(body);
    if ('errors' in prepared) {
      return prepared;
    }
    const { document, operation, variables, operationName } = prepared;
    if (operation.operation === 'subscription') {
      return {
        data: null,
        errors: [
          {
            message: 'Subscriptions are served on the real-time endpoint (/graphql/realtime), not over HTTP.',
            errorType: 'UnsupportedOperation',
          },
        ],
      };
    }
    const context = newExecutionContext(auth, meta);
    // graphql-js runs the fields of a selection set in one go: a selection of thousands waits for a turn of its own, so
    // other clients' requests go between two such blocks (a light request runs at once).
    if (prepared.fields > HEAVY_EXECUTION_FIELDS) await eventLoopTurns.next(context);
    const execution = executeInPieces(
      { schema: this.schema, document, operation, contextValue: context, variableValues: variables, operationName },
      ROOT_FIELDS_PER_PIECE,
      () => eventLoopTurns.next(context),
    );
    const result = await withinExecutionTime(execution, this.limits.executionTimeoutMs);
    const log = (errors: number) =>
      this.options.onRequest?.({
        operation: `${operation.operation} ${operation.name?.value ?? operationFieldNames(operation).join(',')}`,
        fields: context.fields,
        dataSourceCalls: context.dataSourceCalls,
        durationMs: performance.now() - started,
        errors,
      });
    if (result === EXECUTION_TIMED_OUT) {
      const timedOut = executionTimedOut(this.schema, document, operation);
      log(timedOut.errors.length);
      return timedOut;
    }
    if (!('data' in result)) {
      // No execution at all: the variables do not fit their types (graphql-js answers without `data`).
      return {
        data: null,
        errors: (result.errors ?? []).map((error) => ({ ...toAppSyncGraphQLError(error), errorType: 'ValidationError', path: null })),
      };
    }
    const response = this.toAppSyncResponse(result, context);
    log(response.errors?.length ?? 0);
    return response;
  }

  /** Parse and validate a request: a GraphQL error list (never an exception) when it is malformed. */
  async prepare(body: GraphQLRequestBody): Promise<
    | {
        document: DocumentNode;
        fields: number;
        operation: OperationDefinitionNode;
        variables: Record<string, unknown>;
        operationName: string | undefined;
      }
    | { data: null; errors: { message: string; errorType: string; locations?: unknown; path: null }[] }
  > {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      return malformed('The request body must be a JSON object with a query.');
    }
    if (typeof body.query !== 'string' || body.query.trim() === '') {
      return malformed('The request has no query: send {"query": "...", "variables": {...}}.');
    }
    if (body.variables !== undefined && body.variables !== null && (typeof body.variables !== 'object' || Array.isArray(body.variables))) {
      return malformed('variables must be a JSON object.');
    }
    if (jsonValueCount(body.variables ?? undefined, this.limits.variableValues) > this.limits.variableValues) {
      return { data: null, errors: [tooManyVariableValues(this.limits.variableValues)] };
    }
    const operationName = typeof body.operationName === 'string' ? body.operationName : undefined;
    const parsed = await this.documents.get(body.query);
    if ('errors' in parsed) {
      return { data: null, errors: parsed.errors };
    }
    const { document, fields } = parsed;
    const operation = getOperationAST(document, operationName);
    if (!operation) {
      return malformed(
        operationName
          ? `No operation named ${operationName} in the document.`
          : 'The document holds several operations: name one with operationName.',
      );
    }
    const depthLimit = this.options.limits?.queryDepthLimit ?? 0;
    if (depthLimit > 0) {
      const depth = selectionDepth(operation.selectionSet, document);
      if (depth > depthLimit) {
        return {
          data: null,
          errors: [
            {
              message: `Query depth limit of ${depthLimit} exceeded: the operation nests ${depth} levels.`,
              errorType: 'QueryDepthLimitExceeded',
              path: null,
            },
          ],
        };
      }
    }
    const variables = (body.variables ?? {}) as Record<string, unknown>;
    const variableErrors = variableErrorsOf(this.schema, operation, variables);
    if (variableErrors.length > 0) {
      return {
        data: null,
        errors: variableErrors.map((message) => ({ message: `Validation error: ${message}`, errorType: 'ValidationError', path: null })),
      };
    }
    return { document, fields, operation, variables, operationName };
  }

  /** Whether `auth` may use the root field `fieldName` of `typeName` (directives, else the default mode). */
  isAllowed(typeName: string, fieldName: string, auth: RequestAuth): boolean {
    const type = this.schema.getType(typeName);
    if (!type || !isObjectType(type)) return false;
    const field = type.getFields()[fieldName];
    return (
      field !== undefined &&
      allowedModes(field, type, this.model.defaultAuthentication).includes(auth.mode) &&
      this.isAllowedByIamPolicy(typeName, fieldName, auth) &&
      !isDeniedField(auth, this.model.arn, typeName, fieldName)
    );
  }

  /** The auth modes a root field accepts: its directives, else its type's, else the API's default mode. */
  modesOf(typeName: string, fieldName: string): AuthenticationType[] {
    const type = this.schema.getType(typeName);
    const field = isObjectType(type) ? type.getFields()[fieldName] : undefined;
    return field && isObjectType(type) ? allowedModes(field, type, this.model.defaultAuthentication) : [];
  }

  /** IAM callers are authorized per root field: the role must allow `appsync:GraphQL` on the field's ARN. */
  private isAllowedByIamPolicy(typeName: string, fieldName: string, auth: RequestAuth): boolean {
    return (
      auth.mode !== 'AWS_IAM' || isAllowedByRole(auth.iamRole, 'appsync:GraphQL', appSyncFieldArn(this.model.arn, typeName, fieldName))
    );
  }

  /** Run a subscription selection over one published payload, as the subscriber asked for it. */
  async renderSubscriptionPayload(
    document: DocumentNode,
    variables: Record<string, unknown>,
    payload: Record<string, unknown>,
    auth: RequestAuth,
    meta: RequestMeta,
  ): Promise<GraphQLResponse> {
    const context = newExecutionContext(auth, meta);
    const result = await execute({ schema: this.schema, document, rootValue: payload, contextValue: context, variableValues: variables });
    return this.toAppSyncResponse(result, context);
  }

  /** The engine resolver of a subscription field, when the template gives it one (enhanced filters). */
  resolverOf(typeName: string, fieldName: string): Resolver | undefined {
    return this.resolvers.get(`${typeName}.${fieldName}`);
  }

  private engineResolver(definition: AppSyncApiModel['resolvers'][number]): Resolver {
    const field = `${definition.typeName}.${definition.fieldName}`;
    if (definition.kind === 'PIPELINE') {
      return createResolver(
        {
          kind: 'PIPELINE',
          typeName: definition.typeName,
          fieldName: definition.fieldName,
          ...(definition.code === undefined ? {} : { code: this.codes.load(definition.code, resolverCodeFile(definition)) }),
          functions: definition.functionIds.map((id) => {
            const fn = this.model.functions[id];
            if (!fn) throw new Error(`Resolver ${field} names pipeline function ${id}, which the template does not define.`);
            return { name: fn.name, dataSource: fn.dataSourceName, code: this.codes.load(fn.code, functionCodeFile(fn)) };
          }),
        },
        this.options.dataSources,
      );
    }
    return createResolver(
      {
        kind: 'UNIT',
        typeName: definition.typeName,
        fieldName: definition.fieldName,
        dataSource: definition.dataSourceName ?? 'NONE',
        code: this.codes.load(definition.code!, resolverCodeFile(definition)),
      },
      this.options.dataSources,
    );
  }

  private async resolveField(
    typeName: string,
    fieldName: string,
    source: unknown,
    args: Record<string, unknown>,
    context: ExecutionContext,
    info: GraphQLResolveInfo,
  ): Promise<unknown> {
    const resolver = this.resolvers.get(`${typeName}.${fieldName}`);
    if (!resolver) {
      throw new Error(`No resolver for ${typeName}.${fieldName}`);
    }
    const locations = info.fieldNodes
      .map((node) => node.loc)
      .filter((loc) => loc !== undefined)
      .map((loc) => ({ line: loc.startToken.line, column: loc.startToken.column }));
    const refuse = (errorType: string, message: string) => {
      context.appsyncErrors.push({
        message,
        errorType,
        data: null,
        errorInfo: null,
        path: responsePath(info),
        locations: locations.map(withSourceName),
      });
      return null;
    };
    if (info.path.prev === undefined && !this.isAllowedByIamPolicy(typeName, fieldName, context.auth)) {
      return refuse('Unauthorized', `Not Authorized to access ${fieldName} on type ${typeName}`);
    }
    context.resolverCount += 1;
    const resolverCountLimit = this.options.limits?.resolverCountLimit || DEFAULT_RESOLVER_COUNT_LIMIT;
    if (context.resolverCount > resolverCountLimit) {
      return refuse(
        'ResolverCountLimitExceeded',
        `Resolver count limit of ${resolverCountLimit} exceeded: the request invokes more resolvers.`,
      );
    }
    context.fields.push(`${typeName}.${fieldName}`);
    // Past its first few resolvers, a request starts each in a turn of its own: 1 000 resolver fields are 1 000 short
    // turns, not one long block. The first few go at once: a command's one or two resolvers lose no turn (10% of a load run's throughput).
    if (context.resolverCount > RESOLVERS_AT_ONCE) await eventLoopTurns.next(context);
    const selection = selectionInfoOf(info.fieldNodes[0]?.selectionSet);
    const result = await resolver.resolve({
      arguments: args,
      source: source ?? null,
      identity: context.auth.identity,
      request: { headers: context.meta.headers, domainName: context.meta.domainName },
      info: {
        variables: info.variableValues,
        selectionSetList: selection.selectionSetList,
        selectionSetGraphQL: selection.selectionSetGraphQL,
      },
      env: this.model.environment,
      path: responsePath(info),
      locations,
    });
    context.dataSourceCalls += (result as { dataSourceCalls?: number }).dataSourceCalls ?? 0;
    // The resolver's own errors go first and keep their AppSync shape; graphql-js must not add its own.
    context.appsyncErrors.push(...result.errors);
    return result.data ?? null;
  }

  private toAppSyncResponse(
    result: { data?: Record<string, unknown> | null; errors?: readonly GraphQLError[] },
    context: ExecutionContext,
  ): GraphQLResponse {
    const resolverErrors = context.appsyncErrors as AppSyncGraphQLError[];
    const graphqlErrors = (result.errors ?? [])
      // AppSync reports the resolver's error alone; graphql-js adds "Cannot return null" for the same field.
      .filter((error) => !(resolverErrors.length > 0 && NULL_FOR_NON_NULL.test(error.message)))
      .map((error) => toAppSyncGraphQLError(error));
    const errors = [...resolverErrors, ...graphqlErrors];
    return errors.length > 0 ? { data: result.data ?? null, errors } : { data: result.data ?? null };
  }
}

/** A request's execution context before any field runs: its caller, and nothing counted yet. */
function newExecutionContext(auth: RequestAuth, meta: RequestMeta): ExecutionContext {
  return {
    requestAuthorizationMode: auth.mode,
    auth,
    jwt: auth.jwt,
    meta,
    appsyncErrors: [],
    fields: [],
    dataSourceCalls: 0,
    resolverCount: 0,
  };
}
