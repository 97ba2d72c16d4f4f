/**
 * How a request authenticates, decided as AppSync decides it: an `x-api-key`
 * header for API_KEY, a SigV4 `Authorization` header for AWS_IAM, a JWT for
 * Cognito user pools or OIDC. A request that proves none of the API's modes
 * is refused before anything runs, with AppSync's status and error.
 *
 * - API_KEY: the key must be the API's key (401 otherwise).
 * - AWS_IAM: the SigV4 signature is recomputed from the secret issued locally
 *   for the signing key's role (`local/auth/`); a verified caller becomes
 *   that role's assumed-role identity, and carries the role's statements so
 *   each root field is authorized against its ARN. Unsigned or wrongly signed
 *   requests never become IAM (403, AWS's wording).
 * - AMAZON_COGNITO_USER_POOLS: the JWT must be signed by the local user pool's
 *   key, name its issuer and be unexpired.
 * - OPENID_CONNECT: the token is decoded but its signature is not checked (no
 *   provider keys exist locally; this project does not use OIDC).
 * - AWS_LAMBDA: the token goes to the API's Lambda authorizer (lambdaAuthorizer/). With other modes on, a SigV4
 *   signature stays IAM's and a JWT (or a `Bearer` token) stays Cognito's or OIDC's: AppSync hands the authorizer
 *   neither ("Circumventing SigV4 and OIDC token authorization limitations", security-authz.html;
 *   aws-amplify/amplify-js#9513), any other token is the authorizer's.
 */
import type { GraphQLField, GraphQLObjectType } from 'graphql';
import type { LocalCredentials } from '../auth/localCredentials.ts';
import { isSigV4, verifySigV4 } from '../auth/sigv4.ts';
import type { LocalUserPool } from '../auth/userPoolTokens.ts';
import type { AuthenticationType, IamRoleModel } from '../template/cloudAssembly.ts';
import type { AuthorizedOperation, LambdaAuthorizer } from './lambdaAuthorizer/lambdaAuthorizer.ts';

export interface RequestAuth {
  mode: AuthenticationType;
  /** `ctx.identity` as the engine builds it for this mode (null for API_KEY). */
  identity: Record<string, unknown> | null;
  /** The decoded JWT for Cognito / OIDC, for group checks. */
  jwt?: Record<string, unknown>;
  /** For AWS_IAM: the role the caller acts as; its statements decide each root field. */
  iamRole?: IamRoleModel;
  /** For AWS_LAMBDA: the authorizer's `deniedFields` (`Type.field` or field ARNs), each answered null and Unauthorized. */
  deniedFields?: ReadonlySet<string>;
}

export interface ApiAuthConfig {
  modes: AuthenticationType[];
  apiKey: string | undefined;
  accountId: string;
  /** The API's region: SigV4 signatures must be scoped to it. Default us-east-1. */
  region?: string;
  /** Credentials issued per template role; without them no request authenticates as IAM. */
  credentials?: LocalCredentials;
  /** The template's roles by ARN, for the per-field policy check of IAM callers. */
  roles?: Record<string, IamRoleModel>;
  /** The local user pool, when the API has AMAZON_COGNITO_USER_POOLS. */
  userPool?: LocalUserPool;
  /** The API's Lambda authorizer, when it has AWS_LAMBDA. */
  lambdaAuthorizer?: LambdaAuthorizer;
}

/** What SigV4 signs besides headers: the request line and body. */
export interface RequestParts {
  method: string;
  path: string;
  query?: Record<string, string | string[]>;
  /** Bytes as received (a large request body is not turned into a string on the event loop), or text. */
  body: string | Uint8Array;
  /** The GraphQL operation of the request, for a Lambda authorizer's `requestContext` (read only when it is called). */
  operation?: () => Promise<AuthorizedOperation>;
}

/** A refused request: AppSync's HTTP status and error type with it. */
export class UnauthorizedError extends Error {
  readonly status: number;
  readonly errorType: string;

