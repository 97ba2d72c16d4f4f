/**
 * Pipeline step (NONE data source) of both reservation commands: folds the
 * loaded stream with the shared reducer, decides the stashed command, and
 * stashes the resulting events for publishEvents. Refuses with every broken
 * rule at once. A command already in the stream is answered again without
 * deciding or publishing anything.
 *
 * An event decided at a multiple of SNAPSHOT_INTERVAL carries the state after
 * it, which appendEvent stores as the stream's snapshot. The stream loaded
 * may start after a snapshot: a command whose event is older than that
 * snapshot is decided again (for a reservation, refused: it already exists
 * or is already cancelled).
 */
import { util, type Context, type NONERequest } from '@aws-appsync/utils';
import { isAlreadyStored, refuse, stashPendingEvents } from '../eventStore/pendingEvents';
import { decide } from './decide';
import { takesSnapshot } from '../eventStore/snapshot';
import type { PendingEvent } from '../eventStore/stash';
import { evolve, fold } from './evolve';
import { RESERVATION_SCHEMA_VERSION, type ReservationEvent } from './events';
import { RESERVATION_STATE_VERSION, startingState } from './state';
import type { ReservationStash } from './stash';

export function request(ctx: Context<unknown, ReservationStash>): NONERequest {
  const command = ctx.stash.command!;
  const stored = (ctx.stash.events ?? []) as ReservationEvent[];
  if (isAlreadyStored(stored, command.commandId)) {
    ctx.stash.pendingEvents = [];
    return { payload: [] };
  }
  const state = fold(stored, startingState(ctx.stash.snapshot));
  const now = util.time.nowISO8601();
  const decision =
    command.type === 'CreateReservation'
      ? decide(state, { ...command, now, roomNightsTaken: ctx.stash.roomNightsTaken ?? [] })
      : decide(state, { ...command, now });
  if (!decision.ok) {
    return refuse(decision.error);
  }
  stashPendingEvents(ctx, decision.events, {
    aggregateId: command.id,
    currentVersion: state.version,
    commandId: command.commandId,
    schemaVersion: RESERVATION_SCHEMA_VERSION,
  });
  const pendingEvents: PendingEvent[] = [];
  let after = state;
  for (const event of ctx.stash.pendingEvents ?? []) {
    after = evolve(after, event as ReservationEvent);
    pendingEvents.push(takesSnapshot(event.version) ? { ...event, snapshot: { schemaVersion: RESERVATION_STATE_VERSION, state: after } } : event);
  }
  ctx.stash.pendingEvents = pendingEvents;
  return { payload: pendingEvents };
}

export function response(ctx: Context<unknown, ReservationStash>) {
  return ctx.result;
}
