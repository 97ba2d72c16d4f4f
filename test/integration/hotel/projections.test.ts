/**
 * The read models on the local stack: stored events reach them through the
 * table's stream, a pipe, the bus and applyStoredEvent, within a second of the
 * SAVED message; each stored event is applied once and in stream order whether
 * it is delivered twice or out of order; and read models rebuilt from the
 * streams equal the ones kept live.
 */
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readCoreAssembly } from '../../../dev/localCore.ts';
import type { AppSyncTargetCall } from '../../../local/index.ts';
import { rebuildReadModels } from '../../../scripts/readModels/rebuild.ts';
import { signedHeaders } from '../../fixtures/sigv4Client.ts';
import { useLocalStack } from '../../helpers/localStack.ts';
import { sendCommand } from '../../load/commands.ts';
import { OutcomeWatch } from '../../load/outcomeWatch.ts';
import type { HotelTotals } from '../../../schema/generated/types.ts';

/** Deliveries of applyStoredEvent a test holds back (by streamId and version) until it releases them. */
const held = new Map<string, { release: Promise<'deliver' | 'drop'> }>();
const local = useLocalStack({
  interceptDelivery: async (call: AppSyncTargetCall) => {
    if (!call.operation.includes('applyStoredEvent')) return 'deliver';
    const input = (call.variables as { input: { streamId: string; version: string } }).input;
    const hold = held.get(`${input.streamId} v${input.version}`);
    return hold ? hold.release : 'deliver';
  },
});

const watches: Record<string, OutcomeWatch> = {};
beforeAll(async () => {
  for (const field of ['onRoomSaved', 'onReservationSaved', 'onGuestSaved', 'onPaymentSaved']) {
    watches[field] = await OutcomeWatch.connect(local.stack.realtimeUrl, local.stack.apiKey, field);
  }
});
afterAll(() => {
  for (const watch of Object.values(watches)) watch.close();
  console.info(`projection lag from SAVED to visible (ms): ${lags.join(', ')}`);
});

const lags: number[] = [];

async function query<T>(text: string, variables: Record<string, unknown> = {}): Promise<T> {
  const body = await local.graphql(text, variables);
  expect(body.errors).toBeUndefined();
  return body.data as T;
}

/** Send a command on an aggregate, wait for its SAVED message, and return when it arrived. */
async function saved(
  field: string,
  subscription: string,
  inputType: string,
  input: { id: string } & Record<string, unknown>,
): Promise<number> {
  const watch = watches[subscription]!;
  await watch.watch(input.id);
  const commandId = ulid();
  const answer = await sendCommand(local.stack, field, inputType, { ...input, commandId });
  expect(answer.kind).toBe('accepted');
  const outcome = await watch.first(commandId, 15_000);
  expect(outcome.status).toBe('SAVED');
  return outcome.receivedAt;
}

