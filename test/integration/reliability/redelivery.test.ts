/**
 * EventBridge delivers at least once: the same event may reach
 * saveReservationEvent 2–5 times, one after another or at once. Each event's
 * detail is captured as the bus hands it to the target and put on the bus
 * again (or sent as the rule's role, to read each answer): it is stored once,
 * answered with the same outcome each time (`repeat: true` after the first),
 * and subscribers, watched past every deadline, are told once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ulid } from 'ulid';
import { useLocalStack } from '../../helpers/localStack.ts';
import { signedHeaders } from '../../fixtures/sigv4Client.ts';
import { OutcomeWatch } from '../../load/outcomeWatch.ts';
import { sendCancel, sendCreate } from '../../load/commands.ts';
import { auditLocalStack, settled } from '../../load/storeAudit.ts';
import type { AppSyncTargetCall } from '../../../local/index.ts';

const TIMEOUT_SECONDS = 3;
const STORE_ROLE = 'ReservationStoreRoleDD500CBF';
const SAVE = `mutation Save($input: ReservationEventInput!) { saveReservationEvent(input: $input) { id commandId status version reason repeat reservation { status version } } }`;

interface EventDetail {
  eventId: string;
  type: string;
  aggregateId: string;
  version: number;
  commandId: string;
  [field: string]: unknown;
}

/** Every delivery the bus made to the store target, in order; the first of a command can be held or dropped. */
const deliveries: AppSyncTargetCall[] = [];
const holds = new Map<string, 'drop' | ((call: AppSyncTargetCall) => Promise<void>)>();
const local = useLocalStack({
  environment: { COMMAND_TIMEOUT_SECONDS: String(TIMEOUT_SECONDS) },
  interceptDelivery: async (call) => {
    deliveries.push(call);
    const detail = call.event.detail as EventDetail;
    const hold = detail.type === 'CommandTimedOut' ? undefined : holds.get(detail.commandId);
    if (!hold) return 'deliver';
    holds.delete(detail.commandId);
    if (hold === 'drop') return 'drop';
    await hold(call);
    return 'deliver';
  },
});

let watch: OutcomeWatch;
beforeAll(async () => {
  watch = await OutcomeWatch.connect(local.stack.realtimeUrl, local.stack.apiKey);
});
afterAll(() => watch?.close());

function commandDeliveries(commandId: string, type?: string): AppSyncTargetCall[] {
  return deliveries.filter((call) => {
    const detail = call.event.detail as EventDetail;
    return detail.commandId === commandId && (type ? detail.type === type : detail.type !== 'CommandTimedOut');
  });
}

/** Put an event on the bus again, exactly as it was delivered (same source, detail-type and detail). */
function redeliver(call: AppSyncTargetCall): void {
  const busName = local.stack.rules[0]!.split('/')[0]!;
  const result = local.stack.bus.putEvents({
    Entries: [
      {
        Source: call.event.source,
        DetailType: call.event['detail-type'],
        Detail: JSON.stringify(call.event.detail),
        EventBusName: busName,
      },
    ],
  });
  expect(result.FailedEntryCount).toBe(0);
}

/** saveReservationEvent as the rule's role, signed as an SDK would: the answer a redelivery gets. */
async function saveAsRule(detail: EventDetail): Promise<Record<string, unknown>> {
  const body = JSON.stringify({ query: SAVE, variables: { input: detail } });
  const { host: _host, ...headers } = await signedHeaders(local.stack.credentialsFor(STORE_ROLE), {
    host: `localhost:${local.stack.port}`,
    path: '/graphql',
    body,
  });
  const response = await fetch(local.stack.graphqlUrl, { method: 'POST', headers, body });
  const answer = (await response.json()) as { data?: { saveReservationEvent: Record<string, unknown> }; errors?: unknown[] };
  expect(answer.errors).toBeUndefined();
  return answer.data!.saveReservationEvent;
}

async function created(roomId: string, dateStart: string, dateEnd: string) {
  const id = ulid();
  const commandId = ulid();
  await watch.watch(id);
  const answer = await sendCreate(local.stack, { id, commandId, userId: 'u', roomId, dateStart, dateEnd });
  expect(answer.kind).toBe('accepted');
  return { id, commandId };
}

