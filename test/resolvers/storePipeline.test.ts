/**
 * Mutation.saveReservationEvent, the deployed code run by the APPSYNC_JS
 * engine against DynamoDB Local: what it answers and what it leaves stored,
 * for a first store, a redelivery, a conflict, a taken room night, a cancel,
 * and a timeout's tombstone racing its command.
 */
import { describe, expect, it } from 'vitest';
import { ulid } from 'ulid';
import { useTemplateResolvers } from '../helpers/templateResolvers.ts';
import type { ReservationEventInput } from '../../schema/generated/types.ts';

const store = useTemplateResolvers();

/** The store mutation's input as the bus sends it: AWSJSON as JSON text. */
type EventInput = ReservationEventInput & { data: string };

function createdEvent(
  aggregateId: string,
  roomId: string,
  overrides: Partial<EventInput> = {},
  stay = { dateStart: '2033-02-01', dateEnd: '2033-02-03' },
): EventInput {
  const commandId = overrides.commandId ?? ulid();
  return {
    eventId: ulid(),
    type: 'ReservationCreated',
    aggregateId,
    version: 1,
    occurredAt: '2033-01-01T10:00:00.000Z',
    commandId,
    correlationId: commandId,
    causationId: commandId,
    actor: 'apiKey',
    schemaVersion: 1,
    data: JSON.stringify({ userId: 'user-1', roomId, ...stay }),
    ...overrides,
  };
}

function cancelledEvent(created: EventInput, overrides: Partial<EventInput> = {}): EventInput {
  const { roomId, dateStart, dateEnd } = JSON.parse(created.data) as { roomId: string; dateStart: string; dateEnd: string };
  const commandId = ulid();
  return {
    ...created,
    eventId: ulid(),
    type: 'ReservationCancelled',
    version: 2,
    commandId,
    correlationId: commandId,
    causationId: commandId,
    data: JSON.stringify({ roomId, dateStart, dateEnd, reason: 'plans changed' }),
    ...overrides,
  };
}

function tombstoneFor(event: EventInput): EventInput {
  return {
    ...event,
    eventId: ulid(),
    type: 'CommandTimedOut',
    actor: 'timeout',
    data: JSON.stringify({ reason: 'not stored within 10 s' }),
  };
}

const save = (input: EventInput) => store.call('Mutation.saveReservationEvent', { input }, { asStoreRule: true });

async function streamOf(aggregateId: string) {
  return (await store.items())
    .filter((item) => item.streamId === `Reservation#${aggregateId}`)
    .sort((a, b) => Number(a.version) - Number(b.version));
}

async function claimsOf(roomId: string) {
  return (await store.items()).filter((item) => String(item.streamId).startsWith(`RoomNight#${roomId}#`));
}

describe('an empty stream', () => {
  it('stores a create at version 1 and answers SAVED with the folded reservation', async () => {
    const id = ulid();
    const event = createdEvent(id, 'room-a');
    const { data, errors } = await save(event);
    expect(errors).toEqual([]);
    expect(data).toMatchObject({ id, commandId: event.commandId, status: 'SAVED', version: 1, reason: null, repeat: false });
    expect((data as { reservation: unknown }).reservation).toMatchObject({
      id,
      roomId: 'room-a',
      status: 'CONFIRMED',
      version: 1,
      dateStart: '2033-02-01',
      dateEnd: '2033-02-03',
    });
    const stream = await streamOf(id);
    expect(stream).toHaveLength(1);
    expect(stream[0]).toMatchObject({
      version: 1,
      type: 'ReservationCreated',
      commandId: event.commandId,
      eventId: event.eventId,
      data: { roomId: 'room-a' },
    });
    expect(stream[0]!.storedAt).toEqual(expect.any(String));
  });

  it('claims one room night per night of the stay, in the same write', async () => {
    const id = ulid();
    await save(createdEvent(id, 'room-b'));
    const claims = await claimsOf('room-b');
    expect(claims.map((claim) => claim.streamId).sort()).toEqual(['RoomNight#room-b#2033-02-01', 'RoomNight#room-b#2033-02-02']);
    expect(claims.every((claim) => claim.aggregateId === id)).toBe(true);
  });
});

