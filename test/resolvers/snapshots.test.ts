/**
 * Snapshots, the deployed code run by the APPSYNC_JS engine against DynamoDB
 * Local: a snapshot item at `v + 0.5` for every event at a multiple of
 * SNAPSHOT_INTERVAL, written in the event's transaction; readers fold from the
 * newest one and read at most SNAPSHOT_INTERVAL + 1 items; history never shows
 * them; a stream without a usable snapshot is still read whole.
 *
 * A reservation has at most two real events, so long streams are built the way
 * the store would see them: a create at version 1, then timeout tombstones.
 */
import { describe, expect, it } from 'vitest';
import { ulid } from 'ulid';
import { useTemplateResolvers } from '../helpers/templateResolvers.ts';
import type { ReservationEventInput } from '../../schema/generated/types.ts';
import { SNAPSHOT_INTERVAL } from '../../functions/eventStore/snapshot.ts';
import { fold } from '../helpers/decider.ts';
import type { ReservationEvent } from '../../functions/reservation/events.ts';
import { RESERVATION_STATE_VERSION, toReservation } from '../../functions/reservation/state.ts';

const store = useTemplateResolvers();

/** The store mutation's input as the bus sends it: AWSJSON as JSON text. */
type EventInput = ReservationEventInput & { data: string; snapshot?: string };

const stay = { dateStart: '2034-03-01', dateEnd: '2034-03-03' };

function eventAt(aggregateId: string, version: number, type: EventInput['type'], data: unknown): EventInput {
  const commandId = ulid();
  return {
    eventId: ulid(),
    type,
    aggregateId,
    version,
    occurredAt: new Date(Date.UTC(2034, 0, 1, 0, 0, version)).toISOString(),
    commandId,
    correlationId: commandId,
    causationId: commandId,
    actor: 'apiKey',
    schemaVersion: 1,
    data: JSON.stringify(data),
  };
}

/** The stream's events: a create of `roomId` at version 1 (unless `roomId` is null), tombstones after. */
function streamInputs(aggregateId: string, size: number, roomId: string | null): EventInput[] {
  return Array.from({ length: size }, (_, index) =>
    index === 0 && roomId !== null
      ? eventAt(aggregateId, 1, 'ReservationCreated', { userId: 'user-1', roomId, ...stay })
      : eventAt(aggregateId, index + 1, 'CommandTimedOut', { reason: 'not stored within 10 s' }),
  );
}

function asDomainEvent(input: EventInput): ReservationEvent {
  return { ...input, data: JSON.parse(input.data) } as ReservationEvent;
}

/** The snapshot input the command side would attach to the event at `version`: the state after it. */
function snapshotAfter(inputs: EventInput[], version: number, schemaVersion = RESERVATION_STATE_VERSION): string {
  return JSON.stringify({ schemaVersion, state: fold(inputs.slice(0, version).map(asDomainEvent)) });
}

const save = (input: EventInput) => store.call('Mutation.saveReservationEvent', { input }, { asStoreRule: true });

/** Saves every input in order, with a snapshot on each multiple of SNAPSHOT_INTERVAL when `withSnapshots`. */
async function storeStream(inputs: EventInput[], withSnapshots: boolean) {
  let last;
  for (const input of inputs) {
    const carries = withSnapshots && input.version % SNAPSHOT_INTERVAL === 0;
    last = await save(carries ? { ...input, snapshot: snapshotAfter(inputs, input.version) } : input);
    expect(last.errors).toEqual([]);
    // A stored tombstone answers its command TIMED_OUT.
    expect(last.data).toMatchObject(
      input.type === 'CommandTimedOut' ? { status: 'TIMED_OUT', repeat: false } : { status: 'SAVED', version: input.version },
    );
  }
  return last!;
}

async function streamItems(aggregateId: string) {
  return (await store.items())
    .filter((item) => item.streamId === `Reservation#${aggregateId}`)
    .sort((a, b) => Number(a.version) - Number(b.version));
}

function readsOf(from: number) {
  return store.tableCalls
    .slice(from)
    .filter((call) => call.functionName === 'loadStreamTail' || call.functionName === 'loadStreamFromStart');
}

