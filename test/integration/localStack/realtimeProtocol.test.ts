/**
 * AppSync's real-time protocol, spoken by a plain WebSocket client against
 * the local stack: the command's outcome arrives on onReservationSaved(id),
 * only to subscribers of that id, and auth is enforced on connect and start.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ulid } from 'ulid';
import { AppSyncRealtimeClient } from '../../helpers/appSyncRealtimeClient.ts';
import { useLocalStack } from '../../helpers/localStack.ts';

const local = useLocalStack();
const clients: AppSyncRealtimeClient[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});

const ON_SAVED = `subscription OnSaved($id: ID!) { onReservationSaved(id: $id) {
  id commandId status version reason reservation { id status version roomId dateStart dateEnd } } }`;
const CREATE = `mutation Create($input: CreateReservationInput!) { createReservation(input: $input) { id commandId status } }`;

function futureStay(offsetDays: number, nights = 2) {
  const start = new Date(Date.UTC(2031, 0, 1) + offsetDays * 86_400_000);
  const end = new Date(start.getTime() + nights * 86_400_000);
  return { dateStart: start.toISOString().slice(0, 10), dateEnd: end.toISOString().slice(0, 10) };
}

async function connect(headers?: Record<string, string>, secure = false) {
  const { stack } = local;
  const url = secure ? stack.realtimeUrl.replace('ws://', 'wss://') : stack.realtimeUrl;
  const client = await AppSyncRealtimeClient.connect(
    url,
    headers ?? { host: `localhost:${stack.port}`, 'x-api-key': stack.apiKey },
    secure ? { ca: readFileSync(stack.caFile) } : {},
  );
  clients.push(client);
  return client;
}

describe('the real-time endpoint', () => {
  it('acknowledges a connection with AppSync’s timeout and a keep-alive', async () => {
    const client = await connect();
    expect(client.protocol).toBe('graphql-ws');
    const ack = await client.init();
    expect(ack).toEqual({ type: 'connection_ack', payload: { connectionTimeoutMs: 300_000 } });
    await expect(client.next((message) => message.type === 'ka')).resolves.toEqual({ type: 'ka' });
  });

  it('delivers SAVED with the folded reservation to the subscriber of that id, after PENDING', async () => {
    const client = await connect();
    await client.init();
    const id = ulid();
    const auth = { host: 'localhost', 'x-api-key': local.stack.apiKey };
    expect(await client.subscribe('mine', ON_SAVED, { id }, auth)).toEqual({ type: 'start_ack', id: 'mine' });

    const accepted = await local.graphql(CREATE, { input: { id, userId: 'user-1', roomId: 'room-rt-1', ...futureStay(0, 3) } });
    expect(accepted).toEqual({ data: { createReservation: { id, commandId: expect.any(String), status: 'PENDING' } } });

    const message = await client.nextData('mine');
    expect(message.payload).toEqual({
      data: {
        onReservationSaved: {
          id,
          commandId: (accepted.data!.createReservation as { commandId: string }).commandId,
          status: 'SAVED',
          version: 1,
          reason: null,
          reservation: { id, status: 'CONFIRMED', version: 1, roomId: 'room-rt-1', ...futureStay(0, 3) },
        },
      },
    });
  });

  it('does not send one reservation’s outcome to a subscriber of another id', async () => {
    const client = await connect();
    await client.init();
    const watched = ulid();
    const other = ulid();
    const auth = { host: 'localhost', 'x-api-key': local.stack.apiKey };
    await client.subscribe('watched', ON_SAVED, { id: watched }, auth);
    await local.graphql(CREATE, { input: { id: other, userId: 'user-2', roomId: 'room-rt-2', ...futureStay(10) } });
    await local.graphql(CREATE, { input: { id: watched, userId: 'user-2', roomId: 'room-rt-3', ...futureStay(10) } });
    const message = await client.nextData('watched');
    expect((message.payload!.data!.onReservationSaved as { id: string }).id).toBe(watched);
    await local.stack.bus.idle();
    expect(client.messages.filter((received) => received.type === 'data')).toEqual([]);
  });

  it('stops a subscription on stop, answering complete', async () => {
    const client = await connect();
    await client.init();
    const id = ulid();
    await client.subscribe('s', ON_SAVED, { id }, { host: 'localhost', 'x-api-key': local.stack.apiKey });
    client.send({ id: 's', type: 'stop' });
    expect(await client.next((message) => message.type === 'complete')).toEqual({ type: 'complete', id: 's' });
    await local.graphql(CREATE, { input: { id, userId: 'user-3', roomId: 'room-rt-4', ...futureStay(20) } });
    await local.stack.bus.idle();
    expect(client.messages.filter((received) => received.type === 'data')).toEqual([]);
  });

  it('serves the same protocol over TLS (wss://) with the local CA', async () => {
    const client = await connect(undefined, true);
    expect((await client.init()).type).toBe('connection_ack');
  });

  it('refuses a connection with a wrong API key', async () => {
    const client = await connect({ host: 'localhost', 'x-api-key': 'da2-wrong' });
    expect(await client.next((message) => message.type === 'connection_error')).toEqual({
      type: 'connection_error',
      payload: { errors: [{ errorType: 'UnauthorizedException', message: 'You are not authorized to make this call.' }] },
    });
  });

  it('refuses a subscription whose start carries a wrong API key', async () => {
    const client = await connect();
    await client.init();
    const answer = await client.subscribe('bad', ON_SAVED, { id: ulid() }, { host: 'localhost', 'x-api-key': 'da2-wrong' });
    expect(answer).toMatchObject({ type: 'error', id: 'bad', payload: { errors: [{ errorType: 'UnauthorizedException' }] } });
  });

  it('refuses a subscription whose required variable is missing, instead of acknowledging one that never delivers', async () => {
    const client = await connect();
    await client.init();
    const answer = await client.subscribe('no-id', ON_SAVED, {}, { host: 'localhost', 'x-api-key': local.stack.apiKey });
    expect(answer).toMatchObject({
      type: 'error',
      id: 'no-id',
      payload: {
        errors: [{ errorType: 'ValidationError', message: 'Validation error: Variable "$id" of required type "ID!" was not provided.' }],
      },
    });
  });

  it('answers a malformed subscription with a GraphQL error, not a dropped socket', async () => {
    const client = await connect();
    await client.init();
    const answer = await client.subscribe(
      'broken',
      'subscription { onReservationSaved(id: ',
      {},
      { host: 'localhost', 'x-api-key': local.stack.apiKey },
    );
    expect(answer.type).toBe('error');
    expect(answer.payload!.errors![0]!.message).toMatch(/Syntax Error/);
    expect((await client.subscribe('ok', ON_SAVED, { id: ulid() }, { host: 'localhost', 'x-api-key': local.stack.apiKey })).type).toBe(
      'start_ack',
    );
  });
});