describe('a stored create whose event is delivered 2 to 5 times in all, one delivery after another', () => {
  const commands: { id: string; commandId: string; times: number }[] = [];

  beforeAll(async () => {
    for (const times of [2, 3, 4, 5]) {
      const command = await created(`room-seq-${times}`, '2032-01-10', '2032-01-12');
      expect((await watch.first(command.commandId, 10_000)).status).toBe('SAVED');
      await local.stack.bus.idle();
      const [first] = commandDeliveries(command.commandId);
      for (let again = 1; again < times; again += 1) {
        redeliver(first!);
        await local.stack.bus.idle();
      }
      commands.push({ ...command, times });
    }
    await settled(local.stack, (TIMEOUT_SECONDS + 15) * 1000);
  }, 60_000);

  it('reaches the store target as often as it was put on the bus, and every delivery succeeds', () => {
    for (const { commandId, times } of commands) expect(commandDeliveries(commandId)).toHaveLength(times);
    expect(local.stack.bus.failedDeliveries()).toEqual([]);
  });

  it('stores the event once, with its claims once', async () => {
    const stored = await auditLocalStack(local.stack);
    expect(stored.problems).toEqual([]);
    for (const { id, commandId, times } of commands) {
      expect(stored.streams.get(id)!.map((event) => [event.version, event.type, event.commandId])).toEqual([
        [1, 'ReservationCreated', commandId],
      ]);
      expect(
        [...stored.claims.values()]
          .filter((claim) => claim.key.startsWith(`RoomNight#room-seq-${times}#`))
          .map((claim) => claim.aggregateId),
      ).toEqual([id, id]);
    }
  });

  it('tells subscribers once: SAVED, version 1, not a repeat', () => {
    for (const { commandId } of commands)
      expect(watch.messagesOf(commandId).map(({ status, version, repeat }) => ({ status, version, repeat }))).toEqual([
        { status: 'SAVED', version: 1, repeat: false },
      ]);
  });
});

describe('the same event answered to the rule’s role five times', () => {
  it('answers SAVED at version 1 each time, with the same reservation, repeat after the first; one event stored; one message', async () => {
    const command = { id: ulid(), commandId: ulid() };
    await watch.watch(command.id);
    // Take the bus's delivery away: this test is the only deliverer.
    holds.set(command.commandId, 'drop');
    expect(
      (await sendCreate(local.stack, { ...command, userId: 'u', roomId: 'room-signed', dateStart: '2032-02-01', dateEnd: '2032-02-03' }))
        .kind,
    ).toBe('accepted');
    await local.stack.bus.idle();
    const [first] = commandDeliveries(command.commandId);
    const answers = [];
    for (let time = 1; time <= 5; time += 1) answers.push(await saveAsRule(first!.event.detail as EventDetail));
    const expected = {
      id: command.id,
      commandId: command.commandId,
      status: 'SAVED',
      version: 1,
      reason: null,
      reservation: { status: 'CONFIRMED', version: 1 },
    };
    expect(answers).toEqual([{ ...expected, repeat: false }, ...Array.from({ length: 4 }, () => ({ ...expected, repeat: true }))]);
    await settled(local.stack, (TIMEOUT_SECONDS + 15) * 1000);
    expect(watch.messagesOf(command.commandId).map(({ status, repeat }) => [status, repeat])).toEqual([['SAVED', false]]);
    expect((await auditLocalStack(local.stack)).eventsByCommand.get(command.commandId)).toHaveLength(1);
  });
});

describe('an event delivered five times at once (the first delivery racing four copies)', () => {
  it('is stored once and told once, whichever copy wins; every copy is delivered without a failed delivery', async () => {
    const id = ulid();
    const commandId = ulid();
    await watch.watch(id);
    holds.set(commandId, async (call) => {
      for (let copy = 0; copy < 4; copy += 1) redeliver(call);
    });
    expect(
      (await sendCreate(local.stack, { id, commandId, userId: 'u', roomId: 'room-burst', dateStart: '2032-03-01', dateEnd: '2032-03-04' }))
        .kind,
    ).toBe('accepted');
    expect((await watch.first(commandId, 10_000)).status).toBe('SAVED');
    await settled(local.stack, (TIMEOUT_SECONDS + 15) * 1000);
    expect(new Set(commandDeliveries(commandId).map((call) => call.event.id)).size).toBe(5);
    expect(local.stack.bus.failedDeliveries()).toEqual([]);
    expect(watch.messagesOf(commandId).map(({ status, version }) => [status, version])).toEqual([['SAVED', 1]]);
    const stored = await auditLocalStack(local.stack);
    expect(stored.problems).toEqual([]);
    expect(stored.eventsByCommand.get(commandId)!.map((event) => event.version)).toEqual([1]);
  });
});