/** Poll until `seen` holds, and record how long after `since` it did. */
async function visible(since: number, seen: () => Promise<boolean>, deadlineMs = 5_000): Promise<void> {
  for (;;) {
    if (await seen()) {
      lags.push(Math.round(performance.now() - since));
      return;
    }
    if (performance.now() - since > deadlineMs) throw new Error(`not visible ${deadlineMs} ms after SAVED`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

type Totals = Omit<HotelTotals, '__typename'>;
const totals = async () =>
  (await query<{ getHotelTotals: Totals }>('{ getHotelTotals { rooms guests activeReservations nightsReserved amountCaptured currency } }'))
    .getHotelTotals;
const calendar = async (roomId: string, from: string, to: string) =>
  (
    await query<{ getRoomCalendar: { date: string; state: string; reservationId: string | null }[] }>(
      `query ($roomId: ID!, $from: AWSDate!, $to: AWSDate!) { getRoomCalendar(roomId: $roomId, from: $from, to: $to) { date state reservationId } }`,
      { roomId, from, to },
    )
  ).getRoomCalendar;

describe('read models kept from the stored events', () => {
  it('show each stored event within a second of its SAVED message: catalog, guest reservations, calendar, totals', async () => {
    const before = await totals();
    const roomId = ulid();
    const guestId = ulid();
    let at = await saved('registerRoom', 'onRoomSaved', 'RegisterRoomInput', {
      id: roomId,
      number: `P-${roomId.slice(-6)}`,
      capacity: 2,
      nightlyRate: 10_000,
      currency: 'EUR',
    });
    await visible(at, async () => (await totals()).rooms === before.rooms + 1);
    const rooms = await query<{ listRooms: { items: { id: string; number: string }[] } }>(
      '{ listRooms(limit: 100) { items { id number } } }',
    );
    expect(rooms.listRooms.items).toContainEqual({ id: roomId, number: `P-${roomId.slice(-6)}` });

    at = await saved('registerGuest', 'onGuestSaved', 'RegisterGuestInput', {
      id: guestId,
      name: 'Grace',
      email: `grace.${guestId.slice(-6)}@example.com`,
    });
    await visible(at, async () => (await totals()).guests === before.guests + 1);

    const reservationId = ulid();
    at = await saved('createReservation', 'onReservationSaved', 'CreateReservationInput', {
      id: reservationId,
      userId: guestId,
      roomId,
      dateStart: '2035-02-01',
      dateEnd: '2035-02-03',
    });
    await visible(at, async () => (await calendar(roomId, '2035-02-01', '2035-02-02'))[0]!.state === 'RESERVED');
    const byGuest = await query<{ listReservationsByGuest: { items: { id: string; status: string }[] } }>(
      'query ($g: ID!) { listReservationsByGuest(guestId: $g) { items { id status } } }',
      { g: guestId },
    );
    expect(byGuest.listReservationsByGuest.items).toEqual([{ id: reservationId, status: 'CONFIRMED' }]);

    at = await saved('closeRoom', 'onRoomSaved', 'CloseRoomInput', {
      id: roomId,
      dateStart: '2035-02-04',
      dateEnd: '2035-02-05',
      reason: 'paint',
    });
    await visible(at, async () => (await calendar(roomId, '2035-02-04', '2035-02-05'))[0]!.state === 'CLOSED');
    expect(await calendar(roomId, '2035-02-01', '2035-02-06')).toEqual([
      { date: '2035-02-01', state: 'RESERVED', reservationId },
      { date: '2035-02-02', state: 'RESERVED', reservationId },
      { date: '2035-02-03', state: 'FREE', reservationId: null },
      { date: '2035-02-04', state: 'CLOSED', reservationId: null },
      { date: '2035-02-05', state: 'FREE', reservationId: null },
    ]);

    const paymentId = ulid();
    await saved('authorizePayment', 'onPaymentSaved', 'AuthorizePaymentInput', {
      id: paymentId,
      reservationId,
      amount: 20_000,
      currency: 'EUR',
      cardToken: 'tok_visa',
    });
    at = await saved('capturePayment', 'onPaymentSaved', 'PaymentCommandInput', { id: paymentId });
    await visible(at, async () => (await totals()).amountCaptured === before.amountCaptured + 20_000);
    at = await saved('cancelReservation', 'onReservationSaved', 'CancelReservationInput', { id: reservationId });
    await visible(at, async () => (await calendar(roomId, '2035-02-01', '2035-02-02'))[0]!.state === 'FREE');
    expect(await totals()).toEqual({
      ...before,
      rooms: before.rooms + 1,
      guests: before.guests + 1,
      amountCaptured: before.amountCaptured + 20_000,
      currency: 'EUR',
    });
  });
});

/** The role the projections' rule calls applyStoredEvent as, from the template. */
function applyRole(): string {
  const roles = Object.values(readCoreAssembly(inject('cdkOut')).stacks[0]!.roles);
  return roles.find((role) => role.logicalId.startsWith('ProjectionsApplyRole'))!.logicalId;
}

/** Call applyStoredEvent as the rule does: signed as its role. */
async function apply(streamId: string, version: number): Promise<{ version: number; applied: number }> {
  const body = JSON.stringify({
    query: 'mutation ($input: StoredEventInput!) { applyStoredEvent(input: $input) { streamId version applied } }',
    variables: { input: { streamId, version: String(version) } },
  });
  const { host: _host, ...headers } = await signedHeaders(local.stack.credentialsFor(applyRole()), {
    host: `localhost:${local.stack.port}`,
    path: '/graphql',
    body,
  });
  const response = await fetch(local.stack.graphqlUrl, { method: 'POST', headers, body });
  const answer = (await response.json()) as { data?: { applyStoredEvent: { version: number; applied: number } }; errors?: unknown[] };
  expect(answer.errors).toBeUndefined();
  return answer.data!.applyStoredEvent;
}

describe('each stored event applied once, in stream order', () => {
  it('applies a stored event delivered 2 to 5 times once: later deliveries answer applied 0', async () => {
    const before = await totals();
    const guestId = ulid();
    const at = await saved('registerGuest', 'onGuestSaved', 'RegisterGuestInput', {
      id: guestId,
      name: 'Twice',
      email: `twice.${guestId.slice(-6)}@example.com`,
    });
    await visible(at, async () => (await totals()).guests === before.guests + 1);
    for (let delivery = 2; delivery <= 5; delivery += 1) {
      expect(await apply(`Guest#${guestId}`, 1)).toEqual({ streamId: `Guest#${guestId}`, version: 1, applied: 0 });
    }
    expect((await totals()).guests).toBe(before.guests + 1);
  });

  it('applies events delivered out of order in stream order: the later one reads the gap from the stream, the earlier one is then a no-op', async () => {
    const before = await totals();
    const roomId = ulid();
    // Hold the registration's (v1) delivery until the closure's (v2) was applied.
    let releaseFirst!: (value: 'deliver') => void;
    held.set(`Room#${roomId} v1`, { release: new Promise((resolve) => (releaseFirst = resolve)) });
    await saved('registerRoom', 'onRoomSaved', 'RegisterRoomInput', {
      id: roomId,
      number: `O-${roomId.slice(-6)}`,
      capacity: 1,
      nightlyRate: 5_000,
      currency: 'EUR',
    });
    const at = await saved('closeRoom', 'onRoomSaved', 'CloseRoomInput', {
      id: roomId,
      dateStart: '2035-03-01',
      dateEnd: '2035-03-03',
      reason: 'order',
    });
    await visible(at, async () => (await calendar(roomId, '2035-03-01', '2035-03-02'))[0]!.state === 'CLOSED');
    expect((await totals()).rooms).toBe(before.rooms + 1);
    releaseFirst('deliver');
    held.delete(`Room#${roomId} v1`);
    await local.stack.bus.idle();
    expect(await apply(`Room#${roomId}`, 1)).toEqual({ streamId: `Room#${roomId}`, version: 2, applied: 0 });
    expect((await totals()).rooms).toBe(before.rooms + 1);
    expect((await calendar(roomId, '2035-03-01', '2035-03-03')).map((night) => night.state)).toEqual(['CLOSED', 'CLOSED']);
  });

  it('fills a lost delivery from the stream when the next event of the stream arrives', async () => {
    const roomId = ulid();
    held.set(`Room#${roomId} v1`, { release: Promise.resolve('drop') });
    await saved('registerRoom', 'onRoomSaved', 'RegisterRoomInput', {
      id: roomId,
      number: `L-${roomId.slice(-6)}`,
      capacity: 1,
      nightlyRate: 5_000,
      currency: 'EUR',
    });
    const at = await saved('closeRoom', 'onRoomSaved', 'CloseRoomInput', {
      id: roomId,
      dateStart: '2035-04-01',
      dateEnd: '2035-04-02',
      reason: 'lost',
    });
    await visible(at, async () =>
      (await query<{ listRooms: { items: { id: string }[] } }>('{ listRooms(limit: 100) { items { id } } }')).listRooms.items.some(
        (room) => room.id === roomId,
      ),
    );
  });
});

describe('rebuilding the read models from the streams', () => {
  it('gives the same read models as the ones kept live', async () => {
    await local.stack.bus.idle();
    const dynamoDb = local.stack.dynamoDb.createClient();
    const [eventStoreTable, readModelTable] = [
      local.stack.tables.find((table) => table.includes('EventStore'))!,
      local.stack.tables.find((table) => table.includes('Projections'))!,
    ];
    const snapshot = async () =>
      ((await dynamoDb.send(new ScanCommand({ TableName: readModelTable, ConsistentRead: true }))).Items ?? [])
        .map((item) => unmarshall(item))
        .sort((a, b) => `${a.pk}|${a.sk}`.localeCompare(`${b.pk}|${b.sk}`));
    const live = await snapshot();
    expect(live.length).toBeGreaterThan(10);
    const report = await rebuildReadModels({
      dynamoDb,
      eventStoreTable,
      readModelTable,
      streamTypes: ['Reservation', 'Room', 'Guest', 'Payment'],
      apply: async (streamId, version) => (await apply(streamId, version)).version,
    });
    expect(report.itemsDeleted).toBe(live.length);
    expect(await snapshot()).toEqual(live);
  }, 120_000);
});
