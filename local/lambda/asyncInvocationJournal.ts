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
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
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

/** A file of the journal that could not be read back: where it was moved and why. */
export interface SetAsideEntry {
  file: string;
  reason: string;
}

export const SET_ASIDE_DIR = 'set-aside';

export class AsyncInvocationJournal {
  private open = true;

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  /** Writes (or rewrites) one invocation's entry; nothing once closed (a stopping runtime leaves the queue as it was). */
  write(invocation: JournaledInvocation): void {
    if (!this.open) return;
    // Synchronous on purpose: the 202 (or the retry's scheduling) happens after the event is on disk.
    const file = this.fileOf(invocation.requestId);
    writeFileSync(`${file}.tmp`, JSON.stringify(invocation));
    renameSync(`${file}.tmp`, file);
  }

  /** The invocation has ended: its entry goes. */
  remove(requestId: string): void {
    if (!this.open) return;
    rmSync(this.fileOf(requestId), { force: true });
  }

  /** Moves one invocation's entry to `set-aside/` (its function is no longer served): kept for a person, not resumed. Returns where. */
  setAside(requestId: string): string {
    return this.moveAside(this.fileOf(requestId));
  }

  close(): void {
    this.open = false;
  }

  /**
   * Every invocation written down and not ended, in the order they were accepted; each file that cannot be
   * read back (not JSON, or not an entry) is moved to `set-aside/` and listed with the reason.
   */
  read(): { invocations: JournaledInvocation[]; setAside: SetAsideEntry[] } {
    const invocations: JournaledInvocation[] = [];
    const setAside: SetAsideEntry[] = [];
    if (!existsSync(this.dir)) return { invocations, setAside };
    for (const name of readdirSync(this.dir)) {
      const file = path.join(this.dir, name);
      // A temporary file is a write the process did not finish: the entry it replaces (if any) is whole beside it.
      if (name.endsWith('.json.tmp')) {
        rmSync(file, { force: true });
        continue;
      }
      if (!name.endsWith('.json')) continue;
      let reason: string | undefined;
      try {
        const entry: unknown = JSON.parse(readFileSync(file, 'utf8'));
        reason = whatIsWrong(entry);
        if (!reason) invocations.push(entry as JournaledInvocation);
      } catch (error) {
        reason = (error as Error).message;
      }
      if (reason) setAside.push({ file: this.moveAside(file), reason });
    }
    return { invocations: invocations.sort((a, b) => a.acceptedAt - b.acceptedAt), setAside };
  }

  private moveAside(file: string): string {
    mkdirSync(path.join(this.dir, SET_ASIDE_DIR), { recursive: true });
    const kept = path.join(this.dir, SET_ASIDE_DIR, path.basename(file));
    renameSync(file, kept);
    return kept;
  }

  private fileOf(requestId: string): string {
    // Request ids are UUIDs; anything else is kept out of the path.
    return path.join(this.dir, `${requestId.replace(/[^A-Za-z0-9-]/g, '_')}.json`);
  }
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
