/** The booking's reducer, shared by the command side, the queries and the tests. Total: it never throws. */
import type { BookingEvent } from './events.ts';
import type { BookingState, ExistingBooking } from './state.ts';

function moved(state: BookingState, version: number, change: Partial<ExistingBooking>): BookingState {
  return state.status === 'NONE' ? { ...state, version } : { ...state, ...change, version };
}

export function evolve(state: BookingState, event: BookingEvent): BookingState {
  switch (event.type) {
    case 'BookingStarted': {
      const { guestId, roomId, dateStart, dateEnd, amount, currency, reservationId, paymentId } = event.data;
      return {
        status: 'STARTED',
        version: event.version,
        id: event.aggregateId,
        guestId,
        roomId,
        dateStart,
        dateEnd,
        amount,
        currency,
        reservationId,
        paymentId,
        reason: null,
      };
    }
    case 'BookingReserved':
      return moved(state, event.version, { status: 'RESERVED' });
    case 'BookingPaymentAuthorized':
      return moved(state, event.version, { status: 'PAYMENT_AUTHORIZED' });
    case 'BookingConfirmed':
      return moved(state, event.version, { status: 'CONFIRMED' });
    case 'BookingFailed':
      return moved(state, event.version, { status: 'FAILED', reason: event.data.reason });
    default: {
      const _unknown: never = event;
      return state;
    }
  }
}
