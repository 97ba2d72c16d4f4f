/**
 * Lambda's asynchronous queue kept on disk (`journalDir`, the local stack's `<persistDir>/lambda`): an
 * accepted event stays written down until it ends, and a LocalLambda started again on the same directory
 * runs the waiting ones on with their request id, attempt count, remaining delay and first acceptance time.
 * On AWS the queue is Lambda's own: an accepted event leaves it only when it "expires or fails all
 * processing attempts" (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html).
 * Functions run in real child processes; the on-failure destination is a real LocalEventBus whose rule
 * feeds a stand-in queue (AWS's SQS).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalEventBus } from '../../../local/eventbridge/index.ts';
import type { AsyncInvocationConfig } from '../../../local/lambda/asyncInvocationConfig.ts';
import type { AsyncInvocationRecord } from '../../../local/lambda/asyncInvocation.ts';
import { AsyncInvocationJournal, SET_ASIDE_DIR, type JournaledInvocation } from '../../../local/lambda/asyncInvocationJournal.ts';
import { LocalLambda } from '../../../local/lambda/LocalLambda.ts';

const ACCOUNT = '123456789012';
const arnOf = (name: string) => `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${name}`;
const BUS_ARN = `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/default`;
const QUEUE_ARN = `arn:aws:sqs:us-east-1:${ACCOUNT}:records`;
/** 1 minute → 300 ms, 2 minutes → 600 ms: long enough to stop a LocalLambda while a retry waits. */
const DELAY_SCALE = 0.005;

const codeDirectory = mkdtempSync(path.join(tmpdir(), 'lambda-journal-code-'));
writeFileSync(
  path.join(codeDirectory, 'index.js'),
  `class NotFound extends Error { constructor(m) { super(m); this.name = 'NotFound'; } }
exports.fail = async (event) => { throw new NotFound('no note ' + event.id); };`,
);

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function journalDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'lambda-journal-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function entry(overrides: Partial<JournaledInvocation> = {}): JournaledInvocation {
  const now = Date.now();
  return {
    requestId: '6f1c2a44-3b1e-4c1a-9d7e-1a2b3c4d5e6f',
    functionName: 'S-Fail',
    invokedArn: arnOf('S-Fail'),
    payload: { id: 'n1' },
    acceptedAt: now,
    attempt: 1,
    dueAt: now,
    ...overrides,
  };
}

