/**
 * One running pipe with a DynamoDB stream source, as Pipes runs one (eb-pipes-dynamodb.html,
 * eb-pipes-batching-concurrency.html, eb-pipes-error-troubleshooting.html):
 * - polls the stream (four times a second by default), keeps the records its filters match (a record
 *   that matches none is dropped and the stream moves past it), and hands on a batch as soon as records
 *   are there, or after `MaximumBatchingWindowInSeconds`, at most `BatchSize`;
 * - one batch at a time, in stream order: a batch being retried holds back every later record, so
 *   records of a partition key reach the target in the order they were written (locally one shard
 *   holds the whole table, so the order is the table's write order);
 * - a failed batch is retried with exponential backoff; only the records the target refused are
 *   retried (partial batch failure), halved on each failure with `AUTOMATIC_BISECT`; when
 *   `MaximumRetryAttempts` or `MaximumRecordAgeInSeconds` is exceeded the records are kept as a failed
 *   batch (the dead-letter queue's stand-in) and the pipe moves on. Delivery is at least once.
 *
 * @example
 * const pipe = new StreamPipe(definition, { reader, deliver, onBatch: console.log, onFailed: keep });
 * pipe.start();
 * await pipe.caughtUp(); // everything written before this call has been handled
 * await pipe.stop();
 */
import type { DynamoDbStreamReader, ShardRecord } from '../dynamodb/streams.ts';
import { matchesEventPattern } from '../eventbridge/index.ts';
import type { TargetOutcome } from './eventBusTarget.ts';
import type { DynamoDbStreamSource, PipeDefinition } from './pipeDefinition.ts';
import { pipeEventOf, type DynamoDbStreamEvent } from './streamEvent.ts';

export interface PipeTiming {
  /** How often an idle pipe reads its stream; AWS polls four times a second. Default 250 ms. */
  pollIntervalMs?: number;
  /** First retry delay, doubled each attempt (with jitter); default 500 ms. */
  retryBaseDelayMs?: number;
  /** Longest delay between attempts; default 60 s. */
  retryMaxDelayMs?: number;
}

export interface PipeBatchLog {
  pipeName: string;
  targetArn: string;
  records: number;
  attempt: number;
  outcome: 'delivered' | 'retrying' | 'failed';
  durationMs: number;
  error?: { code: string; message: string };
  nextAttemptInMs?: number;
  /** The records of this attempt as the target saw them, for recorders (the local console's pipe batches). */
  events: DynamoDbStreamEvent[];
}

/** Records a pipe gave up on: what its dead-letter queue would be told, with the records themselves kept too. */
export interface FailedPipeBatch {
  pipeName: string;
  pipeArn: string;
  deadLetterArn: string | undefined;
  /** As Lambda's stream event source mappings name it in their DLQ messages. */
  condition: 'RetryAttemptsExhausted' | 'RecordAgeExceeded' | 'NotRunLocally';
  attempts: number;
  error: { code: string; message: string };
  time: string;
  /** The DLQ message's batch information (Lambda's `DDBStreamBatchInfo` shape). */
  batchInfo: {
    shardId: string;
    startSequenceNumber: string;
    endSequenceNumber: string;
    approximateArrivalOfFirstRecord: string;
    approximateArrivalOfLastRecord: string;
    batchSize: number;
    streamArn: string;
  };
  records: DynamoDbStreamEvent[];
}

type Deliver = (events: DynamoDbStreamEvent[]) => TargetOutcome | Promise<TargetOutcome>;

export class StreamPipe {
  private running = false;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private readsStarted = 0;
  private readonly caughtUpWaiters: { afterRead: number; resolve: () => void }[] = [];
  private readonly source: DynamoDbStreamSource;
  private readonly timing: Required<PipeTiming>;