describe('a stream of 250 events stored with snapshots', () => {
  const id = ulid();
  const inputs = streamInputs(id, 250, 'room-snap');
  const expected = toReservation(fold(inputs.map(asDomainEvent)));

  it('stores a snapshot item at 100.5 and 200.5, in the same write as the event', async () => {
    await storeStream(inputs, true);
    const items = await streamItems(id);
    expect(items).toHaveLength(252);
    const snapshots = items.filter((item) => item.kind === 'Snapshot');
    expect(snapshots.map((item) => item.version)).toEqual([100.5, 200.5]);
    expect(snapshots[0]).toMatchObject({
      snapshotOf: 100,
      schemaVersion: RESERVATION_STATE_VERSION,
      state: JSON.parse(snapshotAfter(inputs, 100)).state,
    });
    expect(snapshots[1]).toMatchObject({ snapshotOf: 200, state: { status: 'CONFIRMED', version: 200, roomId: 'room-snap' } });
    // Only the snapshot: the event items carry no snapshot field.
    expect(items.filter((item) => 'snapshot' in item)).toEqual([]);
  }, 120_000);

  it('getReservation folds from the newest snapshot, reading one Query of at most SNAPSHOT_INTERVAL + 1 items', async () => {
    const from = store.tableCalls.length;
    const { data, errors } = await store.call('Query.getReservation', { id });
    expect(errors).toEqual([]);
    expect(data).toEqual(expected);
    const reads = readsOf(from);
    expect(reads).toEqual([{ operation: 'Query', functionName: 'loadStreamTail', items: SNAPSHOT_INTERVAL + 1 }]);
    expect(reads[0]!.items).toBeLessThanOrEqual(SNAPSHOT_INTERVAL + 1);
  });

  it('getReservationHistory answers exactly the 250 events, oldest first, no snapshot item', async () => {
    const { data, errors } = await store.call('Query.getReservationHistory', { id });
    expect(errors).toEqual([]);
    const history = data as { version: number; eventId: string }[];
    expect(history.map((event) => event.version)).toEqual(inputs.map((input) => input.version));
    expect(history.map((event) => event.eventId)).toEqual(inputs.map((input) => input.eventId));
  });

  it('a redelivered old event is answered with the reservation as it was at its version, not from a newer snapshot', async () => {
    const { data, errors } = await save(inputs[0]!);
    expect(errors).toEqual([]);
    expect(data).toMatchObject({ status: 'SAVED', version: 1, repeat: true });
    expect((data as { reservation: { version: number } }).reservation).toEqual(toReservation(fold(inputs.slice(0, 1).map(asDomainEvent))));
  });

  it('a command on the long stream decides at the next version from the snapshot, and the store folds its SAVED answer from it', async () => {
    store.published.length = 0;
    const { errors } = await store.call('Mutation.cancelReservation', { input: { id, reason: 'long stream' } });
    expect(errors).toEqual([]);
    expect(store.published).toHaveLength(1);
    const detail = store.published[0]!.detail as unknown as EventInput;
    expect(detail).toMatchObject({ type: 'ReservationCancelled', version: 251 });
    expect(detail.snapshot).toBeUndefined();
    const from = store.tableCalls.length;
    const { data } = await save(detail);
    expect(data).toMatchObject({
      status: 'SAVED',
      version: 251,
      reservation: { ...expected, status: 'CANCELLED', version: 251, cancellationReason: 'long stream', updatedAt: detail.occurredAt },
    });
    expect(readsOf(from)).toEqual([{ operation: 'Query', functionName: 'loadStreamTail', items: SNAPSHOT_INTERVAL + 1 }]);
  });
});

describe('a stream without a usable snapshot', () => {
  it('stored before snapshots (150 events, none) is read whole: correct, in two Queries', async () => {
    const id = ulid();
    const inputs = streamInputs(id, 150, 'room-legacy');
    await storeStream(inputs, false);
    const from = store.tableCalls.length;
    const { data, errors } = await store.call('Query.getReservation', { id });
    expect(errors).toEqual([]);
    expect(data).toEqual(toReservation(fold(inputs.map(asDomainEvent))));
    expect(readsOf(from).map((read) => read.items)).toEqual([SNAPSHOT_INTERVAL + 1, 150]);
  }, 60_000);

  it('a snapshot of another state version is ignored', async () => {
    const id = ulid();
    const inputs = streamInputs(id, 120, 'room-old-shape');
    for (const input of inputs) {
      const snapshot =
        input.version === 100
          ? JSON.stringify({ schemaVersion: RESERVATION_STATE_VERSION + 1, state: { status: 'NONE', version: 100 } })
          : undefined;
      const { errors } = await save(snapshot ? { ...input, snapshot } : input);
      expect(errors).toEqual([]);
    }
    expect((await streamItems(id)).filter((item) => item.kind === 'Snapshot')).toHaveLength(1);
    const { data } = await store.call('Query.getReservation', { id });
    expect(data).toMatchObject({ status: 'CONFIRMED', roomId: 'room-old-shape', version: 120 });
    const { data: history } = await store.call('Query.getReservationHistory', { id });
    expect((history as unknown[]).length).toBe(120);
  }, 60_000);
});

