/**
 * AWS_LAMBDA authorization (a Lambda authorizer) on the local AppSync server, served from a CDK app
 * (test/fixtures/lambdaAuthorizerApp: default mode AWS_LAMBDA, API_KEY additional), through real HTTP and
 * real-time WebSocket clients, the authorizer running as the app's Node.js function in its own process.
 * What AWS does: "AWS_LAMBDA authorization" in the AppSync developer guide
 * (https://docs.aws.amazon.com/appsync/latest/devguide/security-authz.html#aws-lambda-authorization),
 * AWS::AppSync::GraphQLApi LambdaAuthorizerConfig, and the real-time guide's Lambda authorization header.
 */
import path from 'node:path';
import { Amplify } from 'aws-amplify';
import { generateClient } from 'aws-amplify/api';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { useLocalCaWebSocket } from '../../helpers/amplifyClient.ts';
import { AppSyncRealtimeClient } from '../../helpers/appSyncRealtimeClient.ts';
import { useLocalStack } from '../../helpers/localStack.ts';

const ASSEMBLY = path.resolve('test/fixtures/lambdaAuthorizerApp/assembly');
const AUTHORIZER = 'LambdaAuthorizerApp-AuthorizerBD825682';
const NOT_AUTHORIZED = { errors: [{ errorType: 'UnauthorizedException', message: 'You are not authorized to make this call.' }] };