  constructor(
    readonly definition: PipeDefinition,
    private readonly deps: {
      reader: DynamoDbStreamReader;
      deliver: Deliver;
      region: string;
      timing?: PipeTiming;
      onBatch?: (log: PipeBatchLog) => void;
      onFailed: (batch: FailedPipeBatch) => void;
      /** A stream read failed (DynamoDB Local down, a broken iterator); the pipe reads again after `retryInMs`. */
      onReadError?: (error: Error, retryInMs: number) => void;
      /** Why every batch is refused, when the pipe needs what runs nowhere locally (an enrichment, a target kind). */
      refusal?: { code: string; message: string };
    },
  ) {
    this.source = definition.source!;
    this.timing = { pollIntervalMs: 250, retryBaseDelayMs: 500, retryMaxDelayMs: 60_000, ...deps.timing };
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stops reading and retrying; a batch in flight finishes its current attempt first. */
  async stop(): Promise<void> {
    this.running = false;
    this.wakeUp?.();
    await this.loop;
    this.releaseWaiters();
  }

  /** Resolves once the pipe has read its stream to the end after this call and handled every record (delivered or kept as failed). */
  caughtUp(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => this.caughtUpWaiters.push({ afterRead: this.readsStarted, resolve }));
  }

  /** Reads and hands on batches until stopped; a failed read is retried with backoff, never the end of the pipe. */
  private async run(): Promise<void> {
    let failedReads = 0;
    while (this.running) {
      let batch: ShardRecord[];
      try {
        batch = await this.gather();
        failedReads = 0;
      } catch (error) {
        failedReads += 1;
        const delay = this.backoff(failedReads);
        this.deps.onReadError?.(error as Error, delay);
        await this.sleep(delay);
        continue;
      }
      if (!this.running) return;
      if (batch.length === 0) {
        await this.sleep(this.timing.pollIntervalMs);
        continue;
      }
      await this.handle(batch);
    }
  }

  /** Reads until a batch is full, the batching window (from the first kept record) is over, or the stream has nothing new. */
  private async gather(): Promise<ShardRecord[]> {
    const batch: ShardRecord[] = [];
    const windowMs = this.source.maximumBatchingWindowInSeconds * 1000;
    let firstKeptAt: number | undefined;
    while (this.running) {
      const readId = (this.readsStarted += 1);
      const read = await this.deps.reader.read(this.source.batchSize - batch.length);
      batch.push(...read.filter((entry) => this.matches(entry)));
      if (batch.length >= this.source.batchSize) return batch;
      if (batch.length > 0) firstKeptAt ??= Date.now();
      if (read.length === 0 && batch.length === 0) {
        this.notifyCaughtUp(readId);
        return batch;
      }
      if (read.length > 0 && windowMs === 0 && batch.length === 0) continue; // all filtered out: read on
      if (firstKeptAt === undefined) continue;
      const left = firstKeptAt + windowMs - Date.now();
      if (left <= 0) return batch;
      if (read.length === 0) await this.sleep(Math.min(this.timing.pollIntervalMs, left));
    }
    return batch;
  }

  /** A record passes when there are no filters or any filter matches it (FilterCriteria: patterns are ORed). */
  private matches(entry: ShardRecord): boolean {
    if (this.definition.filters.length === 0) return true;
    const event = this.eventOf(entry);
    return this.definition.filters.some((filter) => matchesEventPattern(filter, event));
  }

  private eventOf(entry: ShardRecord): DynamoDbStreamEvent {
    return pipeEventOf(entry.record, { region: this.deps.region, streamArn: this.source.streamArn });
  }

