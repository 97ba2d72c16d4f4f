/**
 * Command timeouts on the local stack, with the store made slow or lost on
 * purpose: a subscriber gets exactly one terminal message per command, never
 * both SAVED and TIMED_OUT, and a store arriving after the deadline is refused.
 * The deadline is 3 s here (COMMAND_TIMEOUT_SECONDS, as the AppSync console
 * would set it): short, yet long enough that a store on time is on time on a
 * loaded 2-core machine (at 1 s, with two test files running at once, a store
 * on time sometimes took longer and its tombstone fired: right, but not what
 * the "stored in time" case is about). The schedule and its tombstone run as
 * they do on AWS.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ulid } from 'ulid';
import { AppSyncRealtimeClient } from '../../helpers/appSyncRealtimeClient.ts';
import { useLocalStack } from '../../helpers/localStack.ts';
import type { AppSyncTargetCall } from '../../../local/index.ts';

/** What happens to each store delivery: by default delivered; tests hold or drop a command's event. */
const interceptions = new Map<string, 'drop' | Promise<void>>();
const tombstonesDelivered: string[] = [];
const DEADLINE_SECONDS = 3;
const local = useLocalStack({
  environment: { COMMAND_TIMEOUT_SECONDS: String(DEADLINE_SECONDS) },
  interceptDelivery: async (call: AppSyncTargetCall) => {
    const detail = call.event.detail as { commandId?: string; type?: string };
    if (detail.type === 'CommandTimedOut') tombstonesDelivered.push(detail.commandId ?? '');
    const rule = detail.type === 'CommandTimedOut' ? undefined : interceptions.get(detail.commandId ?? '');
    if (rule === 'drop') return 'drop';
    if (rule) await rule;
    return 'deliver';
  },
});

const clients: AppSyncRealtimeClient[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
  interceptions.clear();
  tombstonesDelivered.length = 0;
});

const ON_SAVED = `subscription OnSaved($id: ID!) { onReservationSaved(id: $id) { id commandId status version reason repeat } }`;
const CREATE = `mutation Create($input: CreateReservationInput!) { createReservation(input: $input) { id commandId status } }`;
const HISTORY = `query History($id: ID!) { getReservationHistory(id: $id) { version type commandId } getReservation(id: $id) { status version } }`;

async function subscribed(id: string) {
  const client = await AppSyncRealtimeClient.connect(local.stack.realtimeUrl, { host: 'localhost', 'x-api-key': local.stack.apiKey });
  clients.push(client);
  await client.init();
  expect((await client.subscribe('outcome', ON_SAVED, { id }, { host: 'localhost', 'x-api-key': local.stack.apiKey })).type).toBe(
    'start_ack',
  );
  return client;
}

function dataMessages(client: AppSyncRealtimeClient) {
  return client.messages.filter((message) => message.type === 'data');
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a command whose event is lost', () => {
  it('answers TIMED_OUT once, and leaves a tombstone in the slot instead of a reservation', async () => {
    const id = ulid();
    const commandId = ulid();
    interceptions.set(commandId, 'drop');
    const client = await subscribed(id);
    await local.graphql(CREATE, {
      input: { id, commandId, userId: 'u', roomId: 'room-lost', dateStart: '2035-01-01', dateEnd: '2035-01-02' },
    });
    const message = await client.nextData('outcome', DEADLINE_SECONDS * 1_000 + 8_000);
    expect(message.payload!.data!.onReservationSaved).toEqual({
      id,
      commandId,
      status: 'TIMED_OUT',
      version: null,
      reason: 'The command was not stored before its deadline; a late store is refused.',
      repeat: false,
    });
    const state = await local.graphql(HISTORY, { id });
    expect(state.data).toEqual({ getReservationHistory: [{ version: 1, type: 'CommandTimedOut', commandId }], getReservation: null });
  });
});

describe('a command whose event is stored after its deadline', () => {
  it('answers TIMED_OUT once and refuses the late event: nothing but the tombstone is stored', async () => {
    const id = ulid();
    const commandId = ulid();
    let release!: () => void;
    interceptions.set(commandId, new Promise<void>((resolve) => (release = resolve)));
    const client = await subscribed(id);
    await local.graphql(CREATE, {
      input: { id, commandId, userId: 'u', roomId: 'room-slow', dateStart: '2035-02-01', dateEnd: '2035-02-02' },
    });
    const message = await client.nextData('outcome', DEADLINE_SECONDS * 1_000 + 8_000);
    expect((message.payload!.data!.onReservationSaved as { status: string }).status).toBe('TIMED_OUT');

    release();
    await local.stack.bus.idle();
    await pause(300);
    expect(dataMessages(client)).toEqual([]);
    const state = await local.graphql(HISTORY, { id });
    expect(state.data).toEqual({ getReservationHistory: [{ version: 1, type: 'CommandTimedOut', commandId }], getReservation: null });
    // The room night was never claimed: another reservation may take it.
    const other = await local.graphql(CREATE, {
      input: { userId: 'v', roomId: 'room-slow', dateStart: '2035-02-01', dateEnd: '2035-02-02' },
    });
    expect(other.errors).toBeUndefined();
  });
});

describe('a command stored in time', () => {
  it('answers SAVED once, and its timeout is cancelled: no tombstone ever reaches the store', async () => {
    const id = ulid();
    const client = await subscribed(id);
    const accepted = await local.graphql(CREATE, {
      input: { id, userId: 'u', roomId: 'room-fast', dateStart: '2035-03-01', dateEnd: '2035-03-02' },
    });
    const message = await client.nextData('outcome', DEADLINE_SECONDS * 1_000 + 8_000);
    expect(message.payload!.data!.onReservationSaved).toMatchObject({
      status: 'SAVED',
      version: 1,
      repeat: false,
      commandId: (accepted.data!.createReservation as { commandId: string }).commandId,
    });

    // The store deleted the command's schedule; past the deadline nothing fires and nothing more arrives.
    expect(local.stack.scheduler.list()).toEqual([]);
    await pause(DEADLINE_SECONDS * 1_000 + 800);
    await local.stack.bus.idle();
    expect(dataMessages(client)).toEqual([]);
    expect(tombstonesDelivered).toEqual([]);
    const state = await local.graphql(HISTORY, { id });
    expect(state.data).toMatchObject({
      getReservationHistory: [{ version: 1, type: 'ReservationCreated' }],
      getReservation: { status: 'CONFIRMED', version: 1 },
    });
  });
});
