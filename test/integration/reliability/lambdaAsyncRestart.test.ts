/**
 * The local stack stopped while Lambda's asynchronous queue holds a retry, and started again on the same
 * `persistDir`, as a developer restarting `npm start --persist DIR` would. On AWS the queue is Lambda's:
 * "Lambda places the event in a queue and returns a success response ... A separate process reads events
 * from the queue and sends them to your function" (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async.html),
 * and the event leaves it only when it "expires or fails all processing attempts"
 * (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html): a caller's restart
 * loses nothing. Locally the queue's journal (`<persistDir>/lambda`) stands in for that.
 *
 * The app is test/fixtures/lambdaApp: an event with detail-type `Broken` on the default bus reaches the
 * Recorder function (a rule target, invoked asynchronously), which fails; Lambda retries it twice, then
 * sends the failure record to the default bus, whose rule hands it to FailureLog, which writes
 * `failure-of-<id>` to the table. Requests go over HTTP to the local AppSync server and its console.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalStack, type DeliveryLog, type LocalStackOptions } from '../../../local/index.ts';

const ASSEMBLY = path.resolve('test/fixtures/lambdaApp/assembly');
const RECORDER = 'LambdaApp-RecorderC4C6639E';
/** Lambda's 1- and 2-minute waits become 3 and 6 s: time to stop the stack while the first one runs. */
const DELAY_SCALE = 0.05;
const persistDir = `.local/lambda-restart-${process.pid}-${Date.now()}`;

/** One match of the console's search (/_local/api/search). */
interface SearchMatch {
  view: string;
  title: string;
}

let stack: LocalStack | undefined;
afterAll(async () => {
  await stack?.stop();
  rmSync(persistDir, { recursive: true, force: true });
});

/** One run of the stack on `persistDir`, with what it wrote to the dev log, its progress lines and its bus deliveries. */
async function startStack(): Promise<{ stack: LocalStack; lines: string[]; progress: string[]; deliveries: DeliveryLog[] }> {
  const lines: string[] = [];
  const progress: string[] = [];
  const deliveries: DeliveryLog[] = [];
  const options: LocalStackOptions = {
    cdkOut: ASSEMBLY,
    port: 0,
    tlsDir: '.local/tls',
    persistDir,
    busRetry: { baseDelayMs: 10, maxDelayMs: 20, jitter: false },
    lambdaAsyncDelayScale: DELAY_SCALE,
    onEvent: (line) => lines.push(line),
    onProgress: (line) => progress.push(line),
    onDelivery: (log) => deliveries.push(log),
  };
  stack = await LocalStack.start(options);
  current = { stack, lines, progress, deliveries };
  return current;
}
let current: Awaited<ReturnType<typeof startStack>> | undefined;