  private async handle(records: ShardRecord[]): Promise<void> {
    const queue = [{ records, attempts: 0 }];
    while (queue.length > 0 && this.running) {
      const item = queue[0]!;
      const events = item.records.map((entry) => this.eventOf(entry));
      const started = performance.now();
      const outcome: TargetOutcome = this.deps.refusal
        ? { failed: events.map((_event, index) => index), error: this.deps.refusal }
        : await this.deps.deliver(events);
      item.attempts += 1;
      const log = {
        pipeName: this.definition.name,
        targetArn: this.definition.target.arn,
        attempt: item.attempts,
        durationMs: performance.now() - started,
      };
      if (outcome.failed.length === 0) {
        this.deps.onBatch?.({ ...log, records: events.length, outcome: 'delivered', events });
        queue.shift();
        continue;
      }
      const error = outcome.error ?? { code: 'InternalException', message: 'the target refused the batch' };
      const remaining = outcome.failed.map((index) => item.records[index]!);
      const condition = this.deps.refusal ? 'NotRunLocally' : this.exhausted(item.attempts, remaining);
      if (condition) {
        this.deps.onBatch?.({
          ...log,
          records: remaining.length,
          outcome: 'failed',
          error,
          events: outcome.failed.map((index) => events[index]!),
        });
        this.deps.onFailed(this.failedBatch(remaining, condition, item.attempts, error));
        queue.shift();
        continue;
      }
      const delay = this.backoff(item.attempts);
      this.deps.onBatch?.({
        ...log,
        records: remaining.length,
        outcome: 'retrying',
        error,
        nextAttemptInMs: delay,
        events: outcome.failed.map((index) => events[index]!),
      });
      if (this.source.bisectOnFailure && remaining.length > 1) {
        const half = Math.ceil(remaining.length / 2);
        queue.splice(
          0,
          1,
          { records: remaining.slice(0, half), attempts: item.attempts },
          { records: remaining.slice(half), attempts: item.attempts },
        );
      } else {
        item.records = remaining;
      }
      await this.sleep(delay);
    }
  }

  private exhausted(attempts: number, records: ShardRecord[]): FailedPipeBatch['condition'] | undefined {
    const { maximumRetryAttempts, maximumRecordAgeInSeconds } = this.source;
    if (maximumRetryAttempts >= 0 && attempts > maximumRetryAttempts) return 'RetryAttemptsExhausted';
    const oldest = records[0]?.record.dynamodb?.ApproximateCreationDateTime;
    if (maximumRecordAgeInSeconds >= 0 && oldest && (Date.now() - new Date(oldest).getTime()) / 1000 > maximumRecordAgeInSeconds)
      return 'RecordAgeExceeded';
    return undefined;
  }

  private failedBatch(
    records: ShardRecord[],
    condition: FailedPipeBatch['condition'],
    attempts: number,
    error: { code: string; message: string },
  ): FailedPipeBatch {
    const first = records[0]!;
    const last = records.at(-1)!;
    const arrival = (entry: ShardRecord) => new Date(entry.record.dynamodb?.ApproximateCreationDateTime ?? Date.now()).toISOString();
    return {
      pipeName: this.definition.name,
      pipeArn: this.definition.arn,
      deadLetterArn: this.source.deadLetterArn,
      condition,
      attempts,
      error,
      time: new Date().toISOString(),
      batchInfo: {
        shardId: first.shardId,
        startSequenceNumber: String(first.record.dynamodb?.SequenceNumber),
        endSequenceNumber: String(last.record.dynamodb?.SequenceNumber),
        approximateArrivalOfFirstRecord: arrival(first),
        approximateArrivalOfLastRecord: arrival(last),
        batchSize: records.length,
        streamArn: this.source.streamArn,
      },
      records: records.map((entry) => this.eventOf(entry)),
    };
  }

  /** Exponential backoff with jitter: between half and all of base × 2^(attempt−1), capped. */
  private backoff(attempt: number): number {
    const full = Math.min(this.timing.retryMaxDelayMs, this.timing.retryBaseDelayMs * 2 ** (attempt - 1));
    return Math.round(full / 2 + Math.random() * (full / 2));
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wakeUp = undefined;
        resolve();
      }, ms);
      this.wakeUp = () => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        resolve();
      };
    });
  }

  private notifyCaughtUp(readId: number): void {
    for (const waiter of [...this.caughtUpWaiters]) {
      if (readId > waiter.afterRead) {
        this.caughtUpWaiters.splice(this.caughtUpWaiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  }

  private releaseWaiters(): void {
    for (const waiter of this.caughtUpWaiters.splice(0)) waiter.resolve();
  }
}
