/**
 * How a request authenticates, decided as AppSync decides it: an `x-api-key`
 * header for API_KEY, a SigV4 `Authorization` header for AWS_IAM, a JWT for
 * Cognito user pools or OIDC. A request that proves none of the API's modes
 * is refused before anything runs.
 *
 * Local limits: the SigV4 signature and JWT signatures are not verified here
 * (no AWS credentials exist locally); the mode is read from their shape.
 */
import type { GraphQLField, GraphQLObjectType } from 'graphql';
import type { AuthenticationType } from '../template/cloudAssembly.ts';

export interface RequestAuth {
  mode: AuthenticationType;
  /** `ctx.identity` as the engine builds it for this mode (null for API_KEY). */
  identity: Record<string, unknown> | null;
  /** The decoded JWT for Cognito / OIDC, for group checks. */
  jwt?: Record<string, unknown>;
}

export interface ApiAuthConfig {
  modes: AuthenticationType[];
  apiKey: string | undefined;
  accountId: string;
}

export class UnauthorizedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnauthorizedException';
  }
}

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
    return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** The IAM principal a SigV4 header names: its access key id, as AppSync reports it in ctx.identity. */
function iamIdentity(authorization: string, accountId: string, roleArn?: string): Record<string, unknown> {
  const accessKey = /Credential=([^/,\s]+)/.exec(authorization)?.[1] ?? 'LOCALACCESSKEY';
  const userArn = roleArn ? assumedRoleArn(roleArn) : `arn:aws:iam::${accountId}:user/${accessKey}`;
  return {
    accountId,
    cognitoIdentityAuthProvider: null,
    cognitoIdentityAuthType: null,
    cognitoIdentityId: null,
    cognitoIdentityPoolId: null,
    sourceIp: [],
    userArn,
    username: accessKey,
  };
}

/** `arn:aws:iam::1:role/Name` → `arn:aws:sts::1:assumed-role/Name/local`, what AppSync shows for a role's calls. */
export function assumedRoleArn(roleArn: string): string {
  const match = /^arn:aws:iam::(\d+):role\/(?:.*\/)?([^/]+)$/.exec(roleArn);
  return match ? `arn:aws:sts::${match[1]}:assumed-role/${match[2]}/local` : roleArn;
}

/** Decide the auth mode of a request from its headers (HTTP headers, or the real-time `header` / `authorization` object). */
export function authenticate(headers: Record<string, string | string[] | undefined>, config: ApiAuthConfig): RequestAuth {
  const apiKey = header(headers, 'x-api-key');
  const authorization = header(headers, 'authorization');
  if (apiKey !== undefined && config.modes.includes('API_KEY')) {
    if (apiKey !== config.apiKey) throw new UnauthorizedError('You are not authorized to make this call.');
    return { mode: 'API_KEY', identity: null };
  }
  if (authorization) {
    if (authorization.startsWith('AWS4-HMAC-SHA256') && config.modes.includes('AWS_IAM')) {
      return { mode: 'AWS_IAM', identity: iamIdentity(authorization, config.accountId) };
    }
    const jwt = decodeJwt(authorization);
    if (jwt) {
      const issuer = String(jwt.iss ?? '');
      if (issuer.startsWith('https://cognito-idp.') && config.modes.includes('AMAZON_COGNITO_USER_POOLS')) {
        const groups = Array.isArray(jwt['cognito:groups']) ? (jwt['cognito:groups'] as string[]) : null;
        return {
          mode: 'AMAZON_COGNITO_USER_POOLS',
          jwt,
          identity: { sub: jwt.sub, issuer, username: jwt['cognito:username'] ?? jwt.username ?? jwt.sub, claims: jwt, sourceIp: [], defaultAuthStrategy: 'ALLOW', groups },
        };
      }
      if (config.modes.includes('OPENID_CONNECT')) {
        return { mode: 'OPENID_CONNECT', jwt, identity: { sub: jwt.sub, issuer, claims: jwt } };
      }
    }
  }
  throw new UnauthorizedError(
    apiKey === undefined && !authorization ? 'Missing authorization: send an x-api-key header (or sign the request).' : 'You are not authorized to make this call.',
  );
}

/** An in-process call made as an IAM role (the local bus calling an AppSync target). */
export function roleAuth(roleArn: string, accountId: string): RequestAuth {
  return { mode: 'AWS_IAM', identity: iamIdentity(`AWS4-HMAC-SHA256 Credential=AROALOCAL/local`, accountId, roleArn) };
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
export function allowedModes(field: GraphQLField<unknown, unknown>, parent: GraphQLObjectType, defaultMode: AuthenticationType): AuthenticationType[] {
  const modesOf = (directives: readonly { name: { value: string } }[] | undefined) =>
    [...new Set((directives ?? []).map((directive) => DIRECTIVE_MODES[directive.name.value]).filter((mode): mode is AuthenticationType => mode !== undefined))];
  const own = modesOf(field.astNode?.directives);
  if (own.length > 0) return own;
  const inherited = modesOf(parent.astNode?.directives);
  return inherited.length > 0 ? inherited : [defaultMode];
}
