/**
 * The local Scheduler's schedules kept on disk (`journalDir`, the local stack's `<persistDir>/scheduler`):
 * a schedule is written down when created and until deleted, and a scheduler started again on the same
 * directory knows it and fires it once, at its time or at once if its time passed while it was stopped.
 * On AWS a schedule is a resource of the account ("the main resource you create, configure, and manage",
 * https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule.html), untouched by a caller's restart.
 * The target is a real LocalEventBus whose rule records what reaches its AppSync target.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalEventBus, type AppSyncTargetCall } from '../../../local/eventbridge/index.ts';
import { LocalScheduler } from '../../../local/scheduler/LocalScheduler.ts';
import { ScheduleJournal, SET_ASIDE_DIR } from '../../../local/scheduler/scheduleJournal.ts';
import type { IamRoleModel } from '../../../local/template/cloudAssembly.ts';

const BUS = 'arn:aws:events:us-east-1:123456789012:event-bus/core';
const ROLE = 'arn:aws:iam::123456789012:role/timeouts';
const roles: Record<string, IamRoleModel> = {
  [ROLE]: {
    logicalId: 'Timeouts',
    arn: ROLE,
    name: 'timeouts',
    statements: [{ Effect: 'Allow', Action: 'events:PutEvents', Resource: BUS }],
  },
};

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function journalDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'schedule-journal-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A scheduler on `dir` putting on a real bus; `delivered` is what reached the bus's target. */
function schedulerOn(dir: string) {
  const delivered: AppSyncTargetCall[] = [];
  const bus = new LocalEventBus({ invokers: { appsync: (call) => void delivered.push(call) } });
  bus.createEventBus({ Name: 'core' });
  bus.putRule({ Name: 'store', EventBusName: 'core', EventPattern: JSON.stringify({ source: ['app.reservation'] }) });
  bus.putTargets({
    Rule: 'store',
    EventBusName: 'core',
    Targets: [
      { Id: 'api', Arn: 'arn:aws:appsync:us-east-1:123456789012:apis/x', AppSyncParameters: { GraphQLOperation: 'mutation { x }' } },
    ],
  });
  const lines: string[] = [];
  const scheduler = new LocalScheduler({
    bus,
    roles,
    accountId: '123456789012',
    region: 'us-east-1',
    retryBaseDelayMs: 10,
    journalDir: dir,
    onEvent: (line) => lines.push(line),
  });
  const close = () => {
    scheduler.close();
    bus.close();
  };
  cleanups.push(close);
  return { scheduler, bus, delivered, lines, close };
}

const at = (ms: number) => new Date(Date.now() + ms).toISOString().slice(0, 19);
const body = (when: string, action: 'DELETE' | 'NONE' = 'DELETE') => ({
  ScheduleExpression: `at(${when})`,
  FlexibleTimeWindow: { Mode: 'OFF' },
  ActionAfterCompletion: action,
  Target: {
    Arn: BUS,
    RoleArn: ROLE,
    EventBridgeParameters: { Source: 'app.reservation', DetailType: 'CommandTimedOut' },
    Input: JSON.stringify({ commandId: 'c-1' }),
  },
});
const create = (scheduler: LocalScheduler, name: string, request: unknown) =>
  scheduler.handle({ method: 'POST', resourcePath: `/schedules/${name}`, params: { body: JSON.stringify(request) } });