async function graphql(on: LocalStack, query: string, variables: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const response = await fetch(on.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': on.apiKey },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data: Record<string, unknown>; errors?: unknown };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

async function search(on: LocalStack, id: string): Promise<SearchMatch[]> {
  const response = await fetch(`${on.consoleUrl}/api/search?q=${encodeURIComponent(id)}`);
  return ((await response.json()) as { matches: SearchMatch[] }).matches;
}

const starts = (lines: string[], requestId: string, functionName = RECORDER) =>
  lines.filter((line) => line.startsWith(`lambda ${functionName}: START RequestId: ${requestId}`));

describe('the local stack restarted while a Lambda retry waits in the asynchronous queue', () => {
  it('runs the retry once in the new stack, with the same request id, and the on-failure destination gets its record once', async () => {
    const id = `restart-${Date.now()}`;
    const first = await startStack();
    await graphql(first.stack, 'mutation ($id: ID!) { publish(id: $id, detailType: "Broken") }', { id });
    await expect
      .poll(() => first.lines.find((line) => line.includes(`cannot record ${id}; retrying in 3000 ms`)), { timeout: 15_000 })
      .toBeDefined();
    const failed = first.lines.find((line) => line.includes(`cannot record ${id}; retrying in`))!;
    const requestId = /asynchronous invocation (\S+) failed \(attempt 1 of 3\)/.exec(failed)![1]!;

    // The console finds the waiting retry by the event's id.
    expect(await search(first.stack, id)).toContainEqual(
      expect.objectContaining({
        view: 'lambda-pending',
        title: expect.stringContaining(`${RECORDER} asynchronous invocation ${requestId}: attempt 2 due `),
      }),
    );

    const stoppedAt = Date.now();
    await first.stack.stop();
    stack = undefined;
    const stoppedIn = Date.now() - stoppedAt;
    // The stop came while the retry was still waiting.
    expect(starts(first.lines, requestId)).toHaveLength(1);

    const second = await startStack();
    console.info(`lambda queue restart: stopped in ${stoppedIn} ms, down ${Date.now() - stoppedAt} ms in all`);
    expect(second.progress).toContain('queued again 1 Lambda asynchronous invocation(s) left waiting');
    expect(second.lines).toContainEqual(
      expect.stringMatching(
        new RegExp(`^lambda ${RECORDER}: asynchronous invocation ${requestId} resumed after a restart: attempt 2 of 3 in \\d+ ms$`),
      ),
    );

    const seen = async (key: string) =>
      (await graphql(second.stack, 'query ($id: ID!) { seen(id: $id) { id via detailType } }', { id: key })).seen;
    await expect
      .poll(() => seen(`failure-of-${id}`), { timeout: 30_000, interval: 200 })
      .toEqual({
        id: `failure-of-${id}`,
        via: 'RetriesExhausted after 3 attempts',
        detailType: 'NotFound',
      });
    await second.stack.lambda.asyncIdle();
    await second.stack.bus.idle();

    // Attempt 1 before the stop, attempts 2 and 3 after it, all under the request id the event was accepted with.
    expect(starts(second.lines, requestId)).toHaveLength(2);
    expect(starts([...first.lines, ...second.lines], '')).toHaveLength(3);
    const records = (deliveries: DeliveryLog[]) =>
      deliveries.filter((log) => log.detailType === 'Lambda Function Invocation Result - Failure' && log.outcome === 'delivered');
    expect(records(first.deliveries)).toHaveLength(0);
    expect(records(second.deliveries)).toHaveLength(1);
    expect(second.lines.filter((line) => /^lambda LambdaApp-FailureLog\w+: START RequestId:/.test(line))).toHaveLength(1);

    // The console of the new stack tells the end: Lambda's outcome and the record's delivery on the bus.
    const matches = await search(second.stack, id);
    expect(matches).toContainEqual(
      expect.objectContaining({
        view: 'lambda-ended',
        title: expect.stringContaining(
          `${RECORDER} asynchronous invocation ${requestId}: RetriesExhausted after 3 attempt(s), record to arn:aws:events:`,
        ),
      }),
    );
    expect(matches).toContainEqual(
      expect.objectContaining({ view: 'deliveries', title: expect.stringContaining('Lambda Function Invocation Result - Failure') }),
    );
    expect(matches.filter((match) => match.view === 'lambda-pending')).toEqual([]);
  }, 120_000);

  it('a reload (npm start --watch) while a retry waits: the new functions run it once, with the same request id', async () => {
    const { stack: running, lines } = current!;
    const id = `reload-${Date.now()}`;
    await graphql(running, 'mutation ($id: ID!) { publish(id: $id, detailType: "Broken") }', { id });
    await expect
      .poll(() => lines.find((line) => line.includes(`cannot record ${id}; retrying in 3000 ms`)), { timeout: 15_000 })
      .toBeDefined();
    const failed = lines.find((line) => line.includes(`cannot record ${id}; retrying in`))!;
    const requestId = /asynchronous invocation (\S+) failed \(attempt 1 of 3\)/.exec(failed)![1]!;
    const previous = running.lambda;
    await running.reload();
    expect(running.lambda).not.toBe(previous);
    expect(running.lambda.pendingAsyncInvocations()).toEqual([expect.objectContaining({ requestId, nextAttempt: 2 })]);
    await expect
      .poll(async () => (await graphql(running, 'query ($id: ID!) { seen(id: $id) { via } }', { id: `failure-of-${id}` })).seen, {
        timeout: 30_000,
        interval: 200,
      })
      .toEqual({ via: 'RetriesExhausted after 3 attempts' });
    await running.lambda.asyncIdle();
    expect(starts(lines, requestId)).toHaveLength(3);
  }, 60_000);
});
