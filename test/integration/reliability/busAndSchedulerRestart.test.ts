/**
 * The local stack stopped while a command's store delivery waits for a retry and another command's timeout
 * schedule is pending, then started again on the same `persistDir`, as a developer restarting
 * `npm start --persist DIR` would. On AWS both are the services' own durable state: an accepted PutEvents
 * entry is retried "for 24 hours and up to 185 times" whatever its callers do
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-retry-policy.html), and a schedule is a
 * resource of the account (https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule.html).
 * Locally their journals (`<persistDir>/eventbridge`, `<persistDir>/scheduler`) stand in for that.
 *
 * This app's reservation commands, over HTTP to the local AppSync server: the store target is made to fail
 * (one command) or to lose the event (the other) by `interceptDelivery`, as the timeouts tests do.
 */
import { rmSync } from 'node:fs';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { LocalStack, type AppSyncTargetCall, type DeliveryLog, type LocalStackOptions } from '../../../local/index.ts';
import { providerParameters } from '../../../dev/localCore.ts';

const persistDir = `.local/bus-scheduler-restart-${process.pid}-${Date.now()}`;
/** Long enough that the failing command's store, resumed after the restart, is still in time. */
const DEADLINE_SECONDS = 20;
const CREATE = `mutation Create($input: CreateReservationInput!) { createReservation(input: $input) { id commandId status } }`;
const HISTORY = `query History($id: ID!) { getReservationHistory(id: $id) { version type commandId } getReservation(id: $id) { status } }`;

/** The command whose store target fails until `failing` is false, and the one whose event is lost. */
const failingCommand = { id: ulid(), commandId: ulid() };
const lostCommand = { id: ulid(), commandId: ulid() };
let failing = true;
/** Every store attempt of a command's event, and every tombstone that reached the store, across both stacks. */
const storeAttempts: string[] = [];
const tombstones: string[] = [];
const deliveries: DeliveryLog[] = [];
const progress: string[] = [];
const lines: string[] = [];

const options: LocalStackOptions = {
  cdkOut: inject('cdkOut'),
  port: 0,
  tlsDir: '.local/tls',
  persistDir,
  // A retry waits 5 s: time to stop the stack while it does, even on a loaded machine (2 s was once too short).
  busRetry: { baseDelayMs: 5_000, maxDelayMs: 5_000, jitter: false },
  parameters: providerParameters({ url: 'http://127.0.0.1:9' }),
  environment: { COMMAND_TIMEOUT_SECONDS: String(DEADLINE_SECONDS) },
  interceptDelivery: async (call: AppSyncTargetCall) => {
    const detail = call.event.detail as { commandId?: string; type?: string };
    if (detail.type === 'CommandTimedOut') {
      tombstones.push(detail.commandId ?? '');
      return 'deliver';
    }
    storeAttempts.push(detail.commandId ?? '');
    if (detail.commandId === lostCommand.commandId) return 'drop';
    if (detail.commandId === failingCommand.commandId && failing) throw new Error('the store is down (test)');
    return 'deliver';
  },
  onDelivery: (log) => deliveries.push(log),
  onProgress: (line) => progress.push(line),
  onEvent: (line) => lines.push(line),
};

let stack: LocalStack | undefined;
beforeAll(async () => {
  stack = await LocalStack.start(options);
}, 90_000);
afterAll(async () => {
  await stack?.stop();
  rmSync(persistDir, { recursive: true, force: true });
});

