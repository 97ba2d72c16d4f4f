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
 */
import { randomUUID } from 'node:crypto';
import type { PutEventsRequest, PutEventsResponse } from '../eventbridge/index.ts';
import { DEFAULT_ASYNC_CONFIG } from './asyncInvocationConfig.ts';
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
  onLog?: (line: string) => void;
}

interface QueuedEvent {
  runner: FunctionRunner;
  payload: unknown;
  invokedArn: string;
  requestId: string;
  acceptedAt: number;
  attempt: number;
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
  private closed = false;

  constructor(
    /** The function a destination ARN names (throws for one not served). */
    private readonly runnerOf: (functionName: string) => FunctionRunner,
    private readonly options: AsyncInvocationOptions = {},
  ) {}

  /** Queue an event for the function and answer at once with its request id (the Invoke API's 202). */
  accept(runner: FunctionRunner, payload: unknown, invokedArn = runner.definition.arn): string {
    if (this.closed) throw new Error(`Lambda function ${runner.definition.name} is stopped.`);
    const requestId = randomUUID();
    this.work.begin();
    this.schedule({ runner, payload, invokedArn, requestId, acceptedAt: Date.now(), attempt: 1 }, 0);
    return requestId;
  }

  private schedule(queued: QueuedEvent, delayMs: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.attempt(queued);
    }, delayMs);
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
      this.settle();
      return;
    }
    const name = runner.definition.name;
    const maxAttempts = config.maximumRetryAttempts + 1;
    const failure = `${result.functionError.errorType}: ${result.functionError.errorMessage}`;
    let condition: RecordCondition = 'RetriesExhausted';
    if (attempt < maxAttempts) {
      const scale = this.options.delayScale ?? 1;
      const delayMs = ASYNC_RETRY_DELAYS_MS[attempt - 1]! * scale;
      const ageAtRetryMs = (Date.now() + delayMs - queued.acceptedAt) / scale;
      if (ageAtRetryMs <= config.maximumEventAgeSeconds * 1000) {
        this.log(
          `lambda ${name}: asynchronous invocation ${requestId} failed (attempt ${attempt} of ${maxAttempts}): ${failure}; retrying in ${Math.round(delayMs)} ms`,
        );
        this.schedule({ ...queued, attempt: attempt + 1 }, delayMs);
        return;
      }
      condition = 'EventAgeExceeded';
    }
    this.log(`lambda ${name}: asynchronous invocation ${requestId} discarded after ${attempt} attempt(s) (${condition}): ${failure}`);
    if (config.onFailure) this.sendRecord(queued, config.onFailure, 'OnFailure', this.recordOf(queued, result, condition));
    if (config.deadLetterArn) this.keepUndelivered(name, 'DeadLetterQueue', config.deadLetterArn, queued.payload);
    if (!config.onFailure && !config.deadLetterArn)
      this.log(`lambda ${name}: the event of ${requestId} is dropped (no on-failure destination, no dead-letter queue)`);
    this.settle();
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

  private settle(): void {
    this.work.end();
  }

  /** Records (and dead-letter events) that could not go to their destination, oldest first. */
  undeliveredRecords(): UndeliveredRecord[] {
    return [...this.undelivered];
  }

  /** Resolves when no asynchronous invocation is pending: every attempt, retry and destination done. */
  idle(): Promise<void> {
    return this.work.idle();
  }

  /** Cancels queued events and retries. */
  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.work.close();
  }
}