describe('a stream holding its create', () => {
  it('answers a redelivered event with its first outcome, marked repeat, and stores nothing new', async () => {
    const id = ulid();
    const event = createdEvent(id, 'room-c');
    await save(event);
    for (let delivery = 2; delivery <= 4; delivery += 1) {
      const { data, errors } = await save(event);
      expect(errors).toEqual([]);
      expect(data).toMatchObject({ status: 'SAVED', version: 1, repeat: true, commandId: event.commandId });
    }
    expect(await streamOf(id)).toHaveLength(1);
  });

  it('rejects another command’s event for the same version, and keeps the first', async () => {
    const id = ulid();
    const first = createdEvent(id, 'room-d');
    await save(first);
    const rival = createdEvent(id, 'room-d2');
    const { data, errors } = await save(rival);
    expect(errors).toEqual([]);
    expect(data).toMatchObject({ status: 'REJECTED', version: null, repeat: false, commandId: rival.commandId });
    expect((data as { reason: string }).reason).toMatch(/^Version conflict: version 1 of .* was stored by command .* first/);
    const stream = await streamOf(id);
    expect(stream.map((item) => item.commandId)).toEqual([first.commandId]);
    expect(await claimsOf('room-d2')).toEqual([]);
  });

  it('rejects a create in another stream for a night already held, writing neither event nor claim', async () => {
    await save(createdEvent(ulid(), 'room-e'));
    const other = ulid();
    const overlapping = createdEvent(other, 'room-e', {}, { dateStart: '2033-02-02', dateEnd: '2033-02-04' });
    const { data } = await save(overlapping);
    expect(data).toMatchObject({ status: 'REJECTED', repeat: false });
    expect((data as { reason: string }).reason).toContain('RoomNight#room-e#2033-02-02');
    expect(await streamOf(other)).toEqual([]);
    expect((await claimsOf('room-e')).map((claim) => claim.streamId).sort()).toEqual([
      'RoomNight#room-e#2033-02-01',
      'RoomNight#room-e#2033-02-02',
    ]);
  });

  it('stores a cancel at version 2, folds it, and releases the room nights for others', async () => {
    const id = ulid();
    const created = createdEvent(id, 'room-f');
    await save(created);
    const { data } = await save(cancelledEvent(created));
    expect(data).toMatchObject({ status: 'SAVED', version: 2, repeat: false });
    expect((data as { reservation: unknown }).reservation).toMatchObject({
      status: 'CANCELLED',
      version: 2,
      cancellationReason: 'plans changed',
    });
    expect(await claimsOf('room-f')).toEqual([]);
    const next = await save(createdEvent(ulid(), 'room-f'));
    expect(next.data).toMatchObject({ status: 'SAVED', version: 1 });
  });
});

describe('a command racing its timeout', () => {
  it('lets the tombstone take the slot when it comes first: TIMED_OUT, and the late event is refused', async () => {
    const id = ulid();
    const event = createdEvent(id, 'room-g');
    const timedOut = await save(tombstoneFor(event));
    expect(timedOut.data).toMatchObject({ status: 'TIMED_OUT', version: null, repeat: false, commandId: event.commandId });
    const late = await save(event);
    expect(late.data).toMatchObject({ status: 'TIMED_OUT', repeat: true });
    const stream = await streamOf(id);
    expect(stream.map((item) => item.type)).toEqual(['CommandTimedOut']);
    expect(await claimsOf('room-g')).toEqual([]);
  });

  it('answers a tombstone that comes after the store with the stored outcome, marked repeat', async () => {
    const id = ulid();
    const event = createdEvent(id, 'room-h');
    await save(event);
    const { data } = await save(tombstoneFor(event));
    expect(data).toMatchObject({ status: 'SAVED', version: 1, repeat: true });
    expect((await streamOf(id)).map((item) => item.type)).toEqual(['ReservationCreated']);
  });

  it('folds a stream whose first slot holds a tombstone into no reservation', async () => {
    const id = ulid();
    await save(tombstoneFor(createdEvent(id, 'room-i')));
    const { data, errors } = await store.call('Query.getReservation', { id });
    expect(errors).toEqual([]);
    expect(data).toBeNull();
    const history = await store.call('Query.getReservationHistory', { id });
    expect((history.data as { type: string; version: number }[]).map((event) => [event.type, event.version])).toEqual([
      ['CommandTimedOut', 1],
    ]);
  });
});

