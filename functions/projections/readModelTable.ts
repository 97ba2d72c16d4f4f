/**
 * How the read models lie in their own table (pk, sk: both strings), one
 * partition per list a query reads:
 *
 * - `Rooms` / roomId: a room as getRoom shows it (listRooms);
 * - `ReservationsByGuest#<guestId>` / reservationId: a reservation (listReservationsByGuest);
 * - `RoomCalendar#<roomId>` / night: a night RESERVED (with its reservation) or CLOSED; absent is FREE;
 * - `HotelTotals` / `-`: the counters of getHotelTotals;
 * - `Cursor#<streamId>` / `-`: the last version of that stream the read models reflect.
 *
 * Valid APPSYNC_JS.
 */

export const READ_MODEL_PK = 'pk';
export const READ_MODEL_SK = 'sk';
/** The sort key of single-item partitions. */
export const SINGLE = '-';

export interface ReadModelKey {
  pk: string;
  sk: string;
}

export const roomsKey = (roomId: string): ReadModelKey => ({ pk: 'Rooms', sk: roomId });
export const reservationsByGuestKey = (guestId: string, reservationId: string): ReadModelKey => ({
  pk: `ReservationsByGuest#${guestId}`,
  sk: reservationId,
});
export const roomCalendarKey = (roomId: string, night: string): ReadModelKey => ({ pk: `RoomCalendar#${roomId}`, sk: night });
export const HOTEL_TOTALS_KEY: ReadModelKey = { pk: 'HotelTotals', sk: SINGLE };
export const cursorKey = (streamId: string): ReadModelKey => ({ pk: `Cursor#${streamId}`, sk: SINGLE });