const entries = (dir: string) => readdirSync(dir).filter((name) => name.endsWith('.json'));
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the schedule journal', () => {
  it('writes a schedule down when created and removes it when deleted', () => {
    const dir = journalDir();
    const { scheduler } = schedulerOn(dir);
    expect(create(scheduler, 'timeout-1', body(at(60_000))).statusCode).toBe(200);
    expect(entries(dir)).toEqual(['timeout-1.json']);
    expect(new ScheduleJournal(dir).read().schedules).toEqual([
      expect.objectContaining({ Name: 'timeout-1', nextAttempt: 1, completed: false, ActionAfterCompletion: 'DELETE' }),
    ]);
    scheduler.handle({ method: 'DELETE', resourcePath: '/schedules/timeout-1' });
    expect(entries(dir)).toEqual([]);
  });

  it('a scheduler started again knows a pending schedule and fires it once at its time', async () => {
    const dir = journalDir();
    const first = schedulerOn(dir);
    create(first.scheduler, 'timeout-2', body(at(1_500)));
    first.close();

    const second = schedulerOn(dir);
    expect(second.scheduler.resumeJournaled()).toBe(1);
    expect(JSON.parse(second.scheduler.handle({ method: 'GET', resourcePath: '/schedules/timeout-2' }).body)).toMatchObject({
      Name: 'timeout-2',
      State: 'ENABLED',
    });
    expect(second.lines).toContainEqual(expect.stringMatching(/^scheduler timeout-2 re-armed after a restart: attempt 1 in \d+ ms$/));
    await expect.poll(() => second.delivered.length, { timeout: 4_000 }).toBe(1);
    await second.bus.idle();
    await pause(100);
    expect(second.delivered).toHaveLength(1);
    expect(first.delivered).toHaveLength(0);
    // Fired with ActionAfterCompletion DELETE: gone, from the scheduler and from the disk.
    expect(second.scheduler.list()).toEqual([]);
    expect(entries(dir)).toEqual([]);
  });

  it('fires at once a schedule whose time passed while the scheduler was stopped', async () => {
    const dir = journalDir();
    const first = schedulerOn(dir);
    create(first.scheduler, 'timeout-3', body(at(1_000)));
    first.close();
    await pause(2_100);

    const second = schedulerOn(dir);
    const resumedAt = Date.now();
    expect(second.scheduler.resumeJournaled()).toBe(1);
    expect(second.lines).toContain('scheduler timeout-3 re-armed after a restart: attempt 1 now (its time passed while stopped)');
    await expect.poll(() => second.delivered.length, { timeout: 1_000 }).toBe(1);
    expect(Date.now() - resumedAt).toBeLessThan(500);
    expect(first.delivered).toHaveLength(0);
  });

  it('keeps a completed schedule with ActionAfterCompletion NONE and does not fire it again', async () => {
    const dir = journalDir();
    const first = schedulerOn(dir);
    create(first.scheduler, 'kept', body(at(-1_000), 'NONE'));
    await expect.poll(() => first.delivered.length, { timeout: 2_000 }).toBe(1);
    first.close();

    const second = schedulerOn(dir);
    expect(second.scheduler.resumeJournaled()).toBe(0);
    expect(second.scheduler.list()).toEqual([expect.objectContaining({ Name: 'kept' })]);
    await pause(200);
    expect(second.delivered).toHaveLength(0);
  });

  it('goes on with the retries of a failing target after a restart, with the attempt count it had', async () => {
    const dir = journalDir();
    const first = schedulerOn(dir);
    // A role that may not put on the bus: every attempt fails, as an AccessDenied does on AWS.
    create(first.scheduler, 'denied', {
      ...body(at(-1_000)),
      Target: { ...body('').Target, RoleArn: 'arn:aws:iam::123456789012:role/none' },
    });
    await expect.poll(() => first.lines.some((line) => line.includes('denied attempt 2 failed')), { timeout: 2_000 }).toBe(true);
    first.close();
    const written = new ScheduleJournal(dir).read().schedules[0]!;
    expect(written.nextAttempt).toBeGreaterThanOrEqual(3);

    const second = schedulerOn(dir);
    second.scheduler.resumeJournaled();
    expect(second.lines[0]).toMatch(new RegExp(`^scheduler denied re-armed after a restart: attempt ${written.nextAttempt} `));
  });

  it('sets aside an entry it cannot read, reports it, and re-arms the others', () => {
    const dir = journalDir();
    const first = schedulerOn(dir);
    create(first.scheduler, 'good', body(at(60_000)));
    first.close();
    writeFileSync(path.join(dir, 'broken.json'), '{"Name":');
    writeFileSync(path.join(dir, 'half.json'), JSON.stringify({ Name: 'half' }));
    writeFileSync(path.join(dir, 'good.json.tmp'), '{"unfinished');

    const second = schedulerOn(dir);
    expect(second.scheduler.resumeJournaled()).toBe(1);
    const reported = second.lines.filter((line) => line.startsWith('scheduler: a journaled schedule cannot be read'));
    expect(reported).toHaveLength(2);
    expect(reported.join('\n')).toContain(path.join(dir, SET_ASIDE_DIR, 'broken.json'));
    expect(reported.join('\n')).toContain('Arn is not a string');
    expect(readdirSync(path.join(dir, SET_ASIDE_DIR)).sort()).toEqual(['broken.json', 'half.json']);
    expect(existsSync(path.join(dir, 'good.json.tmp'))).toBe(false);
    expect(second.scheduler.list().map((schedule) => schedule.Name)).toEqual(['good']);
  });

  it('without a journal directory, nothing is written and nothing resumes', () => {
    const delivered: AppSyncTargetCall[] = [];
    const bus = new LocalEventBus({ invokers: { appsync: (call) => void delivered.push(call) } });
    const scheduler = new LocalScheduler({ bus, roles, accountId: '123456789012', region: 'us-east-1' });
    cleanups.push(() => {
      scheduler.close();
      bus.close();
    });
    expect(scheduler.resumeJournaled()).toBe(0);
  });
});
