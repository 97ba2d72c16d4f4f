/**
 * 50 commands at once on one conflict, against the local stack: exactly one
 * winner, every other command REJECTED at store time or refused at once with
 * a named rule, versions gapless, claims matching the stored reservations,
 * and, once every deadline has passed (COMMAND_TIMEOUT_SECONDS=5: short, so a
 * late tombstone would show, yet long enough that 50 racing stores on a busy
 * 2-core machine finish first), the messages each command got on onReservationSaved.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ulid } from 'ulid';
import { useLocalStack } from '../../helpers/localStack.ts';
import { OutcomeWatch } from '../../load/outcomeWatch.ts';
import { sendCancel, sendCreate, type CommandAnswer } from '../../load/commands.ts';
import { auditLocalStack, settled } from '../../load/storeAudit.ts';

const TIMEOUT_SECONDS = 5;
const CONCURRENT = 50;
const local = useLocalStack({ environment: { COMMAND_TIMEOUT_SECONDS: String(TIMEOUT_SECONDS) } });

let watch: OutcomeWatch;
/** One line per conflict for the report: how the 50 commands were resolved. */
const figures: string[] = [];
beforeAll(async () => {
  watch = await OutcomeWatch.connect(local.stack.realtimeUrl, local.stack.apiKey);
});
afterAll(() => {
  watch?.close();
  console.info(`concurrency figures:\n${figures.join('\n')}`);
});

interface Race {
  answers: { commandId: string; answer: CommandAnswer }[];
  accepted: string[];
  refused: { commandId: string; rules: string[] }[];
}

/** Fire all at once (no await between sends), then wait for every first message. */
async function race(send: (commandId: string, index: number) => Promise<CommandAnswer>): Promise<Race> {
  const commandIds = Array.from({ length: CONCURRENT }, () => ulid());
  const answers = await Promise.all(commandIds.map(async (commandId, index) => ({ commandId, answer: await send(commandId, index) })));
  const accepted = answers.filter(({ answer }) => answer.kind === 'accepted').map(({ commandId }) => commandId);
  const refused = answers.flatMap(({ commandId, answer }) => (answer.kind === 'refused' ? [{ commandId, rules: answer.rules }] : []));
  await Promise.all(accepted.map((commandId) => watch.first(commandId, 15_000)));
  return { answers, accepted, refused };
}

function firstOutcomes(commandIds: string[]) {
  return commandIds.map((commandId) => watch.messagesOf(commandId)[0]!);
}

function expectOneMessageEach(result: Race, conflict: string): void {
  const statuses = result.accepted.flatMap((commandId) => watch.messagesOf(commandId).map((message) => message.status));
  figures.push(
    `${conflict}: ${result.accepted.length} accepted (${statuses.filter((status) => status === 'SAVED').length} SAVED, ${statuses.filter((status) => status === 'REJECTED').length} REJECTED, ${statuses.filter((status) => status === 'TIMED_OUT').length} TIMED_OUT), ${result.refused.length} refused, ${statuses.length} messages`,
  );
  for (const { commandId } of result.refused) expect(watch.messagesOf(commandId)).toEqual([]);
  const notOne = result.accepted
    .map((commandId) => ({ commandId, statuses: watch.messagesOf(commandId).map((message) => message.status) }))
    .filter(({ statuses }) => statuses.length !== 1);
  expect(notOne).toEqual([]);
}

describe('50 concurrent cancels of one reservation', () => {
  const id = ulid();
  let result: Race;
  let createCommandId: string;

  beforeAll(async () => {
    await watch.watch(id);
    createCommandId = ulid();
    await sendCreate(local.stack, {
      id,
      commandId: createCommandId,
      userId: 'u',
      roomId: 'room-cancel',
      dateStart: '2031-05-01',
      dateEnd: '2031-05-04',
    });
    expect((await watch.first(createCommandId, 10_000)).status).toBe('SAVED');
    result = await race((commandId) => sendCancel(local.stack, { id, commandId, reason: 'race' }));
    await settled(local.stack, (TIMEOUT_SECONDS + 15) * 1000);
  }, 60_000);

  it('stores exactly one cancel at version 2: one SAVED, every other accepted cancel REJECTED as a version conflict, the rest refused as already cancelled', async () => {
    expect(result.answers.filter(({ answer }) => answer.kind === 'failed')).toEqual([]);
    expect(result.accepted.length + result.refused.length).toBe(CONCURRENT);
    const outcomes = firstOutcomes(result.accepted);
    const saved = outcomes.filter((outcome) => outcome.status === 'SAVED');
    expect(saved).toHaveLength(1);
    expect(saved[0]).toMatchObject({ version: 2, repeat: false });
    for (const outcome of outcomes.filter((candidate) => candidate.status !== 'SAVED')) {
      expect(outcome).toMatchObject({ status: 'REJECTED', version: null, repeat: false });
      expect(outcome.reason).toBe(
        `Version conflict: version 2 of ${id} was stored by command ${saved[0]!.commandId} first. Reload and send the command again.`,
      );
    }
    for (const refusal of result.refused) expect(refusal.rules).toEqual(['ReservationAlreadyCancelled']);
    const stored = await auditLocalStack(local.stack);
    expect(stored.problems).toEqual([]);
    expect(stored.streams.get(id)!.map((event) => [event.version, event.type, event.commandId])).toEqual([
      [1, 'ReservationCreated', createCommandId],
      [2, 'ReservationCancelled', saved[0]!.commandId],
    ]);
    expect([...stored.claims.keys()].filter((key) => key.startsWith('RoomNight#room-cancel#'))).toEqual([]);
  });

  it('sends no message for a refused command, and exactly one for each accepted one once every deadline has passed', () => {
    expectOneMessageEach(result, '50 cancels of one reservation');
  });
});

