/**
 * AWS_LAMBDA authorization as AppSync runs it ("AWS_LAMBDA authorization",
 * https://docs.aws.amazon.com/appsync/latest/devguide/security-authz.html#aws-lambda-authorization):
 *
 * - the `Authorization` header is the token; with an `IdentityValidationExpression`, a token that does not match
 *   it is refused without calling the function;
 * - the function gets `{ authorizationToken, requestContext: { apiId, accountId, requestId, queryString,
 *   operationName, variables }, requestHeaders }` and answers `{ isAuthorized, resolverContext, deniedFields,
 *   ttlOverride }` (authorizerResponse.ts); its answer is kept per token (authorizerResultCache.ts);
 * - it must answer within 10 s ("Lambda authorizers have a timeout of 10 seconds", same page);
 * - not authorized, an error, a timeout or an answer AppSync cannot read: 401 `UnauthorizedException`,
 *   "You are not authorized to make this call." (the answer to `isAuthorized: false`, aws-amplify/amplify-js#9513 and
 *   aws/aws-appsync-community#372;
 *   AWS records no other for the failures, so they are answered the same and the dev log says why);
 * - the function's resource policy must let appsync.amazonaws.com invoke it; without one AppSync answers every
 *   request `{"errors":[{"errorType":"BadRequestException"}]}` and never calls it (aws/aws-cdk#19239).
 */
import { randomUUID } from 'node:crypto';
import type { LambdaAuthorizerModel } from '../../template/lambdaAuthorizerConfig.ts';
import { AuthorizerResultCache } from './authorizerResultCache.ts';
import { checkAuthorizerResponse, type AuthorizerDecision } from './authorizerResponse.ts';

/** The GraphQL operation a token is presented with (`requestContext`). */
export interface AuthorizedOperation {
  queryString: string;
  operationName?: string;
  variables: Record<string, unknown>;
}

export interface AuthorizerRequest {
  token: string;
  /** The operation, read when the function is called (a cached answer needs none). */
  operation: () => Promise<AuthorizedOperation>;
  /** The request's headers, as the function's `requestHeaders`. */
  headers: Record<string, string>;
}

export type AuthorizerOutcome =
  | { ok: true; resolverContext: Record<string, unknown>; deniedFields: ReadonlySet<string> }
  | { ok: false; status: number; errorType: string; message: string };

/** What invoking the function answered: its payload, or its error as Lambda's Invoke API reports it. */
export type AuthorizerInvoke = (
  functionArn: string,
  event: unknown,
) => Promise<{ payload: unknown; functionError?: { errorType: string; errorMessage: string } }>;

export interface LambdaAuthorizerOptions {
  apiId: string;
  accountId: string;
  /** Invokes the function (RequestResponse). */
  invoke: AuthorizerInvoke;
  /** AppSync's 10 s; tests shrink it. */
  timeoutMs: number;
  /** Why a token was refused, for the dev log. */
  onEvent?: (line: string) => void;
  now?: () => number;
}

const NOT_AUTHORIZED = 'You are not authorized to make this call.';
const TIMED_OUT = Symbol('timed out');

type Cached = Pick<AuthorizerDecision, 'isAuthorized' | 'resolverContext'> & { deniedFields: ReadonlySet<string> };

/**
 * @example
 * const authorizer = new LambdaAuthorizer(apiModel.lambdaAuthorizer!, { apiId, accountId, timeoutMs: 10_000,
 *   invoke: (arn, event) => lambda.invoke({ functionName: arn, payload: event }) });
 * const outcome = await authorizer.authorize({ token, headers, operation: async () => ({ queryString, variables: {} }) });
 */
export class LambdaAuthorizer {
  private readonly cache: AuthorizerResultCache<Cached>;
  private readonly pattern: RegExp | undefined;

  constructor(
    readonly model: LambdaAuthorizerModel,
    private readonly options: LambdaAuthorizerOptions,
  ) {
    this.cache = new AuthorizerResultCache(options.now);
    const expression = model.identityValidationExpression;
    try {
      // The whole token must match, as API Gateway's identity validation expression does.
      this.pattern = expression === undefined ? undefined : new RegExp(`^(?:${expression})$`, 'u');
    } catch (error) {
      throw new Error(
        `The Lambda authorizer's IdentityValidationExpression ${JSON.stringify(expression)} is not a regular expression: ${(error as Error).message}`,
      );
    }
  }

