/**
 * Lambda's asynchronous invocation (`InvocationType: Event`), as EventBridge rules, AppSync's `Event`
 * invocations and the Invoke API use it: the event is accepted at once; a function error is retried by
 * Lambda itself, "two more times, with a one-minute wait between the first two attempts, and two minutes
 * between the second and third" (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html),
 * fewer when the function's EventInvokeConfig says so; an event older than MaximumEventAgeInSeconds is
 * discarded. Then the invocation record goes to the function's on-failure destination and the event to its
 * dead-letter queue (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html);
 * a success goes to its on-success destination.
 *
 * What runs here: EventBridge-bus and Lambda destinations. SQS, SNS and S3 destinations and dead-letter
 * queues do not: their records are written to the dev log and kept in `undeliveredRecords()`.
 *
 * With a `journalDir`, the queue is on disk (asyncInvocationJournal.ts): every accepted event stays written
 * down until it ends, and a queue started again on the same directory resumes the waiting ones
 * (`resumeJournaled`), with their request id, attempt count, remaining delay and original age.
 */
import { randomUUID } from 'node:crypto';
import type { PutEventsRequest, PutEventsResponse } from '../eventbridge/index.ts';
import { DEFAULT_ASYNC_CONFIG } from './asyncInvocationConfig.ts';
import { AsyncInvocationJournal, type JournaledInvocation } from './asyncInvocationJournal.ts';
import type { FunctionRunner, InvocationResult } from './functionRunner.ts';
import { PendingWork } from '../pendingWork.ts';

/** Lambda's waits before the first and the second retry of a function error. */
export const ASYNC_RETRY_DELAYS_MS = [60_000, 120_000];

/** Why a record went to a destination: the `requestContext.condition` Lambda writes. */
export type RecordCondition = 'Success' | 'RetriesExhausted' | 'EventAgeExceeded';

/** The record Lambda sends to a destination (the JSON of an asynchronous invocation's outcome). */
export interface AsyncInvocationRecord {
  version: '1.0';
  timestamp: string;
  requestContext: { requestId: string; functionArn: string; condition: RecordCondition; approximateInvokeCount: number };
  requestPayload: unknown;
  responseContext: { statusCode: 200; executedVersion: '$LATEST'; functionError?: 'Unhandled' };
  responsePayload: unknown;
}

/** A record (or, for a dead-letter queue, the event) that could not go where the function sends it. */
export interface UndeliveredRecord {
  functionName: string;
  destination: 'OnSuccess' | 'OnFailure' | 'DeadLetterQueue';
  destinationArn: string;
  /** The invocation record; for a dead-letter queue, the event alone (Lambda sends no response details there). */
  body: unknown;
  reason: string;
  at: string;
}

export interface AsyncInvocationOptions {
  /**
   * Multiplies Lambda's retry delays and the clock an event's age is measured on. 1 (AWS's timing:
   * 1 and 2 minutes) unless set; tests set a small one (0.001 makes the delays 60 and 120 ms).
   */
  delayScale?: number;
  /** An EventBridge destination: puts one entry on a bus (the local bus's `putEvents`). */
  putEvents?: (request: PutEventsRequest) => PutEventsResponse;
  /**
   * Keep the queue on disk here (the local stack's `<persistDir>/lambda`): accepted events survive a
   * restart and `resumeJournaled` runs them on. Default in memory.
   */
  journalDir?: string;
  onLog?: (line: string) => void;
}

/** An event in the queue, waiting for its next attempt (or in it), as the console shows it. */
export interface PendingAsyncInvocation {
  requestId: string;
  functionName: string;
  payload: unknown;
  acceptedAt: string;
  /** The attempt to come (1 for the first). */
  nextAttempt: number;
  nextAttemptAt: string;
  /** The previous attempt's error, `errorType: errorMessage`. */
  lastError?: string;
}

/** An asynchronous invocation that has left the queue: how, after how many attempts, and where its record went. */
export interface EndedAsyncInvocation {
  requestId: string;
  functionName: string;
  payload: unknown;
  acceptedAt: string;
  endedAt: string;
  attempts: number;
  outcome: RecordCondition;
  lastError?: string;
  /** The destinations (and dead-letter queue) its record (or event) was sent to, delivered or kept as undelivered. */
  sentTo: string[];
}

/** Ended invocations kept for the console, newest last. */
export const ENDED_INVOCATIONS_KEPT = 200;

interface QueuedEvent {
  runner: FunctionRunner;
  payload: unknown;
  invokedArn: string;
  requestId: string;
  acceptedAt: number;
  attempt: number;
  dueAt: number;
  lastResult?: InvocationResult;
}

