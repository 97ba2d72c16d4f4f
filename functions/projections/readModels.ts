/**
 * The read models, as what each stored event changes in them. Every change
 * is derived from the event and the aggregate's state before and after it,
 * folded with the aggregate's own reducer, so a read model can never disagree
 * with get<Aggregate>. Pure, valid APPSYNC_JS.
 */
import type { EventEnvelope } from '../eventStore/envelope';
import { nightsOf } from '../shared/calendarDate';
import type { RoomState } from '../room/state';
import { toRoom } from '../room/state';
import type { ReservationState } from '../reservation/state';
import { toReservation } from '../reservation/state';
import type { ReadModelChange } from './changes';
import { HOTEL_TOTALS_KEY, reservationsByGuestKey, roomCalendarKey, roomsKey } from './readModelTable';

/** One stored event of an aggregate, with the aggregate's state before and after it. */
export interface AppliedEvent {
  streamType: string;
  event: EventEnvelope;
  before: unknown;
  after: unknown;
}

function totals(counters: Record<string, number>, setIfAbsent: Record<string, unknown> = {}): ReadModelChange {
  return { op: 'add', key: HOTEL_TOTALS_KEY, counters, setIfAbsent };
}

/** listRooms: the room as getRoom shows it, after every room event. */
export function roomCatalogChanges({ streamType, after }: AppliedEvent): ReadModelChange[] {
  const room = streamType === 'Room' ? toRoom(after as RoomState) : null;
  return room ? [{ op: 'put', key: roomsKey(room.id), item: room }] : [];
}

/** listReservationsByGuest: the reservation as getReservation shows it, under its guest (userId). */
export function reservationsByGuestChanges({ streamType, after }: AppliedEvent): ReadModelChange[] {
  const reservation = streamType === 'Reservation' ? toReservation(after as ReservationState) : null;
  return reservation ? [{ op: 'put', key: reservationsByGuestKey(reservation.userId, reservation.id), item: reservation }] : [];
}

/** getRoomCalendar: a reserved or closed night holds an item; a freed night has none. */
export function roomCalendarChanges({ streamType, event }: AppliedEvent): ReadModelChange[] {
  const data = event.data as { roomId: string; dateStart: string; dateEnd: string; nights?: string[] };
  switch (`${streamType}.${event.type}`) {
    case 'Reservation.ReservationCreated':
      return nightsOf(data.dateStart, data.dateEnd).map((night) => ({
        op: 'put' as const,
        key: roomCalendarKey(data.roomId, night),
        item: { date: night, state: 'RESERVED', reservationId: event.aggregateId },
      }));
    case 'Reservation.ReservationCancelled':
      return nightsOf(data.dateStart, data.dateEnd).map((night) => ({ op: 'delete' as const, key: roomCalendarKey(data.roomId, night) }));
    case 'Room.RoomClosed':
      return (data.nights ?? []).map((night) => ({
        op: 'put' as const,
        key: roomCalendarKey(data.roomId, night),
        item: { date: night, state: 'CLOSED', reservationId: null },
      }));
    case 'Room.RoomReopened':
      return (data.nights ?? []).map((night) => ({ op: 'delete' as const, key: roomCalendarKey(data.roomId, night) }));
    default:
      return [];
  }
}

/** getHotelTotals: counters moved by the events that change them (aarts' totals record, kept from the stream). */
export function hotelTotalsChanges({ streamType, event }: AppliedEvent): ReadModelChange[] {
  const data = event.data as { dateStart: string; dateEnd: string; currency: string; amount: number };
  switch (`${streamType}.${event.type}`) {
    case 'Room.RoomRegistered':
      // The hotel's one currency: its first room's.
      return [totals({ rooms: 1 }, { currency: data.currency })];
    case 'Guest.GuestRegistered':
      return [totals({ guests: 1 })];
    case 'Reservation.ReservationCreated':
      return [totals({ activeReservations: 1, nightsReserved: nightsOf(data.dateStart, data.dateEnd).length })];
    case 'Reservation.ReservationCancelled':
      return [totals({ activeReservations: -1, nightsReserved: -nightsOf(data.dateStart, data.dateEnd).length })];
    case 'Payment.PaymentCaptured':
      return [totals({ amountCaptured: data.amount })];
    case 'Payment.PaymentRefunded':
      return [totals({ amountCaptured: -data.amount })];
    default:
      return [];
  }
}

/** Every read model's changes for one applied event, in a fixed order. */
export function readModelChanges(applied: AppliedEvent): ReadModelChange[] {
  return [
    ...roomCatalogChanges(applied),
    ...reservationsByGuestChanges(applied),
    ...roomCalendarChanges(applied),
    ...hotelTotalsChanges(applied),
  ];
}