describe('50 concurrent creates of the same room and nights', () => {
  const ids = Array.from({ length: CONCURRENT }, () => ulid());
  let result: Race;

  beforeAll(async () => {
    for (const id of ids) await watch.watch(id);
    result = await race((commandId, index) =>
      sendCreate(local.stack, {
        id: ids[index]!,
        commandId,
        userId: `u${index}`,
        roomId: 'room-same',
        dateStart: '2031-06-10',
        dateEnd: '2031-06-13',
      }),
    );
    await settled(local.stack, (TIMEOUT_SECONDS + 15) * 1000);
  }, 60_000);

  it('stores exactly one reservation holding the three nights; every other create is REJECTED naming the nights or refused as RoomAlreadyReserved', async () => {
    expect(result.answers.filter(({ answer }) => answer.kind === 'failed')).toEqual([]);
    const outcomes = firstOutcomes(result.accepted);
    const saved = outcomes.filter((outcome) => outcome.status === 'SAVED');
    expect(saved).toHaveLength(1);
    expect(saved[0]).toMatchObject({ version: 1, repeat: false });
    for (const outcome of outcomes.filter((candidate) => candidate.status !== 'SAVED')) {
      expect(outcome).toMatchObject({ status: 'REJECTED', repeat: false });
      expect(outcome.reason).toMatch(/^Already held by another stream: RoomNight#room-same#2031-06-1[012]/);
    }
    for (const refusal of result.refused) expect(refusal.rules).toEqual(['RoomAlreadyReserved']);
    const stored = await auditLocalStack(local.stack);
    expect(stored.problems).toEqual([]);
    const winner = saved[0]!.id;
    expect(stored.streams.get(winner)!.map((event) => [event.version, event.type])).toEqual([[1, 'ReservationCreated']]);
    expect(
      [...stored.claims.values()]
        .filter((claim) => claim.key.startsWith('RoomNight#room-same#'))
        .map((claim) => [claim.key, claim.aggregateId])
        .sort(),
    ).toEqual([
      ['RoomNight#room-same#2031-06-10', winner],
      ['RoomNight#room-same#2031-06-11', winner],
      ['RoomNight#room-same#2031-06-12', winner],
    ]);
    const losers = ids.filter((id) => id !== winner);
    // A REJECTED create stores nothing, not even its timeout's tombstone.
    expect(losers.flatMap((id) => stored.streams.get(id) ?? [])).toEqual([]);
  });

  it('sends no message for a refused command, and exactly one for each accepted one once every deadline has passed', () => {
    expectOneMessageEach(result, '50 creates of one room and nights');
  });
});

describe('50 concurrent creates of the same reservation id', () => {
  const id = ulid();
  let result: Race;

  beforeAll(async () => {
    await watch.watch(id);
    result = await race((commandId, index) =>
      sendCreate(local.stack, {
        id,
        commandId,
        userId: `u${index}`,
        roomId: `room-id-${index}`,
        dateStart: '2031-07-01',
        dateEnd: '2031-07-02',
      }),
    );
    await settled(local.stack, (TIMEOUT_SECONDS + 15) * 1000);
  }, 60_000);

  it('stores one create at version 1 with only its own claim; every other create is REJECTED as a version conflict or refused as ReservationExists', async () => {
    expect(result.answers.filter(({ answer }) => answer.kind === 'failed')).toEqual([]);
    const outcomes = firstOutcomes(result.accepted);
    const saved = outcomes.filter((outcome) => outcome.status === 'SAVED');
    expect(saved).toHaveLength(1);
    for (const outcome of outcomes.filter((candidate) => candidate.status !== 'SAVED')) {
      expect(outcome).toMatchObject({ status: 'REJECTED', repeat: false });
      expect(outcome.reason).toMatch(/^Version conflict: version 1 of /);
    }
    for (const refusal of result.refused) expect(refusal.rules).toEqual(['ReservationExists']);
    const stored = await auditLocalStack(local.stack);
    expect(stored.problems).toEqual([]);
    expect(stored.streams.get(id)!.map((event) => [event.version, event.commandId])).toEqual([[1, saved[0]!.commandId]]);
    expect([...stored.claims.values()].filter((claim) => claim.key.startsWith('RoomNight#room-id-'))).toHaveLength(1);
  });

  it('sends no message for a refused command, and exactly one for each accepted one once every deadline has passed', () => {
    expectOneMessageEach(result, '50 creates of one reservation id');
  });
});
