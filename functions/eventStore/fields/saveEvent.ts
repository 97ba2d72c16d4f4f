/**
 * Mutation.save<Aggregate>Event (IAM only, called by the aggregate's
 * EventBridge rule), bundled per aggregate. Stashes the event to append with
 * the unique constraints the aggregate says it claims or releases; the store
 * pipeline (pipelines.ts) appends it and settles the answer. Answers SAVED,
 * REJECTED or TIMED_OUT as data, never as an error, because AppSync publishes
 * only successful mutation results to on<Aggregate>Saved subscribers. A
 * repeated answer (`repeat: true`) is filtered out by the subscription.
 */
import type { Context } from '@aws-appsync/utils';
import { aggregate } from '@aggregate';
import type { EventEnvelope } from '../envelope';
import { foldStream, startingState } from '../fold';
import { aggregateNames } from '../naming';
import type { SnapshotInput } from '../snapshot';
import type { StoreStash } from '../stash';
import { constraintsToWrite } from '../uniqueConstraints';

/** The store mutation's input: an envelope whose AWSJSON fields may come as JSON text, and the snapshot it carries. */
interface SaveEventArgs {
  input: Omit<EventEnvelope, 'causationId' | 'actor'> & {
    causationId?: string | null;
    actor?: string | null;
    snapshot?: unknown;
    taskToken?: string | null;
  };
}

/** AppSync hands an AWSJSON argument to resolvers parsed; the JSON text is accepted too. */
function parsedJson(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value;
}

export function request(ctx: Context<SaveEventArgs, StoreStash>) {
  const { snapshot, taskToken, ...envelope } = ctx.args.input;
  const event: EventEnvelope = {
    ...envelope,
    causationId: envelope.causationId ?? null,
    actor: envelope.actor ?? null,
    data: parsedJson(envelope.data),
  };
  ctx.stash.stream = { type: aggregate.streamType, id: event.aggregateId };
  ctx.stash.snapshotSchemaVersion = aggregate.stateSchemaVersion;
  ctx.stash.append = { event, constraints: constraintsToWrite(aggregate, event) };
  // An execution waiting for this outcome (answerTaskAtStore answers it); the token is not part of the event.
  if (taskToken) {
    ctx.stash.taskToken = taskToken;
  }
  // The state after this event, sent with every event at a multiple of SNAPSHOT_INTERVAL: stored with it.
  if (snapshot !== undefined && snapshot !== null) {
    ctx.stash.append.snapshot = parsedJson(snapshot) as SnapshotInput;
  }
  return {};
}

export function response(ctx: Context<SaveEventArgs, StoreStash>) {
  const { event } = ctx.stash.append;
  const outcome = ctx.stash.answer!;
  const result: Record<string, unknown> = {
    id: event.aggregateId,
    commandId: event.commandId,
    status: outcome.status,
    version: outcome.version,
    reason: outcome.reason,
    [aggregateNames(aggregate.streamType).viewField]: null,
    repeat: outcome.repeat,
  };
  if (outcome.status === 'SAVED') {
    const storedVersion = outcome.version!;
    // The stream up to the stored version (settleAnswer asked the load steps for it), or, for a stream's first event, the event itself.
    const loaded = ctx.stash.loaded ?? { events: [ctx.stash.slotOccupant ?? event], snapshot: null };
    const events = loaded.events.filter((stored) => stored.version <= storedVersion);
    result[aggregateNames(aggregate.streamType).viewField] = aggregate.toView(
      foldStream(aggregate, events, startingState(aggregate, loaded.snapshot)),
    );
  }
  return result;
}
