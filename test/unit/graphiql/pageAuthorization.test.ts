/**
 * The headers the GraphiQL page sends in each auth mode (local/graphiql/pageAuthorization.ts, browser code that
 * needs only `fetch`), in the shape AppSync's real-time guide gives per mode
 * (https://docs.aws.amazon.com/appsync/latest/devguide/real-time-websocket-client.html): `host` with `x-api-key`,
 * or with `Authorization` for OIDC and Lambda tokens. The modes that need the server (a user pool sign-in, an IAM
 * signature) run in test/e2e/graphiqlAuthModes.test.ts. Also: which mode the page opens in, and what it keeps.
 */
import { describe, expect, it } from 'vitest';
import type { PageAuthConfig } from '../../../local/graphiql/pageAuth.ts';
import { PageAuthorization } from '../../../local/graphiql/pageAuthorization.ts';

const HOST = 'localhost:20002';
const request = { path: '/graphql' as const, body: '{"query":"{ __typename }"}' };

function pageConfig(modes: PageAuthConfig['modes'], defaultMode = modes[0]!): PageAuthConfig {
  return {
    modes,
    defaultMode,
    roles: [
      { name: 'LoggingRole', callsApi: false },
      { name: 'StoreRole', callsApi: true },
    ],
    userTokenPath: '/_local/graphiql/user-token',
    signPath: '/_local/graphiql/sign',
  };
}

class MemoryStorage {
  readonly items = new Map<string, string>();
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
}

describe('the page in each mode sends', () => {
  const modes: PageAuthConfig['modes'] = ['API_KEY', 'AWS_LAMBDA', 'OPENID_CONNECT', 'AWS_IAM', 'AMAZON_COGNITO_USER_POOLS'];

  it('API_KEY: host and x-api-key', async () => {
    const authorization = new PageAuthorization(pageConfig(modes), { apiKey: 'da2-local', host: HOST });
    expect(await authorization.headersFor(request)).toEqual({ host: HOST, 'x-api-key': 'da2-local' });
  });

  it('AWS_LAMBDA and OPENID_CONNECT: host and the token typed as Authorization', async () => {
    const authorization = new PageAuthorization(pageConfig(modes), { apiKey: 'da2-local', host: HOST });
    authorization.choose({ mode: 'AWS_LAMBDA', lambdaToken: ' allow-ada ' });
    expect(await authorization.headersFor(request)).toEqual({ host: HOST, Authorization: 'allow-ada' });
    authorization.choose({ mode: 'OPENID_CONNECT', oidcToken: 'header.payload.signature' });
    expect(await authorization.headersFor({ path: '/graphql/connect', body: '{}' })).toEqual({
      host: HOST,
      Authorization: 'header.payload.signature',
    });
  });

  it('nothing when no token is typed: it says what to type', async () => {
    const authorization = new PageAuthorization(pageConfig(modes), { apiKey: 'da2-local', host: HOST });
    authorization.choose({ mode: 'AWS_LAMBDA' });
    await expect(authorization.headersFor(request)).rejects.toThrow('Type the token your Lambda authorizer expects');
    authorization.choose({ mode: 'OPENID_CONNECT' });
    await expect(authorization.headersFor(request)).rejects.toThrow("Type a JWT of the API's OpenID Connect provider");
  });
});

describe('the page opens', () => {
  it("in the server's opening mode, on the first role that may call the API", () => {
    const authorization = new PageAuthorization(pageConfig(['AWS_LAMBDA', 'AWS_IAM']), { apiKey: '', host: HOST });
    expect(authorization.choice).toMatchObject({ mode: 'AWS_LAMBDA', role: 'StoreRole' });
  });

  it('as the last window left it (mode, token, role), unless the API no longer has that mode or role', () => {
    const storage = new MemoryStorage();
    const first = new PageAuthorization(pageConfig(['API_KEY', 'AWS_LAMBDA', 'AWS_IAM']), { apiKey: 'k', host: HOST, storage });
    first.choose({ mode: 'AWS_LAMBDA', lambdaToken: 'allow-ada', role: 'LoggingRole' });
    const second = new PageAuthorization(pageConfig(['API_KEY', 'AWS_LAMBDA', 'AWS_IAM']), { apiKey: 'k', host: HOST, storage });
    expect(second.choice).toMatchObject({ mode: 'AWS_LAMBDA', lambdaToken: 'allow-ada', role: 'LoggingRole' });
    const otherApi = new PageAuthorization({ ...pageConfig(['API_KEY']), roles: [] }, { apiKey: 'k', host: HOST, storage });
    expect(otherApi.choice).toMatchObject({ mode: 'API_KEY', role: '' });
  });
});
