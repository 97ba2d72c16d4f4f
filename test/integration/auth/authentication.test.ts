/**
 * Auth as AppSync enforces it, on the local stack: API key, IAM (SigV4
 * verified against the credentials issued per template role, then each root
 * field checked against the role's policy) and Cognito user pools (JWTs
 * signed by the local pool), over HTTP and on the real-time endpoint.
 * One stack serves all three modes: the template with a user pool switched on.
 */
import { request as httpRequest } from 'node:http';
import { rmSync } from 'node:fs';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { generateKeyPairSync, sign } from 'node:crypto';
import { ulid } from 'ulid';
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import { AppSyncRealtimeClient } from '../../helpers/appSyncRealtimeClient.ts';
import { useLocalStack } from '../../helpers/localStack.ts';
import { realtimeConnectHeaders, signedHeaders, type SigningCredentials } from '../../fixtures/sigv4Client.ts';
import { LOCAL_USER_POOL_ID, withUserPool } from '../../fixtures/userPoolAssembly.ts';

const cdkOut = withUserPool(inject('cdkOut'));
// This app's template with a user pool switched on: still this app, so it starts with its stand-ins.
const local = useLocalStack({ cdkOut, servesThisApp: true });
afterAll(() => rmSync(cdkOut, { recursive: true, force: true }));

const clients: AppSyncRealtimeClient[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});

const STORE_ROLE = 'ReservationStoreRoleDD500CBF';
const LOGGING_ROLE = 'ApiLoggingRole025BF0A1';
const CREATE = `mutation Create($input: CreateReservationInput!) { createReservation(input: $input) { id commandId status } }`;
const SAVE = `mutation Save($input: ReservationEventInput!) { saveReservationEvent(input: $input) { id commandId status version } }`;
const HISTORY = `query History($id: ID!) { getReservationHistory(id: $id) { version type actor } }`;
const ON_SAVED = `subscription OnSaved($id: ID!) { onReservationSaved(id: $id) { id status } }`;

function host(): string {
  return `localhost:${local.stack.port}`;
}

function saveInput(id = ulid()) {
  return {
    eventId: ulid(),
    type: 'ReservationCreated',
    aggregateId: id,
    version: 1,
    occurredAt: new Date().toISOString(),
    commandId: `cmd-${id}`,
    correlationId: `cmd-${id}`,
    schemaVersion: 1,
    data: JSON.stringify({ userId: 'auth-user', roomId: `auth-room-${id}`, dateStart: '2033-01-10', dateEnd: '2033-01-12' }),
  };
}

function futureStay(offsetDays: number) {
  const start = new Date(Date.UTC(2033, 5, 1) + offsetDays * 86_400_000);
  return { dateStart: start.toISOString().slice(0, 10), dateEnd: new Date(start.getTime() + 2 * 86_400_000).toISOString().slice(0, 10) };
}

/** POST a raw body with exactly these headers. */
async function postRaw(body: string, headers: Record<string, string>) {
  const { host: _host, ...sendable } = headers;
  const response = await fetch(local.stack.graphqlUrl, { method: 'POST', headers: sendable, body });
  return {
    status: response.status,
    errorType: response.headers.get('x-amzn-errortype'),
    body: (await response.json()) as { data?: Record<string, unknown> | null; errors?: { errorType: string; message: string }[] },
  };
}

/** POST a GraphQL request signed with `credentials` as an SDK client would. */
async function postSigned(
  credentials: SigningCredentials,
  query: string,
  variables: Record<string, unknown>,
  options: { signingDate?: Date; applyChecksum?: boolean } = {},
) {
  const body = JSON.stringify({ query, variables });
  return postRaw(body, await signedHeaders(credentials, { host: host(), path: '/graphql', body, ...options }));
}

async function storedItemsMentioning(text: string): Promise<Record<string, unknown>[]> {
  const client = local.stack.dynamoDb.createClient();
  try {
    const { Items = [] } = await client.send(new ScanCommand({ TableName: local.stack.tables[0] }));
    return Items.map((item) => unmarshall(item)).filter((item) => JSON.stringify(item).includes(text));
  } finally {
    client.destroy();
  }
}

async function connect(headers: Record<string, string>) {
  const client = await AppSyncRealtimeClient.connect(local.stack.realtimeUrl, headers);
  clients.push(client);
  return client;
}

