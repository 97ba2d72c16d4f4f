/**
 * What makes Lambda's asynchronous queue durable across a restart of the local runtime: one JSON file
 * per accepted asynchronous invocation (`<dir>/<request id>.json`), rewritten when a retry is scheduled
 * and removed when the invocation ends (succeeded, its record sent to its destination, or discarded).
 * On AWS the queue is Lambda's, not the caller's: "Lambda places the event in a queue and returns a
 * success response ... A separate process reads events from the queue and sends them to your function"
 * (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async.html), and an event leaves it only when
 * it "expires or fails all processing attempts" (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html),
 * whatever happens to the service meanwhile. Locally the process may stop at any time, so the queue is
 * written down as the Step Functions journal is (local/stepfunctions/executionJournal.ts).
 *
 * One file per invocation, written to a temporary name and renamed (atomic on one file system), so a
 * crash mid-write leaves the previous version whole, and an ended invocation costs no space. A file
 * that cannot be read back is moved to `<dir>/set-aside/` and reported, never dropped.
 *
 * @example
 * const journal = new AsyncInvocationJournal('.local/data/lambda');
 * journal.write({ requestId, functionName: 'MyStack-Fn', invokedArn, payload: {}, acceptedAt: Date.now(), attempt: 1, dueAt: Date.now() });
 * const { invocations, setAside } = journal.read(); // after a restart
 */
import { FileJournal, type SetAsideEntry } from '../fileJournal.ts';
import type { FunctionError } from './functionRunner.ts';

/** An asynchronous invocation waiting for its next attempt, as written down. Times are epoch milliseconds. */
export interface JournaledInvocation {
  /** Kept across retries and restarts, as Lambda keeps it for every attempt of one event. */
  requestId: string;
  functionName: string;
  /** The ARN the caller named (a destination's record names it). */
  invokedArn: string;
  payload: unknown;
  /** When Lambda first accepted the event: MaximumEventAgeInSeconds counts from here, restarts included. */
  acceptedAt: number;
  /** The number of the attempt to make next (1: none made yet). */
  attempt: number;
  /** When that attempt is due. */
  dueAt: number;
  /** The previous attempt's answer (a function error), for the record if the event is discarded before the next one. */
  lastResult?: { payload: unknown; functionError?: FunctionError };
}

export { SET_ASIDE_DIR, type SetAsideEntry } from '../fileJournal.ts';

export class AsyncInvocationJournal {
  private readonly files: FileJournal<JournaledInvocation>;

  constructor(readonly dir: string) {
    this.files = new FileJournal(dir, whatIsWrong);
  }

  /** Writes (or rewrites) one invocation's entry before the 202 (or the retry's scheduling); nothing once closed. */
  write(invocation: JournaledInvocation): void {
    this.files.write(nameOf(invocation.requestId), invocation);
  }

  /** The invocation has ended: its entry goes. */
  remove(requestId: string): void {
    this.files.remove(nameOf(requestId));
  }

  /** Moves one invocation's entry to `set-aside/` (its function is no longer served): kept for a person, not resumed. Returns where. */
  setAside(requestId: string): string {
    return this.files.setAside(nameOf(requestId));
  }

  close(): void {
    this.files.close();
  }

  /** Every invocation written down and not ended, in the order they were accepted, and the files set aside (`FileJournal.read`). */
  read(): { invocations: JournaledInvocation[]; setAside: SetAsideEntry[] } {
    const { entries, setAside } = this.files.read();
    return { invocations: entries.sort((a, b) => a.acceptedAt - b.acceptedAt), setAside };
  }
}

/** Request ids are UUIDs; anything else is kept out of the path. */
function nameOf(requestId: string): string {
  return requestId.replace(/[^A-Za-z0-9-]/g, '_');
}

/** Why a parsed file is no entry, or undefined when it is one. */
function whatIsWrong(entry: unknown): string | undefined {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return 'not a JSON object';
  const fields = entry as Record<string, unknown>;
  for (const key of ['requestId', 'functionName', 'invokedArn'] as const)
    if (typeof fields[key] !== 'string' || fields[key] === '') return `${key} is not a string`;
  for (const key of ['acceptedAt', 'dueAt'] as const) if (!Number.isFinite(fields[key])) return `${key} is not a time`;
  if (!Number.isInteger(fields.attempt) || (fields.attempt as number) < 1) return 'attempt is not a whole number from 1';
  if (!('payload' in fields)) return 'payload is missing';
  return undefined;
}