  /** Decide a token: the function's answer (or a kept one), or AppSync's refusal. */
  async authorize(request: AuthorizerRequest): Promise<AuthorizerOutcome> {
    if (!this.model.invokePermitted) {
      this.log(
        `not called: no AWS::Lambda::Permission lets appsync.amazonaws.com invoke ${this.model.functionArn}; AppSync answers every request BadRequestException`,
      );
      return {
        ok: false,
        status: 400,
        errorType: 'BadRequestException',
        message: `AppSync may not invoke the Lambda authorizer ${this.model.functionArn}: give the function a resource policy for appsync.amazonaws.com (lambda:InvokeFunction), as CDK's GraphqlApi adds and \`aws lambda add-permission\` does.`,
      };
    }
    if (this.pattern && !this.pattern.test(request.token)) {
      this.log(`token refused without calling the function: it does not match IdentityValidationExpression ${this.pattern.source}`);
      return refused();
    }
    const decision = this.cache.get(request.token) ?? (await this.decide(request));
    if (!decision?.isAuthorized) return refused();
    return { ok: true, resolverContext: decision.resolverContext, deniedFields: decision.deniedFields };
  }

  private async decide(request: AuthorizerRequest): Promise<Cached | undefined> {
    const operation = await request.operation();
    const event = {
      authorizationToken: request.token,
      requestContext: {
        apiId: this.options.apiId,
        accountId: this.options.accountId,
        requestId: randomUUID(),
        queryString: operation.queryString,
        ...(operation.operationName === undefined ? {} : { operationName: operation.operationName }),
        variables: operation.variables,
      },
      requestHeaders: request.headers,
    };
    let timer: NodeJS.Timeout | undefined;
    const answer = await Promise.race([
      // A failed Invoke call (a function the runtime does not run) refuses the token as a function error does.
      this.options.invoke(this.model.functionArn, event).catch((error: Error & { code?: string }) => ({
        payload: null,
        functionError: { errorType: error.code ?? error.name, errorMessage: error.message },
      })),
      new Promise<typeof TIMED_OUT>((resolve) => {
        timer = setTimeout(() => resolve(TIMED_OUT), this.options.timeoutMs);
      }),
    ]).finally(() => clearTimeout(timer));
    if (answer === TIMED_OUT) {
      this.log(`refused: the function did not answer within ${this.options.timeoutMs / 1000} s (AppSync's limit for authorizers)`);
      return undefined;
    }
    if (answer.functionError) {
      this.log(`refused: the function failed: ${answer.functionError.errorType}: ${answer.functionError.errorMessage}`);
      return undefined;
    }
    const checked = checkAuthorizerResponse(answer.payload);
    if (!checked.ok) {
      this.log(`refused: ${checked.problem}`);
      return undefined;
    }
    const { isAuthorized, resolverContext, deniedFields, ttlOverride } = checked.decision;
    const decision: Cached = { isAuthorized, resolverContext, deniedFields: new Set(deniedFields) };
    this.cache.put(request.token, decision, ttlOverride ?? this.model.resultTtlSeconds);
    if (!isAuthorized) this.log('refused: the function answered isAuthorized: false');
    return decision;
  }

  private log(line: string): void {
    this.options.onEvent?.(`lambda authorizer ${functionName(this.model.functionArn)}: ${line}`);
  }
}

function refused(): AuthorizerOutcome {
  return { ok: false, status: 401, errorType: 'UnauthorizedException', message: NOT_AUTHORIZED };
}

function functionName(arn: string): string {
  return arn.split(':function:')[1] ?? arn;
}

/** The `requestContext` parts of a request body (`{ query, operationName, variables }`); what is missing is empty. */
export function authorizedOperationOf(body: unknown): AuthorizedOperation {
  const { query, operationName, variables } = (body !== null && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  return {
    queryString: typeof query === 'string' ? query : '',
    ...(typeof operationName === 'string' ? { operationName } : {}),
    variables:
      variables !== null && typeof variables === 'object' && !Array.isArray(variables) ? (variables as Record<string, unknown>) : {},
  };
}
