/**
 * `ctx.identity` as AppSync builds it for each authorization mode (AWS "Resolver context object
 * reference", Identity section). API_KEY callers have no identity: `ctx.identity` is null.
 */
export type Caller =
  | { authMode: 'API_KEY' }
  | {
      authMode: 'AWS_IAM';
      accountId: string;
      userArn: string;
      username: string;
      sourceIp?: string[];
      cognitoIdentityPoolId?: string | null;
      cognitoIdentityId?: string | null;
      cognitoIdentityAuthType?: string | null;
      cognitoIdentityAuthProvider?: string | null;
    }
  | {
      authMode: 'AMAZON_COGNITO_USER_POOLS';
      sub: string;
      issuer: string;
      username: string;
      claims?: Record<string, unknown>;
      sourceIp?: string[];
      defaultAuthStrategy?: 'ALLOW' | 'DENY';
      groups?: string[] | null;
    }
  | { authMode: 'OPENID_CONNECT'; sub: string; issuer: string; claims?: Record<string, unknown> }
  | { authMode: 'AWS_LAMBDA'; resolverContext?: Record<string, unknown> };

export type AuthMode = Caller['authMode'];

/**
 * Build `ctx.identity` for a caller.
 *
 * @example
 * identityOf({ authMode: 'API_KEY' }); // null
 * identityOf({ authMode: 'AWS_IAM', accountId: '123456789012', userArn: 'arn:aws:sts::123456789012:assumed-role/bus/x', username: 'AROA:x' });
 * // { accountId, cognitoIdentityAuthProvider: null, ..., sourceIp: [], userArn, username }
 */
export function identityOf(caller: Caller): Record<string, unknown> | null {
  switch (caller.authMode) {
    case 'API_KEY':
      return null;
    case 'AWS_IAM':
      return {
        accountId: caller.accountId,
        cognitoIdentityAuthProvider: caller.cognitoIdentityAuthProvider ?? null,
        cognitoIdentityAuthType: caller.cognitoIdentityAuthType ?? null,
        cognitoIdentityId: caller.cognitoIdentityId ?? null,
        cognitoIdentityPoolId: caller.cognitoIdentityPoolId ?? null,
        sourceIp: caller.sourceIp ?? [],
        userArn: caller.userArn,
        username: caller.username,
      };
    case 'AMAZON_COGNITO_USER_POOLS': {
      const claims = caller.claims ?? { sub: caller.sub, iss: caller.issuer, 'cognito:username': caller.username };
      const groups = caller.groups ?? (Array.isArray(claims['cognito:groups']) ? (claims['cognito:groups'] as string[]) : null);
      return {
        sub: caller.sub,
        issuer: caller.issuer,
        username: caller.username,
        claims,
        sourceIp: caller.sourceIp ?? [],
        defaultAuthStrategy: caller.defaultAuthStrategy ?? 'ALLOW',
        groups,
      };
    }
    case 'OPENID_CONNECT':
      return { sub: caller.sub, issuer: caller.issuer, claims: caller.claims ?? { sub: caller.sub, iss: caller.issuer } };
    case 'AWS_LAMBDA':
      return { resolverContext: caller.resolverContext ?? {} };
    default: {
      const never: never = caller;
      throw new Error(`Unknown auth mode ${JSON.stringify(never)}`);
    }
  }
}
