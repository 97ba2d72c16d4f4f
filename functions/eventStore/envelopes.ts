/**
 * Wraps what `decide` returned into full envelopes at the next versions of
 * the stream. Used by every command step. Valid APPSYNC_JS: the caller passes
 * the ids and the clock, so this stays pure.
 */
import type { EventEnvelope, NewEvent } from './envelope';

export interface EnvelopeContext {
  aggregateId: string;
  /** The stream's current version: the first new event takes version + 1. */
  currentVersion: number;
  commandId: string;
  correlationId: string;
  actor: string | null;
  occurredAt: string;
  schemaVersion: number;
  /** One fresh ULID per new event. */
  eventIds: string[];
}

export function wrapInEnvelopes<T extends string, D>(events: NewEvent<T, D>[], context: EnvelopeContext): EventEnvelope<T, D>[] {
  return events.map((event, index) => ({
    eventId: context.eventIds[index]!,
    type: event.type,
    aggregateId: context.aggregateId,
    version: context.currentVersion + index + 1,
    occurredAt: context.occurredAt,
    commandId: context.commandId,
    correlationId: context.correlationId,
    causationId: context.commandId,
    actor: context.actor,
    schemaVersion: context.schemaVersion,
    data: event.data,
  }));
}
