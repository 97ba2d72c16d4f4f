/**
 * The GraphiQL page's local endpoints (local/graphiql/graphiqlAuthEndpoints.ts): a user pool token for a
 * username and groups, and SigV4 headers signed as a template role. What they hand out passes the server's own
 * checks (LocalUserPool.verify, verifySigV4 and authenticate). They answer as the console does: loopback
 * callers only, and besides, only this server's pages (Origin) with a JSON body, so no other site's page in the
 * developer's browser can get a token or a signature. Served by a real HTTP server on every interface, called
 * once through loopback and once through this machine's network address.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalCredentials } from '../../../local/auth/localCredentials.ts';
import { verifySigV4 } from '../../../local/auth/sigv4.ts';
import { LocalUserPool } from '../../../local/auth/userPoolTokens.ts';
import { GraphiqlAuthEndpoints } from '../../../local/graphiql/graphiqlAuthEndpoints.ts';
import { authenticate, type ApiAuthConfig } from '../../../local/server/authorization.ts';
import type { IamRoleModel } from '../../../local/template/cloudAssembly.ts';
import { networkAddress } from '../../helpers/networkAddress.ts';

const ROLE: IamRoleModel = {
  logicalId: 'CallerRole1234',
  arn: 'arn:aws:iam::123456789012:role/CallerRole',
  name: 'CallerRole',
  statements: [{ Effect: 'Allow', Action: 'appsync:GraphQL', Resource: '*' }],
};
const userPool = new LocalUserPool({ region: 'us-east-1', userPoolId: 'us-east-1_Graphiql' });
const credentials = new LocalCredentials([ROLE]);
let auth: ApiAuthConfig = {
  modes: ['API_KEY', 'AWS_IAM', 'AMAZON_COGNITO_USER_POOLS'],
  apiKey: 'da2-local',
  accountId: '123456789012',
  region: 'us-east-1',
  credentials,
  roles: { [ROLE.arn]: ROLE },
  userPool,
};
const endpoints = new GraphiqlAuthEndpoints(() => auth);
const server = http.createServer((request, response) => {
  void endpoints.serve(request, response).then((served) => {
    if (!served) response.writeHead(404).end();
  });
});
let port = 0;
const local = () => `127.0.0.1:${port}`;

async function postJson(path: string, body: unknown, options: { host?: string; headers?: Record<string, string> } = {}) {
  const response = await fetch(`http://${options.host ?? local()}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...options.headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('POST /_local/graphiql/user-token', () => {
  it('issues an ID token of the local user pool for the username and groups, which the pool verifies', async () => {
    const { status, body } = await postJson('/_local/graphiql/user-token', { username: 'alice', groups: ['staff', 'admins'] });
    expect(status).toBe(200);
    expect(body).toMatchObject({ username: 'alice', groups: ['staff', 'admins'] });
    const verified = userPool.verify(String(body.token));
    expect(verified.ok).toBe(true);
    expect(verified.ok && verified.claims).toMatchObject({
      'cognito:username': 'alice',
      'cognito:groups': ['staff', 'admins'],
      sub: body.sub,
    });
  });

  it('gives the same username the same sub, as a pool has one user per name', async () => {
    const first = await postJson('/_local/graphiql/user-token', { username: 'bob' });
    const again = await postJson('/_local/graphiql/user-token', { username: 'bob', groups: ['staff'] });
    const other = await postJson('/_local/graphiql/user-token', { username: 'carol' });
    expect(first.body.sub).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(again.body.sub).toBe(first.body.sub);
    expect(other.body.sub).not.toBe(first.body.sub);
  });

  it('refuses an empty username, groups that are not names, and an API without a user pool mode', async () => {
    expect((await postJson('/_local/graphiql/user-token', { username: ' ' })).status).toBe(400);
    expect((await postJson('/_local/graphiql/user-token', { username: 'a', groups: 'staff' })).status).toBe(400);
    const saved = auth;
    auth = { ...auth, modes: ['API_KEY'], userPool: undefined };
    try {
      const refused = await postJson('/_local/graphiql/user-token', { username: 'alice' });
      expect(refused).toMatchObject({
        status: 400,
        body: { errorType: 'BadRequest', message: expect.stringContaining('no AMAZON_COGNITO_USER_POOLS') },
      });
    } finally {
      auth = saved;
    }
  });
});

describe('POST /_local/graphiql/sign', () => {
  it('signs a GraphQL POST as the role, for the Host it was asked through: the server verifies it as that role', async () => {
    const body = JSON.stringify({ query: '{ __typename }', variables: {} });
    const { status, body: answer } = await postJson('/_local/graphiql/sign', { role: ROLE.logicalId, path: '/graphql', body });
    expect(status).toBe(200);
    const headers = answer.headers as Record<string, string>;
    expect(headers.host).toBe(local());
    const verified = await verifySigV4({ method: 'POST', path: '/graphql', headers, body }, { credentials, region: 'us-east-1' });
    expect(verified).toMatchObject({ ok: true, credentials: { roleArn: ROLE.arn } });
    expect(await authenticate(headers, auth, { method: 'POST', path: '/graphql', body })).toMatchObject({ mode: 'AWS_IAM' });
  });

  it('signs the real-time handshake (a POST of {} to /graphql/connect) with the headers AppSync lists for it', async () => {
    const { body: answer } = await postJson('/_local/graphiql/sign', { role: ROLE.logicalId, path: '/graphql/connect', body: '{}' });
    const headers = answer.headers as Record<string, string>;
    expect(headers).toMatchObject({ accept: 'application/json, text/javascript', 'content-encoding': 'amz-1.0', host: local() });
    expect(headers.authorization).toMatch(/SignedHeaders=accept;content-encoding;content-type;host;x-amz-date;x-amz-security-token,/);
    const verified = await verifySigV4(
      { method: 'POST', path: '/graphql/connect', headers, body: '{}' },
      { credentials, region: 'us-east-1' },
    );
    expect(verified.ok).toBe(true);
  });

  it('refuses a role the template lacks (naming its roles), another path, and an API without AWS_IAM', async () => {
    const unknown = await postJson('/_local/graphiql/sign', { role: 'NoSuchRole', path: '/graphql', body: '{}' });
    expect(unknown).toMatchObject({ status: 400, body: { message: expect.stringContaining(ROLE.logicalId) } });
    expect((await postJson('/_local/graphiql/sign', { role: ROLE.logicalId, path: '/states', body: '{}' })).status).toBe(400);
    const saved = auth;
    auth = { ...auth, modes: ['API_KEY'] };
    try {
      expect((await postJson('/_local/graphiql/sign', { role: ROLE.logicalId, path: '/graphql', body: '{}' })).status).toBe(400);
    } finally {
      auth = saved;
    }
  });
});

describe('who the endpoints answer', () => {
  it('no caller from the network: 403', async () => {
    for (const path of ['/_local/graphiql/user-token', '/_local/graphiql/sign']) {
      const refused = await postJson(path, { username: 'alice' }, { host: `${networkAddress()}:${port}` });
      expect(refused).toMatchObject({ status: 403, body: { errorType: 'AccessDenied' } });
    }
  });

  it("no other site's page: an Origin other than this server is 403, and a preflight gets 405 without CORS headers", async () => {
    const refused = await postJson('/_local/graphiql/user-token', { username: 'alice' }, { headers: { origin: 'https://example.com' } });
    expect(refused).toMatchObject({ status: 403, body: { errorType: 'AccessDenied' } });
    const allowed = await postJson('/_local/graphiql/user-token', { username: 'alice' }, { headers: { origin: `http://${local()}` } });
    expect(allowed.status).toBe(200);
    const preflight = await fetch(`http://${local()}/_local/graphiql/sign`, {
      method: 'OPTIONS',
      headers: { origin: 'https://example.com', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(405);
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('no Host but loopback names: a rebound name (evil.example pointed at 127.0.0.1) with its own Origin is 403', async () => {
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const call = http.request(
        {
          host: '127.0.0.1',
          port,
          path: '/_local/graphiql/sign',
          method: 'POST',
          headers: { host: `evil.example:${port}`, origin: `http://evil.example:${port}`, 'content-type': 'application/json' },
        },
        (response) => {
          let body = '';
          response.on('data', (chunk: Buffer) => (body += chunk.toString()));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
        },
      );
      call.on('error', reject);
      call.end(JSON.stringify({ role: ROLE.logicalId, path: '/graphql', body: '{}' }));
    });
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body)).toMatchObject({ errorType: 'AccessDenied' });
    const byName = await postJson('/_local/graphiql/user-token', { username: 'alice' }, { host: `localhost:${port}` });
    expect(byName.status).toBe(200);
  });

  it('no body but JSON (a form post needs no preflight): 415; no method but POST: 405', async () => {
    const form = await fetch(`http://${local()}/_local/graphiql/user-token`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ username: 'alice' }),
    });
    expect(form.status).toBe(415);
    expect((await fetch(`http://${local()}/_local/graphiql/user-token`)).status).toBe(405);
  });

  it('nothing outside /_local/graphiql/: other paths are left to the server (the console, GraphQL)', async () => {
    expect((await fetch(`http://${local()}/_local`)).status).toBe(404);
    expect((await fetch(`http://${local()}/_local/api/streams`)).status).toBe(404);
    expect((await postJson('/_local/graphiql/other', {})).status).toBe(404);
  });
});