describe('decideCommand', () => {
  it('attaches the state after the event exactly when its version is a multiple of SNAPSHOT_INTERVAL, and the store keeps it', async () => {
    const id = ulid();
    const inputs = streamInputs(id, 98, 'room-decide');
    await storeStream(inputs, false);

    // Version 99: no snapshot.
    store.published.length = 0;
    expect((await store.call('Mutation.cancelReservation', { input: { id, reason: 'first try' } })).errors).toEqual([]);
    expect(store.published[0]!.detail).toMatchObject({ version: 99 });
    expect(store.published[0]!.detail.snapshot).toBeUndefined();
    // Its timeout wins the slot instead: the stream now holds 99 events.
    const tombstone = eventAt(id, 99, 'CommandTimedOut', { reason: 'not stored within 10 s' });
    expect((await save(tombstone)).data).toMatchObject({ status: 'TIMED_OUT' });

    // Version 100: the cancelled state, as the store's fold will see it.
    store.published.length = 0;
    expect((await store.call('Mutation.cancelReservation', { input: { id, reason: 'second try' } })).errors).toEqual([]);
    const detail = store.published[0]!.detail as unknown as EventInput;
    expect(detail).toMatchObject({ type: 'ReservationCancelled', version: 100 });
    const snapshot = JSON.parse(detail.snapshot!) as { schemaVersion: number; state: Record<string, unknown> };
    expect(snapshot).toEqual({
      schemaVersion: RESERVATION_STATE_VERSION,
      state: {
        ...fold([...inputs, tombstone].map(asDomainEvent)),
        status: 'CANCELLED',
        version: 100,
        updatedAt: detail.occurredAt,
        cancellationReason: 'second try',
      },
    });

    // The bus delivers the detail as it is: the cancel, its released nights and the snapshot in one transaction.
    const { data, errors } = await save(detail);
    expect(errors).toEqual([]);
    expect(data).toMatchObject({ status: 'SAVED', version: 100, reservation: { status: 'CANCELLED', version: 100 } });
    const items = await streamItems(id);
    expect(items.at(-1)).toMatchObject({ version: 100.5, kind: 'Snapshot', snapshotOf: 100, state: snapshot.state });
    expect(await store.call('Query.getReservation', { id })).toMatchObject({
      data: { status: 'CANCELLED', version: 100, cancellationReason: 'second try' },
    });
  }, 60_000);
});

describe('appendEvent with a snapshot', () => {
  it('names the taken room nights right (the snapshot put shifts the claims in the transaction) and writes no snapshot', async () => {
    const holder = ulid();
    expect((await save(eventAt(holder, 1, 'ReservationCreated', { userId: 'user-2', roomId: 'room-held', ...stay }))).data).toMatchObject({
      status: 'SAVED',
    });

    const id = ulid();
    const inputs = streamInputs(id, 99, null);
    await storeStream(inputs, false);
    const create = eventAt(id, 100, 'ReservationCreated', { userId: 'user-1', roomId: 'room-held', ...stay });
    const { data, errors } = await save({ ...create, snapshot: snapshotAfter([...inputs, create], 100) });
    expect(errors).toEqual([]);
    expect(data).toMatchObject({ status: 'REJECTED', version: null });
    expect((data as { reason: string }).reason).toContain(
      'Already held by another stream: RoomNight#room-held#2034-03-01, RoomNight#room-held#2034-03-02.',
    );
    const items = await streamItems(id);
    expect(items).toHaveLength(99);
    expect(items.filter((item) => item.kind === 'Snapshot')).toEqual([]);
  }, 60_000);

  it('answers a slot taken by another command as a conflict, the snapshot not written', async () => {
    const id = ulid();
    const inputs = streamInputs(id, 100, 'room-race');
    await storeStream(inputs, true);
    const rival = eventAt(id, 100, 'ReservationCancelled', { roomId: 'room-race', ...stay, reason: 'rival' });
    const { data } = await save({ ...rival, snapshot: snapshotAfter([...inputs.slice(0, 99), rival], 100) });
    expect(data).toMatchObject({ status: 'REJECTED', repeat: false });
    expect((data as { reason: string }).reason).toContain('Version conflict: version 100');
    const snapshots = (await streamItems(id)).filter((item) => item.kind === 'Snapshot');
    expect(snapshots).toHaveLength(1);
    expect(snapshots[0]).toMatchObject({ snapshotOf: 100, state: JSON.parse(snapshotAfter(inputs, 100)).state });
  }, 60_000);
});