describe('a Lambda authorizer (AWS_LAMBDA)', () => {
  const devLog: string[] = [];
  const local = useLocalStack({
    cdkOut: ASSEMBLY,
    onEvent: (line) => devLog.push(line),
    // AppSync gives an authorizer 10 s; the fixture's "slow-" tokens answer after 1.5 s.
    limits: { lambdaAuthorizerTimeoutMs: 1000 },
  });
  const clients: AppSyncRealtimeClient[] = [];
  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
  });

  /** The authorizer's invocations so far: its START lines in the dev log. */
  const invocations = () => devLog.filter((line) => line.startsWith(`lambda ${AUTHORIZER}: START`)).length;

  const post = async (token: string, query: string, extra: { operationName?: string; headers?: Record<string, string> } = {}) => {
    const response = await fetch(local.stack.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: token, ...extra.headers },
      body: JSON.stringify({ query, ...(extra.operationName ? { operationName: extra.operationName } : {}) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('lists the modes at start: the authorizer and how long its answers are kept', () => {
    expect(local.stack.authModes).toEqual([`AWS_LAMBDA (default; authorizer ${AUTHORIZER}, answers kept 300 s)`, 'API_KEY']);
  });

  it('authorizes a token: ctx.identity.resolverContext reaches the resolver, util.authType() is "Lambda Authorization", and the function saw the operation and headers', async () => {
    const { status, body } = await post('allow-ada', 'query Who { whoAmI { userId authType operationName sawHeader } }', {
      operationName: 'Who',
      headers: { 'x-test-header': 'seen' },
    });
    expect(status).toBe(200);
    expect(body).toEqual({
      data: { whoAmI: { userId: 'ada', authType: 'Lambda Authorization', operationName: 'Who', sawHeader: 'seen' } },
    });
  });

  it('refuses isAuthorized: false with 401 UnauthorizedException, "You are not authorized to make this call." (aws-amplify/amplify-js#9513)', async () => {
    const { status, body } = await post('deny-bob', '{ whoAmI { userId } }');
    expect(status).toBe(401);
    expect(body).toEqual(NOT_AUTHORIZED);
  });

  it('refuses a token that does not match IdentityValidationExpression without calling the function', async () => {
    const before = invocations();
    const { status, body } = await post('nope-carol', '{ whoAmI { userId } }');
    expect({ status, body }).toEqual({ status: 401, body: NOT_AUTHORIZED });
    expect(invocations()).toBe(before);
    expect(devLog.some((line) => line.includes('does not match IdentityValidationExpression'))).toBe(true);
  });

  it('answers deniedFields (Type.field or field ARN) null with an Unauthorized error each, the other fields resolved', async () => {
    const { status, body } = await post('allow-dan', '{ secret whoAmI { userId secret } }');
    expect(status).toBe(200);
    expect(body.data).toEqual({ secret: null, whoAmI: { userId: 'dan', secret: null } });
    expect(body.errors).toEqual([
      expect.objectContaining({ errorType: 'Unauthorized', message: 'Not Authorized to access secret on type Query', path: ['secret'] }),
      expect.objectContaining({
        errorType: 'Unauthorized',
        message: 'Not Authorized to access secret on type Caller',
        path: ['whoAmI', 'secret'],
      }),
    ]);
  });

  it('refuses when the function throws, and says why in the dev log', async () => {
    const { status, body } = await post('boom', '{ whoAmI { userId } }');
    expect({ status, body }).toEqual({ status: 401, body: NOT_AUTHORIZED });
    expect(devLog.some((line) => line.includes('the function failed: Error: the authorizer exploded'))).toBe(true);
  });

  it('refuses an answer without isAuthorized', async () => {
    const { status, body } = await post('malformed', '{ whoAmI { userId } }');
    expect({ status, body }).toEqual({ status: 401, body: NOT_AUTHORIZED });
    expect(devLog.some((line) => line.includes('isAuthorized must be true or false'))).toBe(true);
  });

  it('refuses a function that does not answer within the authorizer timeout (AppSync: 10 s; here shrunk to 1 s)', async () => {
    const started = performance.now();
    const { status, body } = await post('slow-eve', '{ whoAmI { userId } }');
    expect({ status, body }).toEqual({ status: 401, body: NOT_AUTHORIZED });
    expect(performance.now() - started).toBeLessThan(1400);
    expect(devLog.some((line) => line.includes('did not answer within 1 s'))).toBe(true);
  });

  it('keeps an answer for AuthorizerResultTtlInSeconds (300 s): two requests with one token call the function once', async () => {
    const before = invocations();
    expect((await post('allow-fay', '{ whoAmI { userId } }')).body).toEqual({ data: { whoAmI: { userId: 'fay' } } });
    expect((await post('allow-fay', '{ hello }')).body).toEqual({ data: { hello: 'hello, Lambda Authorization' } });
    expect(invocations()).toBe(before + 1);
  });

  it('does not keep an answer whose ttlOverride is 0', async () => {
    const before = invocations();
    await post('allow-nocache-gus', '{ whoAmI { userId } }');
    await post('allow-nocache-gus', '{ whoAmI { userId } }');
    expect(invocations()).toBe(before + 2);
  });

  it('still serves the additional API_KEY mode, which the directives govern (@aws_api_key, @aws_lambda)', async () => {
    const key = { 'x-api-key': local.stack.apiKey };
    expect((await local.post('{ hello keyOnly }', {}, key)).body).toEqual({
      data: { hello: 'hello, API Key Authorization', keyOnly: 'for API keys' },
    });
    const lambdaCaller = await post('allow-hal', '{ hello keyOnly }');
    expect(lambdaCaller.body.data).toEqual({ hello: 'hello, Lambda Authorization', keyOnly: null });
    expect(lambdaCaller.body.errors).toEqual([
      expect.objectContaining({ errorType: 'Unauthorized', message: 'Not Authorized to access keyOnly on type Query' }),
    ]);
    // whoAmI has no directive: the default mode only.
    expect((await local.post('{ whoAmI { userId } }', {}, key)).body.errors).toEqual([
      expect.objectContaining({ errorType: 'Unauthorized', message: 'Not Authorized to access whoAmI on type Query' }),
    ]);
  });

  describe('on the real-time endpoint (the Authorization header as the connection and each start carry it)', () => {
    const connect = async (token: string) => {
      const client = await AppSyncRealtimeClient.connect(local.stack.realtimeUrl, {
        Authorization: token,
        host: `localhost:${local.stack.port}`,
      });
      clients.push(client);
      return client;
    };

    it('subscribes with an authorized token and receives what a mutation publishes', async () => {
      const client = await connect('allow-ivy');
      expect((await client.init()).type).toBe('connection_ack');
      const started = await client.subscribe(
        's1',
        'subscription { onPost { id text author } }',
        {},
        {
          Authorization: 'allow-ivy',
          host: `localhost:${local.stack.port}`,
        },
      );
      expect(started.type).toBe('start_ack');
      expect((await post('allow-writer', 'mutation { post(id: "p1", text: "hi") { id text author } }')).status).toBe(200);
      expect((await client.nextData('s1')).payload).toEqual({ data: { onPost: { id: 'p1', text: 'hi', author: 'writer' } } });
    });

    it('refuses a connection whose token the authorizer denies', async () => {
      const client = await connect('deny-jon');
      const answer = await client.next((message) => message.type === 'connection_error');
      expect(answer.payload?.errors).toEqual([
        { errorType: 'UnauthorizedException', message: 'You are not authorized to make this call.' },
      ]);
    });

    it('refuses a start whose token the authorizer denies', async () => {
      const client = await connect('allow-kim');
      await client.init();
      const answer = await client.subscribe('s2', 'subscription { onPost { id } }', {}, { Authorization: 'deny-kim', host: 'localhost' });
      expect(answer).toMatchObject({ type: 'error', id: 's2', payload: { errors: [{ errorType: 'UnauthorizedException' }] } });
    });
  });

  describe('through aws-amplify v6 (authMode "lambda", the token as authToken)', () => {
    type Client = { graphql(options: Record<string, unknown>): unknown };
    let client: Client;
    beforeAll(() => {
      useLocalCaWebSocket(local.stack.caFile);
      Amplify.configure({ API: { GraphQL: { endpoint: local.stack.graphqlUrl, region: 'us-east-1', defaultAuthMode: 'lambda' } } });
      client = generateClient() as unknown as Client;
    });

    it('queries, and hears a subscription on the real-time endpoint, as the authorizer’s user', async () => {
      const answer = (await client.graphql({ query: '{ whoAmI { userId authType } }', authMode: 'lambda', authToken: 'allow-amp' })) as {
        data: unknown;
      };
      expect(answer.data).toEqual({ whoAmI: { userId: 'amp', authType: 'Lambda Authorization' } });

      const received = new Promise((resolve, reject) => {
        const observable = client.graphql({
          query: 'subscription { onPost { id author } }',
          authMode: 'lambda',
          authToken: 'allow-amp',
        }) as {
          subscribe(observer: { next: (value: unknown) => void; error: (error: unknown) => void }): { unsubscribe(): void };
        };
        const subscription = observable.subscribe({
          next: (value) => {
            subscription.unsubscribe();
            resolve(value);
          },
          error: reject,
        });
      });
      // Amplify acknowledges a subscription only through its connection-state hub; a short settle suffices locally.
      await new Promise((resolve) => setTimeout(resolve, 500));
      await post('allow-poster', 'mutation { post(id: "p2", text: "from amplify test") { id author } }');
      expect(await received).toEqual({ data: { onPost: { id: 'p2', author: 'poster' } } });
    });

    it('rejects a denied token with AppSync’s UnauthorizedException', async () => {
      const failure = await (
        client.graphql({ query: '{ whoAmI { userId } }', authMode: 'lambda', authToken: 'deny-amp' }) as Promise<unknown>
      ).catch((error: unknown) => error);
      // Amplify reports the 401 as its own "Unauthorized" error.
      expect(failure).toMatchObject({ errors: [expect.objectContaining({ message: 'Unauthorized' })] });
    });
  });

  // Last: a reload closes the real-time connections.
  it('a reload serves the template’s authorizer anew, with no answers kept from before', async () => {
    await post('allow-reload', '{ whoAmI { userId } }');
    const before = invocations();
    await post('allow-reload', '{ whoAmI { userId } }');
    expect(invocations()).toBe(before);
    await local.stack.reload();
    expect((await post('allow-reload', '{ whoAmI { userId } }')).body).toEqual({ data: { whoAmI: { userId: 'reload' } } });
    expect(invocations()).toBe(before + 1);
  });
});
