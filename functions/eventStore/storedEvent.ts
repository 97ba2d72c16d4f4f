/**
 * How events and the items beside them are laid out in the event-store
 * table. One table, four kinds of item:
 *
 * - an event: `streamId` = `<StreamType>#<aggregateId>`, `version` = 1, 2, 3 …
 * - a snapshot of the state after event v: same `streamId`, `version` = v + 0.5,
 *   `kind: 'Snapshot'` (see snapshot.ts), every SNAPSHOT_INTERVAL events.
 * - a unique-constraint claim: `streamId` = the constraint key
 *   (for example `RoomNight#room-1#2026-01-01`), `version` = 0.
 * - a command's answer when no event of it holds its slot (REJECTED, or
 *   TIMED_OUT against another command's event): `streamId` =
 *   `CommandAnswer#<commandId>`, `version` = 0. Written only off the happy path.
 *
 * Aggregate ids are ULIDs and command ids never contain '#', so no key of one
 * kind can collide with another's. Valid APPSYNC_JS.
 */
import type { EventEnvelope } from './envelope';
import { aggregateNames } from './naming';

export const PARTITION_KEY = 'streamId';
export const SORT_KEY = 'version';
/** The sort key of every unique-constraint item. */
export const CONSTRAINT_VERSION = 0;

/** The identity of one stream: its aggregate type and the aggregate's id. */
export interface StreamRef {
  type: string;
  id: string;
}

export function streamKey(stream: StreamRef): string {
  return `${stream.type}#${stream.id}`;
}

/** An event as stored: the envelope plus the table's key attribute. `data` is a map. */
export interface StoredEventItem extends Omit<EventEnvelope, 'data'> {
  streamId: string;
  data: Record<string, unknown>;
  /** The detail-type the outbox publishes it with (`<StreamType>EventStored`): a pipe's dynamic parameter reads it from the record. */
  publishedAs?: string;
}

/** A claim on a unique value, written in the same transaction as the event that needs it. */
export interface ConstraintItem {
  streamId: string;
  version: number;
  kind: 'UniqueConstraint';
  /** The stream type holding the claim (absent on claims written before it was recorded: a Reservation's). */
  streamType?: string;
  aggregateId: string;
  commandId: string;
  /** The rule a command breaks when it wants this key (UniqueConstraints.claimRule), when the holder named one. */
  rule?: string;
}

export function toStoredEventItem(stream: StreamRef, event: EventEnvelope): StoredEventItem {
  return {
    ...event,
    streamId: streamKey(stream),
    data: event.data as Record<string, unknown>,
    publishedAs: aggregateNames(stream.type).storedDetailType,
  };
}

export function fromStoredEventItem<E extends EventEnvelope>(item: StoredEventItem): E {
  return {
    eventId: item.eventId,
    type: item.type,
    aggregateId: item.aggregateId,
    version: item.version,
    occurredAt: item.occurredAt,
    commandId: item.commandId,
    correlationId: item.correlationId,
    causationId: item.causationId ?? null,
    actor: item.actor ?? null,
    schemaVersion: item.schemaVersion,
    data: item.data,
  } as E;
}

export function constraintItem(key: string, stream: StreamRef, event: EventEnvelope, rule: string | undefined): ConstraintItem {
  const item: ConstraintItem = {
    streamId: key,
    version: CONSTRAINT_VERSION,
    kind: 'UniqueConstraint',
    streamType: stream.type,
    aggregateId: event.aggregateId,
    commandId: event.commandId,
  };
  if (rule !== undefined) {
    item.rule = rule;
  }
  return item;
}

/** The key of a command's recorded answer. */
export function commandAnswerKey(commandId: string): string {
  return `CommandAnswer#${commandId}`;
}

/** A command's first answer, recorded where no event of the command holds its slot. */
export interface CommandAnswerItem {
  streamId: string;
  version: number;
  kind: 'CommandAnswer';
  commandId: string;
  aggregateId: string;
  /** The slot the command's event wanted. */
  eventVersion: number;
  status: 'REJECTED' | 'TIMED_OUT';
  reason: string;
  answeredAt: string;
}
