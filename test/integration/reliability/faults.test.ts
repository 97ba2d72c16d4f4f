/**
 * Faults on the local stack, with DynamoDB Local persisting to disk:
 *
 * - the store target failing every attempt for a command: the bus retries it
 *   as the rule says (1 + MaximumRetryAttempts = 9 attempts), keeps the failed
 *   delivery with its error, and the command answers TIMED_OUT once;
 * - DynamoDB Local killed (SIGKILL of its Java) in the middle of a run of
 *   commands and started again on the same data: commands sent while it is
 *   down get EventStoreUnavailable quickly (never a hang), events whose store
 *   failed are retried by the bus, the server serves again without a restart
 *   of its own, every accepted command gets exactly one terminal message, and
 *   every stream is consistent (gapless, never a claim without its event or an
 *   event without its claims).
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ulid } from 'ulid';
import { useLocalStack } from '../../helpers/localStack.ts';
import { OutcomeWatch } from '../../load/outcomeWatch.ts';
import { sendCreate, type CommandAnswer, type CreateInput } from '../../load/commands.ts';
import { auditLocalStack, settled, type StoreAudit } from '../../load/storeAudit.ts';
import type { AppSyncTargetCall } from '../../../local/index.ts';

const TIMEOUT_SECONDS = 3;
/** The rule's RetryPolicy.MaximumRetryAttempts in the template (infra/ReservationAggregate.ts). */
const RULE_MAX_RETRIES = 8;
const persistDir = `.local/reliability-faults-${process.pid}-${Date.now()}`;
// Registered before the stack's own afterAll, so it runs after the stack (and its Java) stopped.
afterAll(() => rmSync(persistDir, { recursive: true, force: true }));

/** Every attempt the bus made at the store target; commands listed in `failing` fail every attempt. */
const attempts: AppSyncTargetCall[] = [];
const failing = new Set<string>();
const local = useLocalStack({
  persistDir,
  environment: { COMMAND_TIMEOUT_SECONDS: String(TIMEOUT_SECONDS) },
  // 8 retries take 8–16 s with this timing: longer than DynamoDB Local's restart (5–10 s here), short enough for a test.
  busRetry: { baseDelayMs: 300, maxDelayMs: 3_000 },
  interceptDelivery: async (call) => {
    attempts.push(call);
    const detail = call.event.detail as { commandId: string; type: string };
    if (detail.type !== 'CommandTimedOut' && failing.has(detail.commandId))
      throw new Error(`InjectedFault: target unavailable for command ${detail.commandId}`);
    return 'deliver';
  },
});

let watch: OutcomeWatch;
beforeAll(async () => {
  watch = await OutcomeWatch.connect(local.stack.realtimeUrl, local.stack.apiKey);
});
afterAll(() => watch?.close());

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await pause(50);
  }
}

function attemptsOf(commandId: string): AppSyncTargetCall[] {
  return attempts.filter((call) => {
    const detail = call.event.detail as { commandId: string; type: string };
    return detail.commandId === commandId && detail.type !== 'CommandTimedOut';
  });
}