/**
 * The queue of one LocalLambda's asynchronous invocations.
 *
 * @example
 * const queue = new AsyncInvocationQueue((name) => lambda.runnerOf(name), { delayScale: 0.001 });
 * const requestId = queue.accept(runner, { id: 1 });
 * await queue.idle(); // every attempt, retry and destination done
 */
export class AsyncInvocationQueue {
  private readonly undelivered: UndeliveredRecord[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Invocations under way, retries and destinations included: what idle() waits for. */
  private readonly work = new PendingWork();
  /** Events accepted and not ended, by request id. */
  private readonly pending = new Map<string, QueuedEvent>();
  private readonly ended: EndedAsyncInvocation[] = [];
  private readonly journal: AsyncInvocationJournal | undefined;
  private closed = false;

  constructor(
    /** The function a destination ARN names (throws for one not served). */
    private readonly runnerOf: (functionName: string) => FunctionRunner,
    private readonly options: AsyncInvocationOptions = {},
  ) {
    this.journal = options.journalDir ? new AsyncInvocationJournal(options.journalDir) : undefined;
  }

  /** Queue an event for the function and answer at once with its request id (the Invoke API's 202). */
  accept(runner: FunctionRunner, payload: unknown, invokedArn = runner.definition.arn): string {
    if (this.closed) throw new Error(`Lambda function ${runner.definition.name} is stopped.`);
    const requestId = randomUUID();
    const now = Date.now();
    this.work.begin();
    this.enqueue({ runner, payload, invokedArn, requestId, acceptedAt: now, attempt: 1, dueAt: now });
    return requestId;
  }

  /**
   * After a restart on the same `journalDir`, once the functions are served again: every event written
   * there and not ended is queued again with its request id, its attempt count, what is left of its delay
   * (none if it was due while the runtime was down) and its first acceptance time, so MaximumEventAgeInSeconds
   * counts the time down too. A retry that would now run past that age is discarded as `EventAgeExceeded`
   * (its record to the on-failure destination), as a retry scheduled past it is. An attempt the stop cut
   * short is made again: at least once, as AWS's own queue may deliver an event twice
   * (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html). An entry that
   * cannot be read, or whose function is no longer served, is moved to `set-aside/` and logged, never
   * dropped. Returns how many were queued again.
   *
   * @example
   * const lambda = new LocalLambda(functions, { ...options, async: { journalDir: '.local/data/lambda' } });
   * lambda.resumeJournaledInvocations(); // 1
   */
  resumeJournaled(): number {
    if (!this.journal || this.closed) return 0;
    const { invocations, setAside } = this.journal.read();
    for (const { file, reason } of setAside)
      this.log(`lambda: a journaled asynchronous invocation cannot be read (${reason}); moved to ${file}, not resumed`);
    let resumed = 0;
    for (const journaled of invocations) {
      if (this.pending.has(journaled.requestId)) continue;
      let runner: FunctionRunner;
      try {
        runner = this.runnerOf(journaled.functionName);
      } catch (error) {
        const file = this.journal.setAside(journaled.requestId);
        this.log(
          `lambda ${journaled.functionName}: asynchronous invocation ${journaled.requestId} not resumed (${(error as Error).message}); moved to ${file}`,
        );
        continue;
      }
      this.work.begin();
      resumed += 1;
      this.resumeOne(runner, journaled);
    }
    return resumed;
  }

  private resumeOne(runner: FunctionRunner, journaled: JournaledInvocation): void {
    const { requestId, attempt } = journaled;
    const queued: QueuedEvent = {
      runner,
      payload: journaled.payload,
      invokedArn: journaled.invokedArn,
      requestId,
      acceptedAt: journaled.acceptedAt,
      attempt,
      dueAt: journaled.dueAt,
      ...(journaled.lastResult ? { lastResult: { requestId, ...journaled.lastResult } } : {}),
    };
    const config = runner.definition.asyncInvocation ?? DEFAULT_ASYNC_CONFIG;
    const runsAt = Math.max(Date.now(), queued.dueAt);
    const name = runner.definition.name;
    if (attempt > 1 && queued.lastResult && this.ageMs(queued, runsAt) > config.maximumEventAgeSeconds * 1000) {
      this.log(`lambda ${name}: asynchronous invocation ${requestId} resumed after a restart, older than MaximumEventAgeInSeconds`);
      this.discard({ ...queued, attempt: attempt - 1 }, queued.lastResult, 'EventAgeExceeded');
      return;
    }
    this.log(
      `lambda ${name}: asynchronous invocation ${requestId} resumed after a restart: attempt ${attempt} of ${config.maximumRetryAttempts + 1} in ${Math.round(runsAt - Date.now())} ms`,
    );
    this.enqueue(queued);
  }

  /** The event's age at `at`, on the clock the delays are scaled by. */
  private ageMs(queued: QueuedEvent, at: number): number {
    return (at - queued.acceptedAt) / (this.options.delayScale ?? 1);
  }

  /** Written down (with a journal), then its next attempt timed for `dueAt`. */
  private enqueue(queued: QueuedEvent): void {
    this.pending.set(queued.requestId, queued);
    this.journal?.write({
      requestId: queued.requestId,
      functionName: queued.runner.definition.name,
      invokedArn: queued.invokedArn,
      payload: queued.payload,
      acceptedAt: queued.acceptedAt,
      attempt: queued.attempt,
      dueAt: queued.dueAt,
      ...(queued.lastResult
        ? {
            lastResult: {
              payload: queued.lastResult.payload,
              ...(queued.lastResult.functionError ? { functionError: queued.lastResult.functionError } : {}),
            },
          }
        : {}),
    });
    const timer = setTimeout(
      () => {
        this.timers.delete(timer);
        void this.attempt(queued);
      },
      Math.max(0, queued.dueAt - Date.now()),
    );
    this.timers.add(timer);
  }

  private async attempt(queued: QueuedEvent): Promise<void> {
    const { runner, requestId, attempt } = queued;
    const config = runner.definition.asyncInvocation ?? DEFAULT_ASYNC_CONFIG;
    let result: InvocationResult;
    try {
      result = await runner.invoke(queued.payload, queued.invokedArn, requestId);
    } catch (error) {
      // The environment could not run it at all (the function was stopped): nothing left to retry.
      result = { requestId, payload: null, functionError: { errorType: 'ServiceException', errorMessage: (error as Error).message } };
    }
    if (this.closed) return;
    if (!result.functionError) {
      if (config.onSuccess) this.sendRecord(queued, config.onSuccess, 'OnSuccess', this.recordOf(queued, result, 'Success'));
      this.settle(queued, result, 'Success', config.onSuccess ? [config.onSuccess] : []);
      return;
    }
    const name = runner.definition.name;
    const maxAttempts = config.maximumRetryAttempts + 1;
    const failure = `${result.functionError.errorType}: ${result.functionError.errorMessage}`;
    let condition: RecordCondition = 'RetriesExhausted';
    if (attempt < maxAttempts) {
      const delayMs = ASYNC_RETRY_DELAYS_MS[attempt - 1]! * (this.options.delayScale ?? 1);
      const dueAt = Date.now() + delayMs;
      if (this.ageMs(queued, dueAt) <= config.maximumEventAgeSeconds * 1000) {
        this.log(
          `lambda ${name}: asynchronous invocation ${requestId} failed (attempt ${attempt} of ${maxAttempts}): ${failure}; retrying in ${Math.round(delayMs)} ms`,
        );
        this.enqueue({ ...queued, attempt: attempt + 1, dueAt, lastResult: result });
        return;
      }
      condition = 'EventAgeExceeded';
    }
    this.log(`lambda ${name}: asynchronous invocation ${requestId} discarded after ${attempt} attempt(s) (${condition}): ${failure}`);
    this.discard(queued, result, condition);
  }

  /** The event leaves the queue having failed: its record to the on-failure destination, the event to the dead-letter queue. */
  private discard(queued: QueuedEvent, result: InvocationResult, condition: RecordCondition): void {
    const config = queued.runner.definition.asyncInvocation ?? DEFAULT_ASYNC_CONFIG;
    const name = queued.runner.definition.name;
    if (config.onFailure) this.sendRecord(queued, config.onFailure, 'OnFailure', this.recordOf(queued, result, condition));
    if (config.deadLetterArn) this.keepUndelivered(name, 'DeadLetterQueue', config.deadLetterArn, queued.payload);
    if (!config.onFailure && !config.deadLetterArn)
      this.log(`lambda ${name}: the event of ${queued.requestId} is dropped (no on-failure destination, no dead-letter queue)`);
    this.settle(
      queued,
      result,
      condition,
      [config.onFailure, config.deadLetterArn].filter((arn): arn is string => arn !== undefined),
    );
  }

  private recordOf(queued: QueuedEvent, result: InvocationResult, condition: RecordCondition): AsyncInvocationRecord {
    return {
      version: '1.0',
      timestamp: new Date().toISOString(),
      requestContext: {
        requestId: queued.requestId,
        functionArn: `${queued.runner.definition.arn}:$LATEST`,
        condition,
        approximateInvokeCount: queued.attempt,
      },
      requestPayload: queued.payload,
      responseContext: {
        statusCode: 200,
        executedVersion: '$LATEST',
        ...(result.functionError ? { functionError: 'Unhandled' as const } : {}),
      },
      responsePayload: result.payload,
    };
  }

  /** An EventBridge bus gets the record as an event's detail; a function gets it as its (asynchronous) event. */
  private sendRecord(queued: QueuedEvent, arn: string, destination: 'OnSuccess' | 'OnFailure', record: AsyncInvocationRecord): void {
    const name = queued.runner.definition.name;
    const service = arn.split(':')[2];
    if (service === 'events' && this.options.putEvents) {
      // What Lambda puts on the bus (invocation-async-retain-records.html): source "lambda", the record as detail.
      const detailType = `Lambda Function Invocation Result - ${destination === 'OnSuccess' ? 'Success' : 'Failure'}`;
      let answer: PutEventsResponse;
      try {
        answer = this.options.putEvents({
          Entries: [
            {
              Source: 'lambda',
              DetailType: detailType,
              Detail: JSON.stringify(record),
              Resources: [record.requestContext.functionArn],
              EventBusName: arn,
            },
          ],
        });
      } catch (error) {
        this.keepUndelivered(name, destination, arn, record, (error as Error).message);
        return;
      }
      const refused = answer.Entries[0];
      if (refused && 'ErrorCode' in refused)
        this.keepUndelivered(name, destination, arn, record, `${refused.ErrorCode}: ${refused.ErrorMessage}`);
      else this.log(`lambda ${name}: ${destination} record of ${record.requestContext.requestId} sent to ${arn}`);
      return;
    }
    if (service === 'lambda') {
      try {
        const target = this.runnerOf(arn);
        this.accept(target, record, arn);
        this.log(`lambda ${name}: ${destination} record of ${record.requestContext.requestId} sent to ${target.definition.name}`);
      } catch (error) {
        this.keepUndelivered(name, destination, arn, record, (error as Error).message);
      }
      return;
    }
    this.keepUndelivered(name, destination, arn, record);
  }

  private keepUndelivered(
    functionName: string,
    destination: UndeliveredRecord['destination'],
    arn: string,
    body: unknown,
    why?: string,
  ): void {
    const service = arn.split(':')[2] ?? 'this';
    const reason = why ?? (service === 'events' ? 'no local event bus is connected' : `a ${service} destination does not run locally`);
    this.undelivered.push({ functionName, destination, destinationArn: arn, body, reason, at: new Date().toISOString() });
    this.log(
      `lambda ${functionName}: ${destination} ${arn} not delivered (${reason}); kept in the local runtime's undelivered Lambda records: ${JSON.stringify(body).slice(0, 500)}`,
    );
  }

  private log(line: string): void {
    this.options.onLog?.(line);
  }

  /** The invocation has ended: out of the queue and of the journal (after its record went out), kept for the console. */
  private settle(queued: QueuedEvent, result: InvocationResult, outcome: RecordCondition, sentTo: string[]): void {
    this.pending.delete(queued.requestId);
    this.journal?.remove(queued.requestId);
    this.ended.push({
      requestId: queued.requestId,
      functionName: queued.runner.definition.name,
      payload: queued.payload,
      acceptedAt: new Date(queued.acceptedAt).toISOString(),
      endedAt: new Date().toISOString(),
      attempts: queued.attempt,
      outcome,
      ...(result.functionError ? { lastError: errorText(result) } : {}),
      sentTo,
    });
    if (this.ended.length > ENDED_INVOCATIONS_KEPT) this.ended.shift();
    this.work.end();
  }

  /** Records (and dead-letter events) that could not go to their destination, oldest first. */
  undeliveredRecords(): UndeliveredRecord[] {
    return [...this.undelivered];
  }

  /** Events in the queue (waiting for an attempt or in one), the next due first. */
  pendingInvocations(): PendingAsyncInvocation[] {
    return [...this.pending.values()]
      .sort((a, b) => a.dueAt - b.dueAt)
      .map((queued) => ({
        requestId: queued.requestId,
        functionName: queued.runner.definition.name,
        payload: queued.payload,
        acceptedAt: new Date(queued.acceptedAt).toISOString(),
        nextAttempt: queued.attempt,
        nextAttemptAt: new Date(queued.dueAt).toISOString(),
        ...(queued.lastResult?.functionError ? { lastError: errorText(queued.lastResult) } : {}),
      }));
  }

  /** The last invocations that left the queue (succeeded or discarded), oldest first. */
  endedInvocations(): EndedAsyncInvocation[] {
    return [...this.ended];
  }

  /** Resolves when no asynchronous invocation is pending: every attempt, retry and destination done. */
  idle(): Promise<void> {
    return this.work.idle();
  }

  /** Cancels queued events and retries; with a journal they stay written down, for a queue started again to resume. */
  close(): void {
    this.closed = true;
    this.journal?.close();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.work.close();
  }
}

function errorText(result: InvocationResult): string {
  return `${result.functionError?.errorType}: ${result.functionError?.errorMessage}`;
}
