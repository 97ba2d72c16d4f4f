/**
 * Query.getReservation: loadStream (the newest snapshot and the events after
 * it, or the whole stream), then fold with the same reducer the command side uses. Null when the stream holds no reservation.
 */
import type { Context } from '@aws-appsync/utils';
import type { QueryGetReservationArgs, Reservation } from '../schema/generated/types';
import { fold } from '../functions/reservation/evolve';
import type { ReservationEvent } from '../functions/reservation/events';
import { RESERVATION_STATE_VERSION, startingState, toReservation } from '../functions/reservation/state';
import { RESERVATION_STREAM, type ReservationStash } from '../functions/reservation/stash';
import { reservationIdOrRefuse } from '../functions/reservation/reservationId';

export function request(ctx: Context<QueryGetReservationArgs, ReservationStash>) {
  ctx.stash.stream = { type: RESERVATION_STREAM, id: reservationIdOrRefuse(ctx.args.id) };
  ctx.stash.snapshotSchemaVersion = RESERVATION_STATE_VERSION;
  return {};
}

export function response(ctx: Context<QueryGetReservationArgs, ReservationStash>): Reservation | null {
  return toReservation(fold((ctx.stash.events ?? []) as ReservationEvent[], startingState(ctx.stash.snapshot)));
}
