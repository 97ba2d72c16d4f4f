/** Query.getReservationHistory: loadStream from the start, each stored event with its envelope, oldest first (no snapshot items). */
import type { Context } from '@aws-appsync/utils';
import type { QueryGetReservationHistoryArgs, ReservationEvent as ReservationEventView } from '../schema/generated/types';
import type { ReservationEvent } from '../functions/reservation/events';
import { RESERVATION_STREAM, type ReservationStash } from '../functions/reservation/stash';
import { reservationIdOrRefuse } from '../functions/reservation/reservationId';

export function request(ctx: Context<QueryGetReservationHistoryArgs, ReservationStash>) {
  ctx.stash.stream = { type: RESERVATION_STREAM, id: reservationIdOrRefuse(ctx.args.id) };
  ctx.stash.loadFromStart = true;
  return {};
}

export function response(ctx: Context<QueryGetReservationHistoryArgs, ReservationStash>): ReservationEventView[] {
  const events = (ctx.stash.events ?? []) as ReservationEvent[];
  // AWSJSON: AppSync serializes the object to JSON text on the way out.
  return events;
}
