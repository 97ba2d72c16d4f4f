/** Query.listReservationsByGuest: a page of one guest's reservations (their createReservation userId), by id. */
import { util, type Context } from '@aws-appsync/utils';
import type { QueryListReservationsByGuestArgs, Reservation, ReservationConnection } from '../schema/generated/types';
import { failIfReadModelError, partitionPage } from '../functions/projections/readModelQuery';
import { reservationsByGuestKey } from '../functions/projections/readModelTable';
import { isSafeIdentifier } from '../functions/shared/inputChecks';

export function request(ctx: Context<QueryListReservationsByGuestArgs>) {
  if (!isSafeIdentifier(ctx.args.guestId)) {
    util.error(`guestId must be 1 to 128 characters among letters, digits, '.', '_', ':' and '-'.`, 'ValidationError');
  }
  return partitionPage(reservationsByGuestKey(ctx.args.guestId, '').pk, ctx.args.limit, ctx.args.nextToken);
}

export function response(ctx: Context<QueryListReservationsByGuestArgs>): ReservationConnection {
  failIfReadModelError(ctx.error);
  const items = (ctx.result.items as (Reservation & { pk: string; sk: string })[]).map(
    ({ pk: _pk, sk: _sk, ...reservation }) => reservation,
  );
  return { items, nextToken: ctx.result.nextToken ?? null };
}
