/**
 * What makes the local bus's deliveries durable across a restart of the local runtime: one JSON file per
 * event and target (`<dir>/<event id>-<target hash>.json`), written when PutEvents accepts the event (before
 * it answers), rewritten when a retry is timed, and removed when the delivery ends (delivered, or kept as a
 * failed delivery, the dead-letter queue's stand-in). On AWS an accepted entry is EventBridge's to deliver:
 * "When an event isn't successfully delivered to a target because of retriable errors, EventBridge retries
 * sending the event ... By default, EventBridge retries sending the event for 24 hours and up to 185 times"
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-retry-policy.html), whatever its callers do
 * meanwhile. Locally the process may stop at any time, so the deliveries are written down as Lambda's
 * asynchronous queue is (local/lambda/asyncInvocationJournal.ts).
 *
 * A delivery in its first attempt at a stop is written down too (from acceptance on), so it is made again
 * after the restart: at least once. The attempt the stop cut short may have reached its target, as an attempt
 * lost "due to network conditions" (the same page) may on AWS, and is retried there as here; dropping it
 * instead would lose an event the caller was told was accepted, which AWS never does.
 *
 * Written to a temporary name and renamed (atomic on one file system), so a crash mid-write leaves the
 * previous version whole. A file that cannot be read back is moved to `<dir>/set-aside/` and reported,
 * never dropped.
 *
 * @example
 * const journal = new DeliveryJournal('.local/data/eventbridge');
 * journal.write({ event, busName: 'core', ruleName: 'store', targetId: 'api', ingestedAt: Date.now(), attempt: 1, dueAt: Date.now() });
 * const { deliveries, setAside } = journal.read(); // after a restart
 */
import { createHash } from 'node:crypto';
import { FileJournal, type SetAsideEntry } from '../fileJournal.ts';
import type { EventEnvelope } from './putEvents.ts';

/** One event on its way to one target, as written down. Times are epoch milliseconds. */
export interface JournaledDelivery {
  event: EventEnvelope;
  busName: string;
  ruleName: string;
  targetId: string;
  /** When PutEvents accepted the event: MaximumEventAgeInSeconds counts from here, restarts included. */
  ingestedAt: number;
  /** The number of the attempt to make next (1: none finished yet). */
  attempt: number;
  /** When that attempt is due. */
  dueAt: number;
  /** The previous attempt's error, for the failed delivery if the event is too old for the next one. */
  lastError?: { code: string; message: string };
}

/** A file of the journal that could not be read back, or a delivery whose rule or target is gone: where it was moved and why. */
export type SetAsideDelivery = SetAsideEntry;
export { SET_ASIDE_DIR } from '../fileJournal.ts';

export class DeliveryJournal {
  private readonly files: FileJournal<JournaledDelivery>;

  constructor(readonly dir: string) {
    this.files = new FileJournal(dir, whatIsWrong);
  }

  /** Writes (or rewrites) one delivery's entry before PutEvents answers (or the retry is timed); nothing once closed. */
  write(delivery: JournaledDelivery): void {
    this.files.write(nameOf(delivery), delivery);
  }

  /** The delivery has ended: its entry goes. */
  remove(delivery: DeliveryKey): void {
    this.files.remove(nameOf(delivery));
  }

  /** Moves one delivery's entry to `set-aside/` (its rule or target is gone): kept for a person, not resumed. Returns where. */
  setAside(delivery: DeliveryKey): string {
    return this.files.setAside(nameOf(delivery));
  }

  close(): void {
    this.files.close();
  }

  /** Every delivery written down and not ended, in the order their events were accepted, and the files set aside (`FileJournal.read`). */
  read(): { deliveries: JournaledDelivery[]; setAside: SetAsideDelivery[] } {
    const { entries, setAside } = this.files.read();
    return { deliveries: entries.sort((a, b) => a.ingestedAt - b.ingestedAt), setAside };
  }
}

type DeliveryKey = Pick<JournaledDelivery, 'event' | 'busName' | 'ruleName' | 'targetId'>;

/** One event reaches several targets: the file names the event and a digest of where it goes (names may hold '/'). */
function nameOf({ event, busName, ruleName, targetId }: DeliveryKey): string {
  const where = createHash('sha256').update(`${busName}\u0000${ruleName}\u0000${targetId}`).digest('hex').slice(0, 16);
  return `${String(event.id).replace(/[^A-Za-z0-9-]/g, '_')}-${where}`;
}

/** Why a parsed file is no entry, or undefined when it is one. */
function whatIsWrong(entry: unknown): string | undefined {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return 'not a JSON object';
  const fields = entry as Record<string, unknown>;
  for (const key of ['busName', 'ruleName', 'targetId'] as const)
    if (typeof fields[key] !== 'string' || fields[key] === '') return `${key} is not a string`;
  for (const key of ['ingestedAt', 'dueAt'] as const) if (!Number.isFinite(fields[key])) return `${key} is not a time`;
  if (!Number.isInteger(fields.attempt) || (fields.attempt as number) < 1) return 'attempt is not a whole number from 1';
  const event = fields.event as Record<string, unknown> | undefined;
  if (typeof event !== 'object' || event === null || typeof event.id !== 'string' || typeof event.source !== 'string')
    return 'event is not an event envelope';
  return undefined;
}
