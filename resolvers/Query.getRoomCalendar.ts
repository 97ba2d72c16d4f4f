/**
 * Query.getRoomCalendar(roomId, from, to): every night from `from` to `to`
 * (exclusive): RESERVED or CLOSED where the calendar read model holds an item,
 * FREE elsewhere.
 */
import { util, type Context } from '@aws-appsync/utils';
import type { QueryGetRoomCalendarArgs, RoomNight } from '../schema/generated/types';
import { failIfReadModelError } from '../functions/projections/readModelQuery';
import { READ_MODEL_PK, READ_MODEL_SK, roomCalendarKey } from '../functions/projections/readModelTable';
import { addDays, isCalendarDate, nightCount, nightsOf } from '../functions/shared/calendarDate';
import { isSafeIdentifier } from '../functions/shared/inputChecks';

/** The longest calendar one request reads: a year of nights, one Query page. */
const MAX_CALENDAR_NIGHTS = 366;

export function request(ctx: Context<QueryGetRoomCalendarArgs>) {
  const { roomId, from, to } = ctx.args;
  const nights = isCalendarDate(from) && isCalendarDate(to) ? nightCount(from, to) : NaN;
  if (!isSafeIdentifier(roomId) || !(nights >= 1 && nights <= MAX_CALENDAR_NIGHTS)) {
    util.error(
      `Ask for a roomId and 1 to ${MAX_CALENDAR_NIGHTS} nights: from and to as YYYY-MM-DD, to after from (exclusive).`,
      'ValidationError',
    );
  }
  return {
    operation: 'Query',
    query: {
      expression: '#pk = :pk AND #sk BETWEEN :from AND :last',
      expressionNames: { '#pk': READ_MODEL_PK, '#sk': READ_MODEL_SK },
      expressionValues: util.dynamodb.toMapValues({ ':pk': roomCalendarKey(roomId, '').pk, ':from': from, ':last': addDays(to, -1) }),
    },
    consistentRead: true,
  };
}

export function response(ctx: Context<QueryGetRoomCalendarArgs>): RoomNight[] {
  failIfReadModelError(ctx.error);
  const held: Record<string, RoomNight> = {};
  for (const item of ctx.result.items as RoomNight[]) {
    held[item.date] = { date: item.date, state: item.state, reservationId: item.reservationId ?? null };
  }
  return nightsOf(ctx.args.from, ctx.args.to).map((night) => held[night] ?? { date: night, state: 'FREE', reservationId: null });
}