  constructor(message: string, options: { status?: number; errorType?: string } = {}) {
    super(message);
    this.name = 'UnauthorizedException';
    this.status = options.status ?? 401;
    this.errorType = options.errorType ?? 'UnauthorizedException';
  }
}

const NOT_AUTHORIZED = 'You are not authorized to make this call.';
const NO_AUTHORIZATION = 'Valid authorization header not provided.';

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted) return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}

function decodeJwt(token: string): Record<string, unknown> | undefined {
  const [, payload] = token.replace(/^Bearer\s+/i, '').split('.');
  if (!payload) return undefined;
  try {
    const decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown;
    return decoded !== null && typeof decoded === 'object' ? (decoded as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** `ctx.identity` of a caller acting as `roleArn`, as AppSync reports an assumed role. */
function iamIdentity(roleArn: string, accountId: string, roleId = 'AROALOCAL'): Record<string, unknown> {
  return {
    accountId,
    cognitoIdentityAuthProvider: null,
    cognitoIdentityAuthType: null,
    cognitoIdentityId: null,
    cognitoIdentityPoolId: null,
    sourceIp: [],
    userArn: assumedRoleArn(roleArn),
    username: `${roleId}:local`,
  };
}

/** `arn:aws:iam::1:role/Name` → `arn:aws:sts::1:assumed-role/Name/local`, what AppSync shows for a role's calls. */
export function assumedRoleArn(roleArn: string): string {
  const match = /^arn:aws:iam::(\d+):role\/(?:.*\/)?([^/]+)$/.exec(roleArn);
  return match ? `arn:aws:sts::${match[1]}:assumed-role/${match[2]}/local` : roleArn;
}

/**
 * Decide the auth mode of a request from its headers (HTTP headers, or the real-time `header` /
 * `authorization` object) and, for SigV4, the request it signed. Throws UnauthorizedError.
 */
export async function authenticate(
  headers: Record<string, string | string[] | undefined>,
  config: ApiAuthConfig,
  request?: RequestParts,
): Promise<RequestAuth> {
  const apiKey = header(headers, 'x-api-key');
  const authorization = header(headers, 'authorization');
  if (apiKey !== undefined && config.modes.includes('API_KEY')) {
    if (apiKey !== config.apiKey) throw new UnauthorizedError(NOT_AUTHORIZED);
    return { mode: 'API_KEY', identity: null };
  }
  if (!authorization) throw new UnauthorizedError(apiKey === undefined ? NO_AUTHORIZATION : NOT_AUTHORIZED);

  const lambda = config.modes.includes('AWS_LAMBDA') ? config.lambdaAuthorizer : undefined;
  if (isSigV4(authorization) && (config.modes.includes('AWS_IAM') || !lambda)) {
    if (!config.modes.includes('AWS_IAM')) throw new UnauthorizedError(NOT_AUTHORIZED);
    if (!config.credentials || !request) {
      throw new UnauthorizedError('The security token included in the request is invalid.', {
        status: 403,
        errorType: 'UnrecognizedClientException',
      });
    }
    const verified = await verifySigV4({ ...request, headers }, { credentials: config.credentials, region: config.region ?? 'us-east-1' });
    if (!verified.ok) throw new UnauthorizedError(verified.message, { status: verified.status, errorType: verified.errorType });
    const { roleArn, roleId } = verified.credentials;
    return { mode: 'AWS_IAM', identity: iamIdentity(roleArn, config.accountId, roleId), iamRole: config.roles?.[roleArn] };
  }

  const jwtModes = config.modes.includes('AMAZON_COGNITO_USER_POOLS') || config.modes.includes('OPENID_CONNECT');
  if (lambda && !(jwtModes && isJwtShaped(authorization))) return authorizeWithLambda(lambda, authorization, headers, request);

  if (config.modes.includes('AMAZON_COGNITO_USER_POOLS') && config.userPool) {
    const verified = config.userPool.verify(authorization);
    if (verified.ok) {
      const jwt = verified.claims;
      const groups = Array.isArray(jwt['cognito:groups']) ? (jwt['cognito:groups'] as string[]) : null;
      return {
        mode: 'AMAZON_COGNITO_USER_POOLS',
        jwt,
        identity: {
          sub: jwt.sub,
          issuer: jwt.iss,
          username: jwt['cognito:username'] ?? jwt.username ?? jwt.sub,
          claims: jwt,
          sourceIp: [],
          defaultAuthStrategy: 'ALLOW',
          groups,
        },
      };
    }
    if (!config.modes.includes('OPENID_CONNECT')) throw new UnauthorizedError(verified.message);
  }
  if (config.modes.includes('OPENID_CONNECT')) {
    const jwt = decodeJwt(authorization);
    if (jwt) return { mode: 'OPENID_CONNECT', jwt, identity: { sub: jwt.sub, issuer: jwt.iss, claims: jwt } };
    throw new UnauthorizedError('Unable to parse JWT token.');
  }
  throw new UnauthorizedError(NOT_AUTHORIZED);
}

/** A token a JWT mode takes for itself: a `Bearer` token, or three dot-separated parts with a JSON payload. */
function isJwtShaped(token: string): boolean {
  return /^Bearer\s/i.test(token) || (token.split('.').length === 3 && decodeJwt(token) !== undefined);
}

async function authorizeWithLambda(
  authorizer: LambdaAuthorizer,
  token: string,
  headers: Record<string, string | string[] | undefined>,
  request: RequestParts | undefined,
): Promise<RequestAuth> {
  const outcome = await authorizer.authorize({
    token,
    headers: Object.fromEntries(
      Object.entries(headers)
        .filter(([, value]) => value !== undefined)
        .map(([key, value]) => [key, Array.isArray(value) ? value.join(',') : String(value)]),
    ),
    operation: request?.operation ?? (() => Promise.resolve({ queryString: '', variables: {} })),
  });
  if (!outcome.ok) throw new UnauthorizedError(outcome.message, { status: outcome.status, errorType: outcome.errorType });
  return {
    mode: 'AWS_LAMBDA',
    identity: { resolverContext: outcome.resolverContext },
    ...(outcome.deniedFields.size > 0 ? { deniedFields: outcome.deniedFields } : {}),
  };
}

/**
 * An in-process call made as an IAM role (the local bus calling an AppSync target). The caller has
 * already checked the role's policy; passing the role lets the API check each field again.
 */
export function roleAuth(roleArn: string, accountId: string, role?: IamRoleModel): RequestAuth {
  return { mode: 'AWS_IAM', identity: iamIdentity(roleArn, accountId), ...(role ? { iamRole: role } : {}) };
}

const DIRECTIVE_MODES: Record<string, AuthenticationType> = {
  aws_api_key: 'API_KEY',
  aws_iam: 'AWS_IAM',
  aws_cognito_user_pools: 'AMAZON_COGNITO_USER_POOLS',
  aws_auth: 'AMAZON_COGNITO_USER_POOLS',
  aws_oidc: 'OPENID_CONNECT',
  aws_lambda: 'AWS_LAMBDA',
};

/** The modes a field allows: its own auth directives, else its type's, else the API's default mode. */
export function allowedModes(
  field: GraphQLField<unknown, unknown>,
  parent: GraphQLObjectType,
  defaultMode: AuthenticationType,
): AuthenticationType[] {
  const modesOf = (directives: readonly { name: { value: string } }[] | undefined) => [
    ...new Set(
      (directives ?? [])
        .map((directive) => DIRECTIVE_MODES[directive.name.value])
        .filter((mode): mode is AuthenticationType => mode !== undefined),
    ),
  ];
  const own = modesOf(field.astNode?.directives);
  if (own.length > 0) return own;
  const inherited = modesOf(parent.astNode?.directives);
  return inherited.length > 0 ? inherited : [defaultMode];
}
