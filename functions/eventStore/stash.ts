/**
 * What the generic event-store steps read from and write to `ctx.stash`.
 * Resolvers set the inputs (`stream`, `append`); steps add their results.
 */
import type { EventEnvelope, UniqueConstraints } from './envelope';
import type { StoreAnswer } from './storeOutcome';
import type { CommandAnswerItem, StreamRef } from './storedEvent';
import type { SnapshotInput } from './snapshot';

/** An event decided by a command step, with the snapshot it carries when its version is a multiple of SNAPSHOT_INTERVAL. */
export type PendingEvent = EventEnvelope & { snapshot?: SnapshotInput };

/** How one append ended, as far as the store is concerned. */
export type AppendOutcome =
  /** Stored now. */
  | { kind: 'APPENDED' }
  /** The slot (stream, version) already holds an event: a redelivery or a conflict; readAnswers tells which. */
  | { kind: 'SLOT_TAKEN' }
  /** A unique constraint is held by another stream. */
  | { kind: 'CONSTRAINT_TAKEN'; keys: string[] }
  /** A timeout found its command already answered (a recorded REJECTED or TIMED_OUT). */
  | { kind: 'ANSWERED_BEFORE' };

/** What the slot held when the append found it taken (set by readAnswers). */
export type SlotOccupant = EventEnvelope | null;

export interface EventStoreStash {
  /** The stream being loaded or appended to. */
  stream: StreamRef;
  /**
   * The stored events of `stream`, oldest first (set by loadStream): every event, or the
   * events after `snapshot` when loadStream found a usable one. Never snapshot items.
   */
  events?: EventEnvelope[];
  /** The newest usable snapshot loadStream found: fold `events` from its state. */
  snapshot?: { version: number; state: unknown };
  /**
   * The state-shape version the reader folds (set by the resolver): loadStream uses only
   * snapshots of this version. Unset: snapshots are ignored and the whole stream is read.
   */
  snapshotSchemaVersion?: number;
  /** Read the whole stream oldest first in one Query (history; set by loadStream itself when no snapshot is usable). */
  loadFromStart?: boolean;
  /** Set to skip loadStream (the store pipeline does when it can fold without reading). */
  skipLoadStream?: boolean;
  /** Events decided by a command step, with envelopes, to publish to EventBridge. */
  pendingEvents?: PendingEvent[];
  /** The event the store pipeline appends, the constraints it claims or releases, and the snapshot it carries. */
  append?: { event: EventEnvelope; constraints: UniqueConstraints; snapshot?: SnapshotInput };
  appendOutcome?: AppendOutcome;
  slotOccupant?: SlotOccupant;
  /** The command's recorded answer, when it has one (set by readAnswers). */
  recordedAnswer?: CommandAnswerItem | null;
  /** The store's answer to the command; `recorded: false` until a first REJECTED/TIMED_OUT is written down. */
  answer?: StoreAnswer;
}
