/**
 * The bus's deliveries kept on disk (`journalDir`, the local stack's `<persistDir>/eventbridge`): an accepted
 * event is written down per target until delivered or failed for good, and a bus started again on the same
 * directory goes on with the waiting ones, with their attempt count and their event's acceptance time. On AWS
 * an accepted entry is retried "for 24 hours and up to 185 times" whatever its callers do
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-retry-policy.html).
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  LocalEventBus,
  type AppSyncTargetCall,
  type DeliveryLog,
  type DeliveryResult,
  type Target,
} from '../../../local/eventbridge/index.ts';
import { DeliveryJournal, SET_ASIDE_DIR } from '../../../local/eventbridge/deliveryJournal.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function journalDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'delivery-journal-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const TARGET: Target = {
  Id: 'api',
  Arn: 'arn:aws:appsync:us-east-1:123456789012:apis/x',
  AppSyncParameters: { GraphQLOperation: 'mutation { x }' },
  RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 60 },
};

/** A bus on `dir` with one rule and target; `answer` decides each attempt of the target. */
function busOn(
  dir: string,
  answer: (call: AppSyncTargetCall) => DeliveryResult | Promise<DeliveryResult>,
  options: { now?: () => Date } = {},
) {
  const calls: AppSyncTargetCall[] = [];
  const logs: DeliveryLog[] = [];
  const lines: string[] = [];
  const bus = new LocalEventBus({
    journalDir: dir,
    retry: { baseDelayMs: 400, jitter: false },
    invokers: {
      appsync: (call) => {
        calls.push(call);
        return answer(call);
      },
    },
    onDelivery: (log) => logs.push(log),
    onEvent: (line) => lines.push(line),
    ...options,
  });
  bus.putRule({ Name: 'store', EventPattern: JSON.stringify({ source: ['app'] }) });
  bus.putTargets({ Rule: 'store', Targets: [TARGET] });
  cleanups.push(() => bus.close());
  return { bus, calls, logs, lines };
}

const put = (bus: LocalEventBus) =>
  bus.putEvents({ Entries: [{ Source: 'app', DetailType: 'Thing', Detail: '{"n":1}' }] }).Entries[0] as { EventId: string };
const entries = (dir: string) => readdirSync(dir).filter((name) => name.endsWith('.json'));

describe('the delivery journal', () => {
  it('writes an accepted event down before PutEvents answers, and removes it once delivered', async () => {
    const dir = journalDir();
    const { bus } = busOn(dir, () => ({ ok: true }));
    const { EventId } = put(bus);
    expect(new DeliveryJournal(dir).read().deliveries).toEqual([
      expect.objectContaining({ event: expect.objectContaining({ id: EventId }), ruleName: 'store', targetId: 'api', attempt: 1 }),
    ]);
    await bus.idle();
    expect(entries(dir)).toEqual([]);
  });

  it('a bus started again goes on with a waiting retry: the next attempt number, the same event, delivered once', async () => {
    const dir = journalDir();
    const first = busOn(dir, () => ({ ok: false, error: 'down' }));
    const { EventId } = put(first.bus);
    await expect.poll(() => first.logs.map((log) => log.outcome)).toEqual(['retrying']);
    first.bus.close();
    const written = new DeliveryJournal(dir).read().deliveries;
    expect(written).toEqual([expect.objectContaining({ attempt: 2, lastError: { code: 'Error', message: 'down' } })]);

    const second = busOn(dir, () => ({ ok: true }));
    expect(second.bus.resumeJournaledDeliveries()).toBe(1);
    // A second call resumes nothing more: the delivery is this bus's own now.
    expect(second.bus.resumeJournaledDeliveries()).toBe(0);
    expect(second.lines).toEqual([
      expect.stringMatching(/^eventbridge: event \S+ → rule default\/store → target api resumed after a restart: attempt 2 in \d+ ms$/),
    ]);
    await second.bus.idle();
    expect(second.calls).toHaveLength(1);
    expect(second.calls[0]!.event.id).toBe(EventId);
    expect(second.logs).toEqual([expect.objectContaining({ outcome: 'delivered', attempt: 2, eventId: EventId })]);
    expect(first.calls).toHaveLength(1);
    expect(entries(dir)).toEqual([]);
  });

  it('makes again a first attempt the stop cut short (at least once)', async () => {
    const dir = journalDir();
    // The target never answers before the stop.
    const first = busOn(dir, () => new Promise<never>(() => undefined));
    put(first.bus);
    await expect.poll(() => first.calls.length).toBe(1);
    first.bus.close();

    const second = busOn(dir, () => ({ ok: true }));
    expect(second.bus.resumeJournaledDeliveries()).toBe(1);
    await second.bus.idle();
    expect(second.logs).toEqual([expect.objectContaining({ outcome: 'delivered', attempt: 1 })]);
  });

  it('a retry past MaximumEventAgeInSeconds (the time down counted) becomes a failed delivery with its last error', async () => {
    const dir = journalDir();
    const first = busOn(dir, () => ({ ok: false, error: 'down' }));
    put(first.bus);
    await expect.poll(() => first.logs.length).toBe(1);
    first.bus.close();

    // Started again 2 minutes later by the bus's clock: older than the target's 60 s.
    const second = busOn(dir, () => ({ ok: true }), { now: () => new Date(Date.now() + 120_000) });
    expect(second.bus.resumeJournaledDeliveries()).toBe(0);
    await second.bus.idle();
    expect(second.calls).toHaveLength(0);
    expect(second.bus.failedDeliveries()).toEqual([
      expect.objectContaining({ exhaustedRetryCondition: 'MaximumEventAgeInSeconds', errorMessage: 'down', attempts: 1, targetId: 'api' }),
    ]);
    expect(entries(dir)).toEqual([]);
  });

  it('sets aside, and reports, an entry it cannot read and one whose rule is gone; resumes none of them', async () => {
    const dir = journalDir();
    const first = busOn(dir, () => ({ ok: false, error: 'down' }));
    put(first.bus);
    await expect.poll(() => first.logs.length).toBe(1);
    first.bus.close();
    writeFileSync(path.join(dir, 'broken.json'), '{"event":');
    writeFileSync(path.join(dir, 'x.json.tmp'), '{"unfinished');

    const lines: string[] = [];
    const second = new LocalEventBus({ journalDir: dir, onEvent: (line) => lines.push(line) });
    cleanups.push(() => second.close());
    expect(second.resumeJournaledDeliveries()).toBe(0);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^eventbridge: a journaled delivery cannot be read \(.+\); moved to .+broken\.json, not resumed$/);
    expect(lines[1]).toMatch(/^eventbridge: event \S+ → rule default\/store → target api not resumed \(its rule is gone\); moved to /);
    expect(readdirSync(path.join(dir, SET_ASIDE_DIR))).toHaveLength(2);
    expect(entries(dir)).toEqual([]);
    expect(existsSync(path.join(dir, 'x.json.tmp'))).toBe(false);
  });

  it('without a journal directory, nothing is written and nothing resumes', () => {
    const bus = new LocalEventBus();
    cleanups.push(() => bus.close());
    expect(bus.resumeJournaledDeliveries()).toBe(0);
  });
});