describe('a cancel redelivered after another reservation took the nights it released', () => {
  it('answers SAVED version 2 as a repeat each time, releases nothing of the newcomer’s, stores nothing more', async () => {
    const first = await created('room-released', '2032-04-01', '2032-04-03');
    expect((await watch.first(first.commandId, 10_000)).status).toBe('SAVED');
    const cancelCommandId = ulid();
    expect((await sendCancel(local.stack, { id: first.id, commandId: cancelCommandId, reason: 'changed plans' })).kind).toBe('accepted');
    expect((await watch.first(cancelCommandId, 10_000)).status).toBe('SAVED');
    const newcomer = await created('room-released', '2032-04-01', '2032-04-03');
    expect((await watch.first(newcomer.commandId, 10_000)).status).toBe('SAVED');
    await local.stack.bus.idle();

    const [cancelDelivery] = commandDeliveries(cancelCommandId);
    for (let again = 0; again < 3; again += 1) redeliver(cancelDelivery!);
    const answers = [];
    for (let again = 0; again < 2; again += 1) answers.push(await saveAsRule(cancelDelivery!.event.detail as EventDetail));
    expect(answers.map(({ status, version, repeat }) => ({ status, version, repeat }))).toEqual([
      { status: 'SAVED', version: 2, repeat: true },
      { status: 'SAVED', version: 2, repeat: true },
    ]);
    await settled(local.stack, (TIMEOUT_SECONDS + 15) * 1000);
    expect(local.stack.bus.failedDeliveries()).toEqual([]);
    expect(watch.messagesOf(cancelCommandId)).toHaveLength(1);
    const stored = await auditLocalStack(local.stack);
    expect(stored.problems).toEqual([]);
    expect(stored.streams.get(first.id)!.map((event) => event.type)).toEqual(['ReservationCreated', 'ReservationCancelled']);
    expect(
      [...stored.claims.values()].filter((claim) => claim.key.startsWith('RoomNight#room-released#')).map((claim) => claim.aggregateId),
    ).toEqual([newcomer.id, newcomer.id]);
  });
});

describe('a timed-out command whose tombstone and late event are both delivered again', () => {
  it('keeps the tombstone alone in the slot, answers TIMED_OUT as a repeat, and tells subscribers once', async () => {
    const id = ulid();
    const commandId = ulid();
    await watch.watch(id);
    holds.set(commandId, 'drop');
    expect(
      (await sendCreate(local.stack, { id, commandId, userId: 'u', roomId: 'room-tomb', dateStart: '2032-05-01', dateEnd: '2032-05-02' }))
        .kind,
    ).toBe('accepted');
    expect((await watch.first(commandId, 10_000)).status).toBe('TIMED_OUT');
    await local.stack.bus.idle();
    const [tombstone] = commandDeliveries(commandId, 'CommandTimedOut');
    const [lost] = commandDeliveries(commandId);
    for (let again = 0; again < 3; again += 1) redeliver(tombstone!);
    for (let again = 0; again < 2; again += 1) redeliver(lost!);
    const answers = [await saveAsRule(tombstone!.event.detail as EventDetail), await saveAsRule(lost!.event.detail as EventDetail)];
    expect(answers.map(({ status, repeat }) => [status, repeat])).toEqual([
      ['TIMED_OUT', true],
      ['TIMED_OUT', true],
    ]);
    await settled(local.stack, (TIMEOUT_SECONDS + 15) * 1000);
    expect(watch.messagesOf(commandId).map(({ status }) => status)).toEqual(['TIMED_OUT']);
    const stored = await auditLocalStack(local.stack);
    expect(stored.problems).toEqual([]);
    expect(stored.streams.get(id)!.map((event) => [event.version, event.type])).toEqual([[1, 'CommandTimedOut']]);
    expect([...stored.claims.keys()].filter((key) => key.startsWith('RoomNight#room-tomb#'))).toEqual([]);
  });
});

describe('a REJECTED event delivered again', () => {
  it('answers REJECTED with the same reason each time, repeat after the first; stores no event; subscribers hear it once', async () => {
    const winner = await created('room-rej', '2032-06-01', '2032-06-02');
    expect((await watch.first(winner.commandId, 10_000)).status).toBe('SAVED');
    // A rival for the same id, decided before the winner was stored: build it from the winner's event.
    await local.stack.bus.idle();
    const [won] = commandDeliveries(winner.commandId);
    const rivalCommandId = ulid();
    const rival = {
      ...(won!.event.detail as EventDetail),
      eventId: ulid(),
      commandId: rivalCommandId,
      correlationId: rivalCommandId,
      causationId: rivalCommandId,
    };
    const answers = [];
    for (let time = 0; time < 3; time += 1) answers.push(await saveAsRule(rival));
    const reason = `Version conflict: version 1 of ${winner.id} was stored by command ${winner.commandId} first. Reload and send the command again.`;
    expect(answers.map(({ status, reason: said, repeat }) => ({ status, reason: said, repeat }))).toEqual(
      [false, true, true].map((repeat) => ({ status: 'REJECTED', reason, repeat })),
    );
    await settled(local.stack, (TIMEOUT_SECONDS + 15) * 1000);
    expect(watch.messagesOf(rivalCommandId).map(({ status, reason: said }) => [status, said])).toEqual([['REJECTED', reason]]);
    expect((await auditLocalStack(local.stack)).eventsByCommand.get(rivalCommandId)).toBeUndefined();
  });
});
