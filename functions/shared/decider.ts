/**
 * What an aggregate is to the generic event-store code: a decider (Emmett's
 * `initialState`, `evolve`, `decide`) plus what the store needs to know of it.
 * Each aggregate exports one object of this type from `functions/<name>/aggregate.ts`;
 * the generic steps and resolvers are bundled with it (infra aliases
 * `@aggregate` to that file), since APPSYNC_JS cannot pick code at run time.
 */
import type { EventEnvelope, NewEvent, UniqueConstraints } from '../eventStore/envelope';
import type { Refusal } from './errors';

/** Every state carries the version of the last event folded into it (0 for an empty stream). */
export interface VersionedState {
  version: number;
}

/** What every command carries: its type, the stream it targets and its idempotency key. */
export interface CommandBase {
  type: string;
  id: string;
  commandId: string;
}

/** What `decide` returns: the events to store, or every rule the command breaks. */
export type Decision<Event extends NewEvent = NewEvent, Rule extends string = string> =
  { ok: true; events: Event[] } | { ok: false; error: Refusal<Rule> };

/** The event without its envelope, as `decide` emits it, for a stored event type. */
export type NewEventOf<Event extends EventEnvelope> = Event extends EventEnvelope<infer Type, infer Data> ? NewEvent<Type, Data> : never;

export interface Aggregate<
  State extends VersionedState = VersionedState,
  Event extends EventEnvelope = EventEnvelope,
  Command extends CommandBase = CommandBase,
  View = unknown,
> {
  /** Streams are keyed `<streamType>#<id>`; GraphQL names follow it (`save<streamType>Event`, `on<streamType>Saved` …). */
  streamType: string;
  /** Version of the events' `data` shapes, in every envelope. */
  eventSchemaVersion: number;
  /** Version of the state's shape, stored with snapshots: bump it when the shape changes, and older snapshots are ignored. */
  stateSchemaVersion: number;
  /** The state of an empty stream. */
  initialState: State;
  /** The shared reducer: command side, query side and tests fold stored events with it. Total, never throws. */
  evolve(state: State, event: Event): State;
  /** The rules: a command (with `now` and the facts its read steps found) and the state in, events or a refusal out. */
  decide(state: State, command: Command): Decision<NewEventOf<Event>>;
  /** The unique values an event claims or releases, written in the same transaction as the event. */
  uniqueConstraintsOf(event: NewEventOf<Event>): UniqueConstraints;
  /** The GraphQL view of a state (`get<streamType>`), or null when the stream holds no instance yet. */
  toView(state: State): View | null;
}