describe('a command answered REJECTED', () => {
  it('is answered REJECTED again, as a repeat, when its event is delivered again', async () => {
    await save(createdEvent(ulid(), 'room-j'));
    const loser = createdEvent(ulid(), 'room-j');
    expect((await save(loser)).data).toMatchObject({ status: 'REJECTED', repeat: false });
    expect((await save(loser)).data).toMatchObject({ status: 'REJECTED', repeat: true });
  });

  it('is not answered TIMED_OUT when its timeout fires: the tombstone finds the recorded answer', async () => {
    await save(createdEvent(ulid(), 'room-k'));
    const loserId = ulid();
    const loser = createdEvent(loserId, 'room-k');
    await save(loser);
    const timeout = await save(tombstoneFor(loser));
    expect(timeout.data).toMatchObject({ status: 'REJECTED', repeat: true, commandId: loser.commandId });
    expect(await streamOf(loserId)).toEqual([]);
  });

  it('stays REJECTED when its nights are freed later and its event comes again: nothing is stored', async () => {
    const winnerId = ulid();
    const winner = createdEvent(winnerId, 'room-l');
    await save(winner);
    const loserId = ulid();
    const loser = createdEvent(loserId, 'room-l');
    await save(loser);
    await save(cancelledEvent(winner));
    expect(await claimsOf('room-l')).toEqual([]);
    expect((await save(loser)).data).toMatchObject({ status: 'REJECTED', repeat: true });
    expect(await streamOf(loserId)).toEqual([]);
    expect(await claimsOf('room-l')).toEqual([]);
  });

  it('after a version conflict, is answered REJECTED again by its timeout', async () => {
    const id = ulid();
    await save(createdEvent(id, 'room-m'));
    const rival = createdEvent(id, 'room-m2');
    expect((await save(rival)).data).toMatchObject({ status: 'REJECTED', repeat: false });
    expect((await save(tombstoneFor(rival))).data).toMatchObject({ status: 'REJECTED', repeat: true });
  });
});

describe('a command whose timeout finds another command in its slot', () => {
  it('is answered TIMED_OUT first, and its late event gets TIMED_OUT again as a repeat', async () => {
    const id = ulid();
    const winner = createdEvent(id, 'room-n');
    await save(winner);
    const late = cancelledEvent(winner, { version: 1 });
    expect((await save(tombstoneFor(late))).data).toMatchObject({ status: 'TIMED_OUT', repeat: false, commandId: late.commandId });
    expect((await save(late)).data).toMatchObject({ status: 'TIMED_OUT', repeat: true });
    expect((await streamOf(id)).map((item) => item.commandId)).toEqual([winner.commandId]);
  });
});

describe('a store that cannot be reached', () => {
  it('answers an error (never REJECTED) so the bus retries, and no subscriber is told anything', async () => {
    const id = ulid();
    await store.db.stop();
    const { data, errors } = await save(createdEvent(id, 'room-z'));
    expect(data).toBeNull();
    expect(errors[0]).toMatchObject({ errorType: 'EventStoreUnavailable' });
    expect(errors[0]!.message).toMatch(/^Could not append to the event store/);
  });
});
