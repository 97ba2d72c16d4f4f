/** Query.getHotelTotals: the counters kept from the stored events (all 0 before the first one). */
import { util, type Context } from '@aws-appsync/utils';
import type { HotelTotals } from '../schema/generated/types';
import { failIfReadModelError } from '../functions/projections/readModelQuery';
import { HOTEL_TOTALS_KEY, READ_MODEL_PK, READ_MODEL_SK } from '../functions/projections/readModelTable';

export function request(_ctx: Context) {
  return {
    operation: 'GetItem',
    key: util.dynamodb.toMapValues({ [READ_MODEL_PK]: HOTEL_TOTALS_KEY.pk, [READ_MODEL_SK]: HOTEL_TOTALS_KEY.sk }),
    consistentRead: true,
  };
}

export function response(ctx: Context): HotelTotals {
  failIfReadModelError(ctx.error);
  const totals = (ctx.result ?? {}) as Partial<HotelTotals>;
  return {
    rooms: totals.rooms ?? 0,
    guests: totals.guests ?? 0,
    activeReservations: totals.activeReservations ?? 0,
    nightsReserved: totals.nightsReserved ?? 0,
    amountCaptured: totals.amountCaptured ?? 0,
    currency: totals.currency ?? null,
  };
}