/** A LocalLambda serving `S-Fail` (throws NotFound) on `dir`, its on-failure records going through a real bus to a stand-in queue. */
function lambdaOn(dir: string, config: Partial<AsyncInvocationConfig> = {}, functionName = 'S-Fail') {
  const logs: { at: number; line: string }[] = [];
  const queued: { detail: AsyncInvocationRecord }[] = [];
  const bus = new LocalEventBus({ invokers: { sqs: ({ input }) => void queued.push(JSON.parse(input)) } });
  bus.putRule({ Name: 'records', EventPattern: { source: ['lambda'] } });
  bus.putTargets({ Rule: 'records', Targets: [{ Id: 'queue', Arn: QUEUE_ARN }] });
  const lambda = new LocalLambda(
    [
      {
        logicalId: 'Fail',
        name: functionName,
        arn: arnOf(functionName),
        runtime: 'nodejs20.x',
        handler: 'index.fail',
        codeDirectory,
        environment: {},
        timeoutSeconds: 3,
        memoryMB: 128,
        asyncInvocation: { maximumRetryAttempts: 2, maximumEventAgeSeconds: 21_600, onFailure: BUS_ARN, ...config },
      },
    ],
    {
      region: 'us-east-1',
      accountId: ACCOUNT,
      onLog: (line) => logs.push({ at: Date.now(), line }),
      async: { delayScale: DELAY_SCALE, putEvents: (request) => bus.putEvents(request), journalDir: dir },
    },
  );
  cleanups.push(
    () => lambda.stop(),
    () => bus.close(),
  );
  const starts = () => logs.filter(({ line }) => line.startsWith(`lambda ${functionName}: START RequestId:`));
  const settled = async () => {
    await lambda.asyncIdle();
    await bus.idle();
  };
  return { lambda, logs, queued, starts, settled };
}

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition never held');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('the journal of asynchronous invocations', () => {
  it('keeps one entry per invocation: written, rewritten at a retry, read back in acceptance order, gone once removed', () => {
    const dir = journalDir();
    const journal = new AsyncInvocationJournal(dir);
    const first = entry({ requestId: 'aaaaaaaa-0000-0000-0000-000000000001', acceptedAt: 2_000, dueAt: 2_000 });
    const second = entry({ requestId: 'aaaaaaaa-0000-0000-0000-000000000002', acceptedAt: 1_000, dueAt: 1_000 });
    journal.write(first);
    journal.write(second);
    journal.write({
      ...first,
      attempt: 2,
      dueAt: 62_000,
      lastResult: { payload: { errorType: 'NotFound' }, functionError: { errorType: 'NotFound', errorMessage: 'x' } },
    });
    expect(readdirSync(dir).sort()).toEqual([`${first.requestId}.json`, `${second.requestId}.json`]);
    expect(journal.read()).toEqual({
      invocations: [
        second,
        {
          ...first,
          attempt: 2,
          dueAt: 62_000,
          lastResult: expect.objectContaining({ functionError: { errorType: 'NotFound', errorMessage: 'x' } }),
        },
      ],
      setAside: [],
    });
    journal.remove(second.requestId);
    expect(new AsyncInvocationJournal(dir).read().invocations.map((one) => one.requestId)).toEqual([first.requestId]);
  });

  it('sets aside an entry that cannot be read (not JSON, or not an entry) and says why; the readable ones are read', () => {
    const dir = journalDir();
    const journal = new AsyncInvocationJournal(dir);
    journal.write(entry());
    writeFileSync(path.join(dir, 'torn.json'), '{"requestId":"b');
    writeFileSync(path.join(dir, 'shapeless.json'), JSON.stringify({ requestId: 'c', attempt: 0 }));
    // A write the process did not finish: the whole entry it would have replaced is beside it.
    writeFileSync(path.join(dir, `${entry().requestId}.json.tmp`), '{"requ');
    const { invocations, setAside } = journal.read();
    expect(invocations).toEqual([entry({ acceptedAt: invocations[0]!.acceptedAt, dueAt: invocations[0]!.dueAt })]);
    expect(setAside).toEqual(
      expect.arrayContaining([
        { file: path.join(dir, SET_ASIDE_DIR, 'torn.json'), reason: expect.stringMatching(/JSON/) },
        { file: path.join(dir, SET_ASIDE_DIR, 'shapeless.json'), reason: 'functionName is not a string' },
      ]),
    );
    expect(readFileSync(path.join(dir, SET_ASIDE_DIR, 'torn.json'), 'utf8')).toBe('{"requestId":"b');
    expect(readdirSync(dir).sort()).toEqual([`${entry().requestId}.json`, SET_ASIDE_DIR]);
  });

  it('writes nothing once closed: a stopping runtime leaves the queue as it was', () => {
    const dir = journalDir();
    const journal = new AsyncInvocationJournal(dir);
    journal.write(entry());
    journal.close();
    journal.remove(entry().requestId);
    journal.write(entry({ requestId: 'bbbbbbbb-0000-0000-0000-000000000000' }));
    expect(readdirSync(dir)).toEqual([`${entry().requestId}.json`]);
  });
});

