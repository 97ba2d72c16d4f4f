/**
 * What the local console shows of the bus and the pipes, which keep no history of their own: a bounded
 * ring of recent deliveries (one entry per event, rule and target, updated attempt by attempt) and of
 * recent pipe batch attempts. Fed by the stack's `onDelivery` and `onPipeBatch` callbacks; bounded so a
 * long `npm start` session holds the last few hundred, not everything it ever saw.
 *
 * @example
 * const recent = new RecentRecords();
 * bus = new LocalEventBus({ onDelivery: (log) => recent.delivery(log) });
 * recent.deliveries(); // newest first
 */
import type { DeliveryLog } from '../eventbridge/index.ts';
import type { PipeBatchLog } from '../pipes/index.ts';

/** One event on its way to one target, as the console lists it: what every attempt's log names, and their sum. */
export interface DeliveryRecord extends Pick<
  DeliveryLog,
  'eventId' | 'source' | 'detailType' | 'eventBusName' | 'ruleName' | 'targetId' | 'targetKind' | 'maxAttempts'
> {
  /** The last attempt's outcome: `retrying` while the bus still tries. */
  status: DeliveryLog['outcome'];
  attempts: number;
  lastError: string | undefined;
  firstAttemptAt: string;
  lastAttemptAt: string;
  detail: unknown;
}

/** One attempt of one pipe batch. */
export interface PipeBatchRecord {
  pipeName: string;
  targetArn: string;
  attempt: number;
  outcome: PipeBatchLog['outcome'];
  records: number;
  durationMs: number;
  error: { code: string; message: string } | undefined;
  at: string;
  /** Each record's event name and keys, and its new image when the stream carries one. */
  events: PipeBatchLog['events'];
}

export const DEFAULT_RECENT_LIMIT = 500;

export class RecentRecords {
  private readonly deliveriesByKey = new Map<string, DeliveryRecord>();
  private readonly batches: PipeBatchRecord[] = [];

  constructor(private readonly limit = DEFAULT_RECENT_LIMIT) {}

  delivery(log: DeliveryLog): void {
    const key = `${log.eventId}|${log.eventBusName}|${log.ruleName}|${log.targetId}`;
    const now = new Date().toISOString();
    const known = this.deliveriesByKey.get(key);
    // Deleted and set again, so the map's order stays "least recently attempted first".
    this.deliveriesByKey.delete(key);
    this.deliveriesByKey.set(key, {
      eventId: log.eventId,
      source: log.source,
      detailType: log.detailType,
      eventBusName: log.eventBusName,
      ruleName: log.ruleName,
      targetId: log.targetId,
      targetKind: log.targetKind,
      status: log.outcome,
      attempts: log.attempt,
      maxAttempts: log.maxAttempts,
      lastError: log.error,
      firstAttemptAt: known?.firstAttemptAt ?? now,
      lastAttemptAt: now,
      detail: log.event.detail,
    });
    while (this.deliveriesByKey.size > this.limit) this.deliveriesByKey.delete(this.deliveriesByKey.keys().next().value!);
  }

  pipeBatch(log: PipeBatchLog): void {
    this.batches.push({
      pipeName: log.pipeName,
      targetArn: log.targetArn,
      attempt: log.attempt,
      outcome: log.outcome,
      records: log.records,
      durationMs: Math.round(log.durationMs * 10) / 10,
      error: log.error,
      at: new Date().toISOString(),
      events: log.events,
    });
    if (this.batches.length > this.limit) this.batches.splice(0, this.batches.length - this.limit);
  }

  /** Newest attempt first. */
  deliveries(): DeliveryRecord[] {
    return [...this.deliveriesByKey.values()].reverse();
  }

  /** Newest first. */
  pipeBatches(): PipeBatchRecord[] {
    return [...this.batches].reverse();
  }
}