describe('API key', () => {
  it('refuses a request with no auth at all with 401, as AppSync does', async () => {
    const { status, body } = await local.post('{ __typename }', {}, { 'content-type': 'application/json' });
    expect(status).toBe(401);
    expect(body).toEqual({ errors: [{ errorType: 'UnauthorizedException', message: 'Valid authorization header not provided.' }] });
  });

  it('refuses a wrong API key with 401', async () => {
    const { status, body } = await local.post('{ __typename }', {}, { 'content-type': 'application/json', 'x-api-key': 'da2-not-the-key' });
    expect(status).toBe(401);
    expect(body).toEqual({ errors: [{ errorType: 'UnauthorizedException', message: 'You are not authorized to make this call.' }] });
  });

  it('is refused saveReservationEvent, and nothing is stored', async () => {
    const input = saveInput();
    const { status, body } = await local.post(SAVE, { input });
    expect(status).toBe(200);
    expect(body.data).toBeNull();
    expect(body.errors?.[0]).toMatchObject({
      errorType: 'Unauthorized',
      message: 'Not Authorized to access saveReservationEvent on type Mutation',
    });
    await local.stack.bus.idle();
    expect(await storedItemsMentioning(input.aggregateId)).toEqual([]);
  });
});

describe('IAM (SigV4)', () => {
  it('issues credentials per template role, the same key id on every start, served on loopback', async () => {
    const store = local.stack.credentialsFor(STORE_ROLE);
    expect(store.accessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(local.stack.credentialsFor(store.roleArn)).toEqual(store);
    const served = (await (await fetch(`http://localhost:${local.stack.port}/local/credentials`)).json()) as {
      region: string;
      roles: { roleLogicalId: string; accessKeyId: string }[];
    };
    expect(served.region).toBe('us-east-1');
    expect(served.roles).toContainEqual(expect.objectContaining({ roleLogicalId: STORE_ROLE, accessKeyId: store.accessKeyId }));
    expect(() => local.stack.credentialsFor('NoSuchRole')).toThrow(/No IAM role NoSuchRole/);
  });

  it('never lets a page of another site read the local credentials: no CORS header, another Origin or a rebound Host refused', async () => {
    const url = `http://localhost:${local.stack.port}/local/credentials`;
    const plain = await fetch(url);
    expect(plain.status).toBe(200);
    expect(plain.headers.get('access-control-allow-origin')).toBeNull();
    const fromAnotherSite = await fetch(url, { headers: { origin: 'http://evil.example' } });
    expect(fromAnotherSite.status).toBe(403);
    expect(await fromAnotherSite.json()).toEqual({
      errors: [{ errorType: 'AccessDenied', message: 'Only a page served by this server may call it (Origin http://evil.example).' }],
    });
    const rebound = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const request = httpRequest(
        { host: '127.0.0.1', port: local.stack.port, path: '/local/credentials', headers: { host: `evil.example:${local.stack.port}` } },
        (response) => {
          let body = '';
          response.on('data', (chunk: Buffer) => (body += String(chunk)));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
        },
      );
      request.on('error', reject);
      request.end();
    });
    expect(rebound.status).toBe(403);
    expect(rebound.body).toContain(`Call it as localhost, 127.0.0.1 or [::1], not evil.example:${local.stack.port}.`);
  });

  it('lets the rule’s role call saveReservationEvent when signed with the SDK’s signer', async () => {
    const input = saveInput();
    const { status, body } = await postSigned(local.stack.credentialsFor(STORE_ROLE), SAVE, { input });
    expect(status).toBe(200);
    expect(body).toEqual({
      data: { saveReservationEvent: { id: input.aggregateId, commandId: input.commandId, status: 'SAVED', version: 1 } },
    });
    expect(await storedItemsMentioning(input.aggregateId)).not.toEqual([]);
  });

  it('accepts a signature without a payload-hash header, as aws-amplify signs', async () => {
    const input = saveInput();
    const { body } = await postSigned(local.stack.credentialsFor(STORE_ROLE), SAVE, { input }, { applyChecksum: false });
    expect(body.data).toEqual({ saveReservationEvent: expect.objectContaining({ status: 'SAVED' }) });
  });

  it('refuses the rule’s role every field its policy does not name, field by field', async () => {
    const store = local.stack.credentialsFor(STORE_ROLE);
    const create = await postSigned(store, CREATE, { input: { userId: 'iam', roomId: 'iam-room', ...futureStay(0) } });
    expect(create.status).toBe(200);
    expect(create.body.errors?.[0]).toMatchObject({
      errorType: 'Unauthorized',
      message: 'Not Authorized to access createReservation on type Mutation',
    });
    const read = await postSigned(store, HISTORY, { id: ulid() });
    expect(read.body.errors?.[0]).toMatchObject({
      errorType: 'Unauthorized',
      message: 'Not Authorized to access getReservationHistory on type Query',
    });
  });

  it('refuses saveReservationEvent to a role of the template whose policy does not allow it', async () => {
    const input = saveInput();
    const { body } = await postSigned(local.stack.credentialsFor(LOGGING_ROLE), SAVE, { input });
    expect(body.errors?.[0]).toMatchObject({
      errorType: 'Unauthorized',
      message: 'Not Authorized to access saveReservationEvent on type Mutation',
    });
    expect(await storedItemsMentioning(input.aggregateId)).toEqual([]);
  });

  describe('refuses forged signatures and never treats them as IAM', () => {
    const SIGNATURE_MISMATCH = /^The request signature we calculated does not match the signature you provided/;

    it('signed with a wrong secret', async () => {
      const store = local.stack.credentialsFor(STORE_ROLE);
      const input = saveInput();
      const refused = await postSigned({ ...store, secretAccessKey: 'not-the-secret' }, SAVE, { input });
      expect(refused).toMatchObject({
        status: 403,
        errorType: 'InvalidSignatureException',
        body: { errors: [{ errorType: 'InvalidSignatureException', message: expect.stringMatching(SIGNATURE_MISMATCH) }] },
      });
      expect(await storedItemsMentioning(input.aggregateId)).toEqual([]);
    });

    it('signed more than 15 minutes ago', async () => {
      const refused = await postSigned(
        local.stack.credentialsFor(STORE_ROLE),
        SAVE,
        { input: saveInput() },
        { signingDate: new Date(Date.now() - 16 * 60_000) },
      );
      expect(refused.status).toBe(403);
      expect(refused.body.errors?.[0]).toEqual({
        errorType: 'InvalidSignatureException',
        message: expect.stringMatching(/^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/),
      });
    });

    it('dated more than 15 minutes ahead', async () => {
      const refused = await postSigned(
        local.stack.credentialsFor(STORE_ROLE),
        SAVE,
        { input: saveInput() },
        { signingDate: new Date(Date.now() + 16 * 60_000) },
      );
      expect(refused.body.errors?.[0]).toMatchObject({
        errorType: 'InvalidSignatureException',
        message: expect.stringMatching(/^Signature not yet current/),
      });
    });

    it('whose body was changed after signing (with and without a payload-hash header)', async () => {
      const store = local.stack.credentialsFor(STORE_ROLE);
      for (const applyChecksum of [true, false]) {
        const signedBody = JSON.stringify({ query: SAVE, variables: { input: saveInput() } });
        const tampered = saveInput();
        const headers = await signedHeaders(store, { host: host(), path: '/graphql', body: signedBody, applyChecksum });
        const refused = await postRaw(JSON.stringify({ query: SAVE, variables: { input: tampered } }), headers);
        expect(refused.body.errors?.[0]).toMatchObject({
          errorType: 'InvalidSignatureException',
          message: expect.stringMatching(SIGNATURE_MISMATCH),
        });
        expect(await storedItemsMentioning(tampered.aggregateId)).toEqual([]);
      }
    });

    it('with an access key the stack never issued, or without the session token', async () => {
      const store = local.stack.credentialsFor(STORE_ROLE);
      const unknown = await postSigned({ ...store, accessKeyId: 'ASIAAAAAAAAAAAAAAAAA' }, SAVE, { input: saveInput() });
      expect(unknown).toMatchObject({
        status: 403,
        body: { errors: [{ errorType: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' }] },
      });
      const tokenless = await postSigned({ accessKeyId: store.accessKeyId, secretAccessKey: store.secretAccessKey }, SAVE, {
        input: saveInput(),
      });
      expect(tokenless.body.errors?.[0]?.errorType).toBe('UnrecognizedClientException');
    });

    it('an Authorization header that only looks like SigV4 (what the simulator used to accept)', async () => {
      const store = local.stack.credentialsFor(STORE_ROLE);
      const input = saveInput();
      const body = JSON.stringify({ query: SAVE, variables: { input } });
      const bare = await postRaw(body, {
        'content-type': 'application/json',
        authorization: `AWS4-HMAC-SHA256 Credential=${store.accessKeyId}/20330101/us-east-1/appsync/aws4_request`,
      });
      expect(bare.status).toBe(400);
      expect(bare.body.errors?.[0]).toMatchObject({ errorType: 'IncompleteSignatureException' });
      const made = await postRaw(body, {
        'content-type': 'application/json',
        'x-amz-date': new Date().toISOString().replace(/[-:]|\.\d{3}/g, ''),
        'x-amz-security-token': store.sessionToken,
        authorization: `AWS4-HMAC-SHA256 Credential=${store.accessKeyId}/${new Date().toISOString().slice(0, 10).replaceAll('-', '')}/us-east-1/appsync/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`,
      });
      expect(made).toMatchObject({ status: 403, body: { errors: [{ errorType: 'InvalidSignatureException' }] } });
      expect(await storedItemsMentioning(input.aggregateId)).toEqual([]);
    });
  });
});

describe('Cognito user pools', () => {
  it('takes the command’s actor from the verified token', async () => {
    const token = local.stack.issueUserToken({ sub: 'sub-alice-1', username: 'alice', groups: ['guests'] });
    const id = ulid();
    const accepted = await local.post(
      CREATE,
      { input: { id, userId: 'alice', roomId: `pool-room-${id}`, ...futureStay(10) } },
      { 'content-type': 'application/json', authorization: token },
    );
    expect(accepted).toEqual({
      status: 200,
      body: { data: { createReservation: { id, commandId: expect.any(String), status: 'PENDING' } } },
    });
    await local.stack.bus.idle();
    const history = await local.post(HISTORY, { id }, { 'content-type': 'application/json', authorization: token });
    expect(history.body).toEqual({
      data: { getReservationHistory: [{ version: 1, type: 'ReservationCreated', actor: 'user:sub-alice-1' }] },
    });
  });

  it('names the local pool as the token issuer', () => {
    const token = local.stack.issueUserToken({ sub: 'sub-x' });
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { iss: string };
    expect(claims.iss).toBe(`https://cognito-idp.us-east-1.amazonaws.com/${LOCAL_USER_POOL_ID}`);
  });

  it('refuses a user the IAM-only store mutation', async () => {
    const token = local.stack.issueUserToken({ sub: 'sub-mallory' });
    const input = saveInput();
    const { body } = await local.post(SAVE, { input }, { 'content-type': 'application/json', authorization: token });
    expect(body.errors?.[0]).toMatchObject({
      errorType: 'Unauthorized',
      message: 'Not Authorized to access saveReservationEvent on type Mutation',
    });
    expect(await storedItemsMentioning(input.aggregateId)).toEqual([]);
  });

  describe('refuses forged tokens with 401', () => {
    const payloadOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const forgeries: [string, () => string][] = [
      [
        'claims changed after signing',
        () => {
          const [header, , signature] = local.stack.issueUserToken({ sub: 'sub-alice-1' }).split('.');
          return `${header}.${encode({ ...payloadOf(local.stack.issueUserToken({ sub: 'x' })), sub: 'sub-admin' })}.${signature}`;
        },
      ],
      [
        'unsigned (alg none)',
        () => `${encode({ alg: 'none', typ: 'JWT' })}.${encode(payloadOf(local.stack.issueUserToken({ sub: 'sub-admin' })))}.`,
      ],
      [
        'signed by another key',
        () => {
          const real = local.stack.issueUserToken({ sub: 'sub-admin' });
          const [header, payload] = real.split('.') as [string, string];
          const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
          return `${header}.${payload}.${sign('RSA-SHA256', Buffer.from(`${header}.${payload}`), privateKey).toString('base64url')}`;
        },
      ],
      ['not a JWT', () => 'Bearer not-a-token'],
    ];
    for (const [name, forge] of forgeries) {
      it(name, async () => {
        const { status, body } = await local.post('{ __typename }', {}, { 'content-type': 'application/json', authorization: forge() });
        expect(status).toBe(401);
        expect(body.errors?.[0]?.errorType).toBe('UnauthorizedException');
      });
    }

    it('expired', async () => {
      const token = local.stack.issueUserToken({ sub: 'sub-late', expiresInSeconds: -60 });
      const { status, body } = await local.post('{ __typename }', {}, { 'content-type': 'application/json', authorization: token });
      expect({ status, body }).toEqual({
        status: 401,
        body: { errors: [{ errorType: 'UnauthorizedException', message: 'Token has expired.' }] },
      });
    });
  });
});

describe('subscriptions', () => {
  it('refuses a connection with no auth header', async () => {
    const ws = await import('ws');
    const socket = new ws.default(`${local.stack.realtimeUrl}?payload=e30=`, 'graphql-ws');
    const message = await new Promise<unknown>((resolve, reject) => {
      socket.once('message', (raw) => resolve(JSON.parse(String(raw))));
      socket.once('error', reject);
    });
    socket.close();
    expect(message).toEqual({
      type: 'connection_error',
      payload: { errors: [{ errorType: 'UnauthorizedException', message: 'Valid authorization header not provided.' }] },
    });
  });

  it('accepts an IAM-signed handshake and refuses the role a subscription its policy does not allow', async () => {
    const store = local.stack.credentialsFor(STORE_ROLE);
    const client = await connect(await realtimeConnectHeaders(store, host()));
    expect((await client.init()).type).toBe('connection_ack');
    const data = JSON.stringify({ query: ON_SAVED, variables: { id: ulid() } });
    const startAuth = await signedHeaders(store, {
      host: host(),
      path: '/graphql',
      body: data,
      headers: { accept: 'application/json, text/javascript', 'content-encoding': 'amz-1.0' },
      applyChecksum: false,
    });
    client.send({ id: 'iam', type: 'start', payload: { data, extensions: { authorization: startAuth } } });
    const answer = await client.next((message) => message.id === 'iam');
    expect(answer).toMatchObject({
      type: 'error',
      payload: { errors: [{ errorType: 'Unauthorized', message: 'Not Authorized to access onReservationSaved on type Subscription' }] },
    });
  });

  it('refuses a handshake signed with a wrong secret, or too long ago', async () => {
    const store = local.stack.credentialsFor(STORE_ROLE);
    const forged = await connect(await realtimeConnectHeaders({ ...store, secretAccessKey: 'wrong' }, host()));
    expect(await forged.next((message) => message.type === 'connection_error')).toMatchObject({
      payload: { errors: [{ errorType: 'InvalidSignatureException' }] },
    });
    const stale = await connect(await realtimeConnectHeaders(store, host(), new Date(Date.now() - 20 * 60_000)));
    expect(await stale.next((message) => message.type === 'connection_error')).toMatchObject({
      payload: { errors: [{ errorType: 'InvalidSignatureException', message: expect.stringMatching(/^Signature expired/) }] },
    });
  });

  it('accepts a user-pool token on connect and start; refuses a forged one on start', async () => {
    const token = local.stack.issueUserToken({ sub: 'sub-watcher' });
    const client = await connect({ host: host(), Authorization: token });
    expect((await client.init()).type).toBe('connection_ack');
    expect(await client.subscribe('mine', ON_SAVED, { id: ulid() }, { host: host(), Authorization: token })).toEqual({
      type: 'start_ack',
      id: 'mine',
    });
    const [header, payload] = token.split('.');
    const forged = await client.subscribe('forged', ON_SAVED, { id: ulid() }, { host: host(), Authorization: `${header}.${payload}.AAAA` });
    expect(forged).toMatchObject({ type: 'error', id: 'forged', payload: { errors: [{ errorType: 'UnauthorizedException' }] } });
  });

  it('refuses a start whose API key is wrong even on a connection opened with a valid one', async () => {
    const client = await connect({ host: host(), 'x-api-key': local.stack.apiKey });
    await client.init();
    const answer = await client.subscribe('bad', ON_SAVED, { id: ulid() }, { host: host(), 'x-api-key': 'da2-wrong' });
    expect(answer).toMatchObject({ type: 'error', id: 'bad', payload: { errors: [{ errorType: 'UnauthorizedException' }] } });
  });
});