describe('the store target failing every attempt for a command', () => {
  const id = ulid();
  const commandId = ulid();

  beforeAll(async () => {
    failing.add(commandId);
    await watch.watch(id);
    expect(
      (await sendCreate(local.stack, { id, commandId, userId: 'u', roomId: 'room-target', dateStart: '2033-01-10', dateEnd: '2033-01-12' }))
        .kind,
    ).toBe('accepted');
    await until(
      () => local.stack.bus.failedDeliveries().some((failed) => (failed.event.detail as { commandId: string }).commandId === commandId),
      30_000,
      'the failed delivery',
    );
    await settled(local.stack, 60_000);
  }, 60_000);

  it(`is attempted 1 + MaximumRetryAttempts = ${1 + RULE_MAX_RETRIES} times, then kept as a failed delivery with its error`, () => {
    expect(attemptsOf(commandId).map((call) => call.attempt)).toEqual(
      Array.from({ length: 1 + RULE_MAX_RETRIES }, (_, index) => index + 1),
    );
    const failed = local.stack.bus
      .failedDeliveries()
      .filter((delivery) => (delivery.event.detail as { commandId: string }).commandId === commandId);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({
      attempts: 1 + RULE_MAX_RETRIES,
      exhaustedRetryCondition: 'MaximumRetryAttempts',
      errorMessage: `InjectedFault: target unavailable for command ${commandId}`,
      targetKind: 'appsync',
      deadLetterArn: expect.stringMatching(/^arn:aws:sqs:/),
    });
    expect(JSON.parse(failed[0]!.input!)).toMatchObject({ input: { commandId, aggregateId: id, type: 'ReservationCreated' } });
  });

  it('answers the command TIMED_OUT once, stores only its tombstone and claims nothing', async () => {
    expect(watch.messagesOf(commandId).map(({ status, repeat }) => [status, repeat])).toEqual([['TIMED_OUT', false]]);
    const stored = await auditLocalStack(local.stack);
    expect(stored.problems).toEqual([]);
    expect(stored.streams.get(id)!.map((event) => [event.version, event.type])).toEqual([[1, 'CommandTimedOut']]);
    expect([...stored.claims.keys()].filter((key) => key.startsWith('RoomNight#room-target#'))).toEqual([]);
  });
});

interface Sent {
  input: CreateInput;
  answer: CommandAnswer;
}

