/**
 * Pipeline step (NONE data source) of both reservation commands: folds the
 * loaded stream with the shared reducer, decides the stashed command, and
 * stashes the resulting events for publishEvents. Refuses with every broken
 * rule at once. A command already in the stream is answered again without
 * deciding or publishing anything.
 */
import { util, type Context, type NONERequest } from '@aws-appsync/utils';
import { isAlreadyStored, refuse, stashPendingEvents } from '../eventStore/pendingEvents';
import { decide } from './decide';
import { fold } from './evolve';
import { RESERVATION_SCHEMA_VERSION, type ReservationEvent } from './events';
import type { ReservationStash } from './stash';

export function request(ctx: Context<unknown, ReservationStash>): NONERequest {
  const command = ctx.stash.command!;
  const stored = (ctx.stash.events ?? []) as ReservationEvent[];
  if (isAlreadyStored(stored, command.commandId)) {
    ctx.stash.pendingEvents = [];
    return { payload: [] };
  }
  const state = fold(stored);
  const now = util.time.nowISO8601();
  const decision =
    command.type === 'CreateReservation'
      ? decide(state, { ...command, now, roomNightsTaken: ctx.stash.roomNightsTaken ?? [] })
      : decide(state, { ...command, now });
  if (!decision.ok) {
    return refuse(decision.error);
  }
  return stashPendingEvents(ctx, decision.events, {
    aggregateId: command.id,
    currentVersion: state.version,
    commandId: command.commandId,
    schemaVersion: RESERVATION_SCHEMA_VERSION,
  });
}

export function response(ctx: Context<unknown, ReservationStash>) {
  return ctx.result;
}