async function graphql(query: string, variables: Record<string, unknown>): Promise<Record<string, unknown>> {
  const response = await fetch(stack!.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': stack!.apiKey },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data: Record<string, unknown>; errors?: unknown };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

const create = (command: { id: string; commandId: string }, roomId: string) =>
  graphql(CREATE, { input: { ...command, userId: 'u', roomId, dateStart: '2037-01-01', dateEnd: '2037-01-02' } });
const timeoutScheduleOf = (commandId: string) =>
  stack!.scheduler.records().find((record) => !record.ended && (record.Target.Input ?? '').includes(commandId));
const count = (list: string[], value: string) => list.filter((item) => item === value).length;

describe('the local stack restarted while a bus delivery waits for a retry and a timeout schedule is pending', () => {
  it('resumes the delivery after the restart with its attempt count: the command is stored once', async () => {
    expect((await create(failingCommand, `room-${failingCommand.id}`)).createReservation).toMatchObject({ status: 'PENDING' });
    expect((await create(lostCommand, `room-${lostCommand.id}`)).createReservation).toMatchObject({ status: 'PENDING' });
    await expect
      .poll(
        () =>
          deliveries.some(
            (log) => log.outcome === 'retrying' && (log.event.detail as { commandId?: string }).commandId === failingCommand.commandId,
          ),
        {
          timeout: 10_000,
        },
      )
      .toBe(true);
    expect(timeoutScheduleOf(lostCommand.commandId)).toBeDefined();
    expect(count(storeAttempts, failingCommand.commandId)).toBe(1);

    // Stopped while the retry waits (5 s) and the lost command's deadline is ahead.
    const port = stack!.port;
    const stoppedAt = Date.now();
    await stack!.stop();
    stack = undefined;
    failing = false;
    stack = await LocalStack.start({ ...options, port });
    console.info(`bus and scheduler restart: down ${Date.now() - stoppedAt} ms`);
    expect(progress).toContainEqual(expect.stringMatching(/^resumed [1-9]\d* EventBridge delivery\(ies\) left under way$/));
    expect(progress).toContainEqual(expect.stringMatching(/^re-armed [1-9]\d* Scheduler schedule\(s\) left pending$/));
    expect(lines).toContainEqual(
      expect.stringMatching(/^eventbridge: event \S+ → rule \S+ → target \S+ resumed after a restart: attempt 2 in \d+ ms$/),
    );

    await expect
      .poll(async () => (await graphql(HISTORY, { id: failingCommand.id })).getReservation, { timeout: 15_000, interval: 200 })
      .toEqual({ status: 'CONFIRMED' });
    await stack.bus.idle();
    const history = (await graphql(HISTORY, { id: failingCommand.id })).getReservationHistory;
    expect(history).toEqual([{ version: 1, type: 'ReservationCreated', commandId: failingCommand.commandId }]);
    // Attempt 1 failed before the stop; attempt 2, after it, delivered: twice in all, once stored.
    expect(count(storeAttempts, failingCommand.commandId)).toBe(2);
    const resumedDelivery = deliveries.filter(
      (log) =>
        (log.event.detail as { commandId?: string }).commandId === failingCommand.commandId && log.ruleName === deliveries[0]!.ruleName,
    );
    expect(resumedDelivery.at(-1)).toMatchObject({ outcome: 'delivered', attempt: 2 });
    // Stored in time: its timeout schedule was deleted, no tombstone for it.
    expect(timeoutScheduleOf(failingCommand.commandId)).toBeUndefined();
    expect(count(tombstones, failingCommand.commandId)).toBe(0);
  }, 120_000);

  it('fires the pending timeout schedule once after the restart: the lost command ends TIMED_OUT, one tombstone', async () => {
    expect(timeoutScheduleOf(lostCommand.commandId)).toBeDefined();
    await expect
      .poll(async () => (await graphql(HISTORY, { id: lostCommand.id })).getReservationHistory, {
        timeout: (DEADLINE_SECONDS + 10) * 1_000,
        interval: 300,
      })
      .toEqual([{ version: 1, type: 'CommandTimedOut', commandId: lostCommand.commandId }]);
    await stack!.bus.idle();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(count(tombstones, lostCommand.commandId)).toBe(1);
    expect(lines.filter((line) => /^scheduler \S+ fired → CommandTimedOut/.test(line))).toHaveLength(1);
    expect(timeoutScheduleOf(lostCommand.commandId)).toBeUndefined();
  }, 60_000);
});
