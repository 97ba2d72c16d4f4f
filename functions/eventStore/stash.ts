/**
 * What the generic pipeline steps read from and write to `ctx.stash`, one
 * type per pipeline (see pipelines.ts for their order). Each field says who
 * sets it; a step reads only what an earlier step or the resolver set.
 */
import type { CommandBase } from '../shared/decider';
import type { Refusal } from '../shared/errors';
import type { EventEnvelope, UniqueConstraints } from './envelope';
import type { SnapshotInput } from './snapshot';
import type { StoreAnswer } from './storeOutcome';
import type { CommandAnswerItem, ConstraintItem, StreamRef } from './storedEvent';

/** What the load steps are asked to read: every event up to `upTo` (inclusive), or to the stream's end when null. */
export interface ReadRequest {
  upTo: number | null;
}

/** A stream as the load steps found it: the newest usable snapshot (or none) and the events after it, oldest first. */
export interface LoadedStream {
  events: EventEnvelope[];
  snapshot: { version: number; state: unknown } | null;
}

/** The fields of every pipeline that reads a stream. */
export interface LoadStash {
  /** The stream (set by the resolver). */
  stream: StreamRef;
  /** The state shape the reader folds (set by the resolver): loadStreamTail uses only snapshots of this version. */
  snapshotSchemaVersion?: number;
  /** What to read (set by the resolver, or by the store steps once the answer is SAVED); absent: the load steps read nothing. */
  read?: ReadRequest;
  /** Set by loadStreamTail when the newest items suffice, else by loadStreamFromStart. */
  loaded?: LoadedStream;
}

/** An event decided by a command, with the snapshot it carries when its version is a multiple of SNAPSHOT_INTERVAL. */
export type PendingEvent = EventEnvelope & { snapshot?: SnapshotInput };

/** The command pipeline: resolver → load → the aggregate's read steps → decideCommand → scheduleTimeout → publishEvents. */
export interface CommandStash<Request extends CommandBase = CommandBase, Facts extends object = Record<string, unknown>> extends LoadStash {
  /** The command as the resolver validated it, without `now` and the facts (set by the resolver). */
  command: Request;
  /** What the aggregate's read steps found at command time, handed to decide with the command (e.g. roomNightsTaken). */
  facts?: Facts;
  /** The decided events with their envelopes (set by decideCommand; empty for a command already stored). */
  pendingEvents?: PendingEvent[];
  /** The token of a Step Functions execution waiting for this command's outcome (set by the resolver, from the input). */
  taskToken?: string;
  /** Why the command was refused, when a task token waits for it (set by decideCommand instead of refusing at once; refuseTaskToken answers it). */
  refusal?: Refusal;
}

/** How one append ended, as far as the store is concerned. */
export type AppendOutcome =
  /** Stored now. */
  | { kind: 'APPENDED' }
  /** The slot (stream, version) already holds an event: a redelivery or a conflict; readAnswers tells which. */
  | { kind: 'SLOT_TAKEN' }
  /** A unique constraint is held by another stream: the keys, and the claims that hold them (as far as the store returned them). */
  | { kind: 'CONSTRAINT_TAKEN'; keys: string[]; holders: ConstraintItem[] }
  /** A timeout found its command already answered (a recorded REJECTED or TIMED_OUT). */
  | { kind: 'ANSWERED_BEFORE' };

/** What the slot held when the append found it taken (set by readAnswers). */
export type SlotOccupant = EventEnvelope | null;

/** The event the store pipeline appends, the constraints it claims or releases, and the snapshot it carries. */
export interface AppendRequest {
  event: EventEnvelope;
  constraints: UniqueConstraints;
  snapshot?: SnapshotInput;
}

/** The store pipeline: appendEvent → readAnswers → recordAnswer → readAnswers → load → cancelTimeout. */
export interface StoreStash extends LoadStash {
  /** Set by the store resolver. */
  append: AppendRequest;
  /** Set by appendEvent. */
  appendOutcome?: AppendOutcome;
  /** Set by readAnswers. */
  slotOccupant?: SlotOccupant;
  /** The command's recorded answer, when it has one (set by readAnswers). */
  recordedAnswer?: CommandAnswerItem | null;
  /** The command's answer (set by appendEvent, readAnswers or recordAnswer through settleAnswer); `recorded: false` until a first REJECTED/TIMED_OUT is written down. */
  answer?: StoreAnswer;
  /** The token of a Step Functions execution waiting for this outcome (set by the store resolver; never stored): returnTaskToken answers it. */
  taskToken?: string;
}

/**
 * The `direct` command pipeline: the command's steps, then the store's in the same request
 * (decideForAppend stages `append`, or settles `answer` for a command already stored). `append`
 * is absent when nothing was decided; the store steps then do nothing.
 */
export type DirectCommandStash = CommandStash & Omit<StoreStash, 'append'> & { append?: AppendRequest };

/**
 * Sets the store pipeline's answer and what the load steps must read for it: a SAVED answer
 * folds the stream up to the stored version (the first event of a stream folds on its own,
 * no read); any other answer carries no state, so nothing is read.
 */
export function settleAnswer(stash: StoreStash, answer: StoreAnswer | undefined): void {
  stash.answer = answer;
  const version = answer?.status === 'SAVED' ? answer.version : null;
  if (version !== null && version > 1) {
    stash.read = { upTo: version };
  } else {
    stash.read = undefined;
  }
}
