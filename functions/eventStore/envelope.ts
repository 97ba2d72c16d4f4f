/**
 * The envelope every stored event carries, whatever its aggregate.
 * CloudEvents attribute names where they fit (id → eventId, time → occurredAt,
 * subject → aggregateId, type). Valid APPSYNC_JS: plain JSON, no classes.
 */
export interface EventEnvelope<Type extends string = string, Data = unknown> {
  /** ULID, unique per event. */
  eventId: string;
  type: Type;
  /** The aggregate instance (stream) the event belongs to, without its type prefix. */
  aggregateId: string;
  /** Position in the stream: 1, 2, 3 … gapless. */
  version: number;
  /** ISO-8601 UTC instant the command was decided. */
  occurredAt: string;
  /** The command that caused this event; the idempotency key of the append. */
  commandId: string;
  /** Ties together everything one front-end request caused. */
  correlationId: string;
  /** What directly caused this event (the command id for a command's events). */
  causationId: string | null;
  /** Who sent the command: from ctx.identity (user, IAM role or API key). */
  actor: string | null;
  /** Version of `data`'s shape for this `type`. */
  schemaVersion: number;
  data: Data;
}

/** What `decide` returns: an event without its envelope. The command step wraps it. */
export interface NewEvent<Type extends string = string, Data = unknown> {
  type: Type;
  data: Data;
}

/**
 * Items that must be unique across all streams, written in the same
 * transaction as the event (one reservation per room and night, for example).
 * `claim` keys are put with attribute_not_exists; `release` keys are deleted.
 */
export interface UniqueConstraints {
  claim: string[];
  release: string[];
  /**
   * The rule a later command breaks when it wants a key these claims hold (e.g. RoomAlreadyReserved):
   * stored on each claim, so command-time checks and a REJECTED answer can name it.
   */
  claimRule?: string;
}
