/** The state of one booking stream, folded by `evolve`. */
import type { Booking, BookingStatus } from '../../schema/generated/types.ts';

export const BOOKING_STATE_VERSION = 1;

export interface NoBooking {
  status: 'NONE';
  version: number;
}

export interface ExistingBooking {
  status: BookingStatus;
  version: number;
  id: string;
  guestId: string;
  roomId: string;
  dateStart: string;
  dateEnd: string;
  amount: number;
  currency: string;
  reservationId: string;
  paymentId: string;
  reason: string | null;
}

export type BookingState = NoBooking | ExistingBooking;

export const initialState: BookingState = { status: 'NONE', version: 0 };

export function toBooking(state: BookingState): Booking | null {
  if (state.status === 'NONE') {
    return null;
  }
  const { id, guestId, roomId, dateStart, dateEnd, status, reservationId, paymentId, amount, currency, reason, version } = state;
  return { id, guestId, roomId, dateStart, dateEnd, status, reservationId, paymentId, amount, currency, reason, version };
}