describe('a LocalLambda started again on the journal of one stopped while a retry waited', () => {
  it('runs the retry once, when it was due, with the same request id; the record counts every attempt and goes out once', async () => {
    const dir = journalDir();
    const before = lambdaOn(dir);
    const { requestId } = await before.lambda.invoke({ functionName: 'S-Fail', payload: { id: 'n1' }, invocationType: 'Event' });
    await until(() => before.logs.some(({ line }) => line.includes('retrying in 300 ms')));
    const failedAt = Date.now();
    expect(before.lambda.pendingAsyncInvocations()).toEqual([
      expect.objectContaining({ requestId, nextAttempt: 2, lastError: 'NotFound: no note n1', payload: { id: 'n1' } }),
    ]);
    before.lambda.stop();

    const after = lambdaOn(dir);
    expect(after.lambda.resumeJournaledInvocations()).toBe(1);
    await after.settled();
    const attempts = after.starts();
    expect(attempts).toHaveLength(2);
    for (const { line } of attempts) expect(line).toContain(requestId);
    // The rest of the 300 ms wait, not a new one: attempt 2 about 300 ms after attempt 1 failed, attempt 3 600 ms after it.
    expect(attempts[0]!.at - failedAt).toBeGreaterThanOrEqual(250);
    expect(attempts[0]!.at - failedAt).toBeLessThan(550);
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(600);
    expect(before.starts()).toHaveLength(1);
    expect(before.queued).toEqual([]);
    expect(after.queued.map(({ detail }) => detail.requestContext)).toEqual([
      expect.objectContaining({ requestId, condition: 'RetriesExhausted', approximateInvokeCount: 3 }),
    ]);
    expect(after.lambda.endedAsyncInvocations()).toEqual([
      expect.objectContaining({ requestId, outcome: 'RetriesExhausted', attempts: 3, sentTo: [BUS_ARN] }),
    ]);
    // Ended: nothing left to resume.
    expect(readdirSync(dir)).toEqual([]);
  });

  it('counts the event’s age from its first acceptance: a retry now past MaximumEventAgeInSeconds is discarded (EventAgeExceeded) with the last error', async () => {
    const dir = journalDir();
    // Accepted 70 scaled seconds ago (350 ms at 0.005), its retry due now: older than the function's 60 s.
    const acceptedAt = Date.now() - 350;
    new AsyncInvocationJournal(dir).write(
      entry({
        acceptedAt,
        attempt: 2,
        dueAt: Date.now(),
        lastResult: {
          payload: { errorType: 'NotFound', errorMessage: 'no note n1' },
          functionError: { errorType: 'NotFound', errorMessage: 'no note n1' },
        },
      }),
    );
    const after = lambdaOn(dir, { maximumEventAgeSeconds: 60 });
    after.lambda.resumeJournaledInvocations();
    await after.settled();
    expect(after.starts()).toHaveLength(0);
    expect(after.queued.map(({ detail }) => detail)).toEqual([
      expect.objectContaining({
        requestContext: expect.objectContaining({ requestId: entry().requestId, condition: 'EventAgeExceeded', approximateInvokeCount: 1 }),
        requestPayload: { id: 'n1' },
        responsePayload: { errorType: 'NotFound', errorMessage: 'no note n1' },
      }),
    ]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('reports and sets aside an entry it cannot read and one whose function is no longer served; it resumes the others', async () => {
    const dir = journalDir();
    const journal = new AsyncInvocationJournal(dir);
    journal.write(entry({ payload: { id: 'n2' } }));
    journal.write(entry({ requestId: 'cccccccc-0000-0000-0000-000000000000', functionName: 'S-Gone', invokedArn: arnOf('S-Gone') }));
    writeFileSync(path.join(dir, 'torn.json'), '{"requestId":');
    const after = lambdaOn(dir);
    expect(after.lambda.resumeJournaledInvocations()).toBe(1);
    await after.settled();
    const lines = after.logs.map(({ line }) => line);
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^lambda: a journaled asynchronous invocation cannot be read \(.*JSON.*\); moved to .*set-aside\/torn\.json, not resumed$/,
      ),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^lambda S-Gone: asynchronous invocation cccccccc-.* not resumed \(Function not found: S-Gone.*\); moved to .*set-aside/,
      ),
    );
    expect(readdirSync(path.join(dir, SET_ASIDE_DIR)).sort()).toEqual(['cccccccc-0000-0000-0000-000000000000.json', 'torn.json']);
    expect(after.queued.map(({ detail }) => detail.requestPayload)).toEqual([{ id: 'n2' }]);
    expect(existsSync(path.join(dir, `${entry().requestId}.json`))).toBe(false);
  });
});
