/**
 * Folds stored events into an aggregate's state, the same way on the command
 * side, the query side and in tests. The store's own events (a timeout's
 * tombstone) only advance the version: the aggregate never sees them.
 * Pure and generic; valid APPSYNC_JS (the aggregate is an object, not a
 * function passed as an argument).
 */
import type { Aggregate, VersionedState } from '../shared/decider';
import type { EventEnvelope } from './envelope';
import { isStoreEvent } from './storeOutcome';

/** The state a reader starts from: a loaded snapshot's, or the empty stream's. */
export function startingState<State extends VersionedState>(
  aggregate: Pick<Aggregate<State>, 'initialState'>,
  snapshot: { state: unknown } | null | undefined,
): State {
  return snapshot ? (snapshot.state as State) : aggregate.initialState;
}

/** The state after one stored event; its version is always the event's. */
export function evolveStored<State extends VersionedState, Event extends EventEnvelope>(
  aggregate: Pick<Aggregate<State, Event>, 'evolve'>,
  state: State,
  event: Event | EventEnvelope,
): State {
  if (isStoreEvent(event)) {
    return { ...state, version: event.version };
  }
  const next = aggregate.evolve(state, event as Event);
  return next.version === event.version ? next : { ...next, version: event.version };
}

/**
 * The state after `events`, oldest first, from `from` (the empty stream by default).
 * @example foldStream(reservation, history).version // the last event's version
 */
export function foldStream<State extends VersionedState, Event extends EventEnvelope>(
  aggregate: Pick<Aggregate<State, Event>, 'evolve' | 'initialState'>,
  events: readonly (Event | EventEnvelope)[],
  from?: State,
): State {
  let state = from ?? aggregate.initialState;
  // for…of: APPSYNC_JS has no classic for.
  for (const event of events) {
    state = evolveStored(aggregate, state, event);
  }
  return state;
}