describe('DynamoDB Local killed in the middle of a run of commands, then restarted on its data', () => {
  const TOTAL = 160;
  const CONCURRENCY = 8;
  const sent: Sent[] = [];
  let crashedAt = 0;
  let restartedAt = 0;
  /** Commands accepted before the crash whose events the bus had to retry. */
  let retriedThroughOutage = 0;
  let stored: StoreAudit;

  beforeAll(async () => {
    let next = 0;
    let restarted!: () => void;
    const back = new Promise<void>((resolve) => (restarted = resolve));
    const worker = async () => {
      while (next < TOTAL) {
        // A client whose command failed waits a little before trying again: 30 commands meet the outage, the rest wait for the restart.
        if (crashedAt > 0 && restartedAt === 0 && sent.filter(({ answer }) => answer.sentAt > crashedAt).length >= 30) await back;
        const index = next;
        next += 1;
        const input: CreateInput = {
          id: ulid(),
          commandId: ulid(),
          userId: `u${index}`,
          roomId: `room-crash-${index}`,
          dateStart: '2033-02-01',
          dateEnd: '2033-02-03',
        };
        await watch.watch(input.id);
        sent.push({ input, answer: await sendCreate(local.stack, input) });
      }
    };
    const run = Promise.all(Array.from({ length: CONCURRENCY }, worker));
    await until(() => sent.length >= 40, 60_000, '40 answered commands');
    crashedAt = performance.now();
    await local.stack.crashDynamoDb();
    // Commands keep coming while DynamoDB is down.
    await until(
      () => sent.filter(({ answer }) => answer.sentAt > crashedAt).length >= 30,
      30_000,
      '30 commands sent while DynamoDB is down',
    );
    await local.stack.restartDynamoDb();
    restartedAt = performance.now();
    restarted();
    await run;
    await settled(local.stack, 60_000);
    stored = await auditLocalStack(local.stack);
    retriedThroughOutage = new Set(
      attempts
        .filter((call) => call.attempt > 1 && !failing.has((call.event.detail as { commandId: string }).commandId))
        .map((call) => call.event.id),
    ).size;
  }, 150_000);

  it('answers every command sent while DynamoDB is down with EventStoreUnavailable within 3 s, never a hang', () => {
    const whileDown = sent.filter(({ answer }) => answer.sentAt > crashedAt && answer.answeredAt < restartedAt);
    expect(whileDown.length).toBeGreaterThanOrEqual(30);
    for (const { answer } of whileDown) {
      expect(answer).toMatchObject({ kind: 'failed', errorType: 'EventStoreUnavailable' });
      expect(answer.answeredAt - answer.sentAt).toBeLessThan(3_000);
    }
    expect(Math.max(...sent.map(({ answer }) => answer.answeredAt - answer.sentAt))).toBeLessThan(10_000);
  });

  it('serves again after the restart without a restart of its own: commands sent afterwards are accepted and SAVED', () => {
    const after = sent.filter(({ answer }) => answer.sentAt > restartedAt);
    expect(after.length).toBeGreaterThan(0);
    for (const { input, answer } of after) {
      expect(answer.kind).toBe('accepted');
      expect(watch.messagesOf(input.commandId).map(({ status }) => status)).toEqual(['SAVED']);
    }
  });

  it('gives every accepted command exactly one terminal message, and every other command none', () => {
    const accepted = sent.filter(({ answer }) => answer.kind === 'accepted');
    const notOne = accepted
      .map(({ input }) => ({ commandId: input.commandId, statuses: watch.messagesOf(input.commandId).map(({ status }) => status) }))
      .filter(({ statuses }) => statuses.length !== 1);
    expect(notOne).toEqual([]);
    for (const { input } of sent.filter(({ answer }) => answer.kind !== 'accepted')) expect(watch.messagesOf(input.commandId)).toEqual([]);
    expect(
      local.stack.bus.failedDeliveries().filter((failed) => !failing.has((failed.event.detail as { commandId: string }).commandId)),
    ).toEqual([]);
  });

  it('leaves every stream consistent: gapless versions, each stored create with its two claims, no claim without its event', () => {
    expect(stored.problems).toEqual([]);
    for (const { input } of sent.filter(({ answer }) => answer.kind !== 'accepted'))
      expect(stored.eventsByCommand.get(input.commandId)).toBeUndefined();
  });

  it('stores what it answered: each SAVED event and TIMED_OUT tombstone is in the store, or counted as lost by the emulator', () => {
    const accepted = sent.filter(({ answer }) => answer.kind === 'accepted');
    const acknowledgedButLost: string[] = [];
    for (const { input } of accepted) {
      const [message] = watch.messagesOf(input.commandId);
      const events = stored.eventsByCommand.get(input.commandId) ?? [];
      if (events.length === 0) {
        // DynamoDB Local (SQLite) may lose its latest acknowledged writes on SIGKILL: never half of one.
        acknowledgedButLost.push(
          `${message!.status} ${input.commandId} (answered ${message!.receivedAt < restartedAt ? 'before' : 'after'} the restart)`,
        );
        expect([...stored.claims.values()].filter((claim) => claim.commandId === input.commandId)).toEqual([]);
        expect(stored.answers.get(input.commandId)).toBeUndefined();
        // Only a write acknowledged before the crash can be lost to it.
        expect(message!.receivedAt).toBeLessThan(restartedAt);
        continue;
      }
      expect(events.map((event) => event.type)).toEqual([message!.status === 'SAVED' ? 'ReservationCreated' : 'CommandTimedOut']);
    }
    const statuses = accepted.map(({ input }) => watch.messagesOf(input.commandId)[0]!.status);
    console.info(
      `faults figures: ${sent.length} commands, ${accepted.length} accepted (${statuses.filter((status) => status === 'SAVED').length} SAVED, ${statuses.filter((status) => status === 'TIMED_OUT').length} TIMED_OUT, ${statuses.filter((status) => status === 'REJECTED').length} REJECTED), ` +
        `${sent.filter(({ answer }) => answer.kind === 'failed').length} EventStoreUnavailable, outage ${Math.round(restartedAt - crashedAt)} ms, ${retriedThroughOutage} event(s) retried by the bus through it, ${acknowledgedButLost.length} acknowledged but lost${acknowledgedButLost.length > 0 ? `: ${acknowledgedButLost.join('; ')}` : ''}`,
    );
  });
});
