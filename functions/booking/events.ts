/**
 * The events of a booking stream: its start (what bookStay decided) and each
 * step the state machine reached. A booking claims no unique value: the
 * reservation it creates claims the room-nights.
 */
import type { EventEnvelope, NewEvent, UniqueConstraints } from '../eventStore/envelope.ts';
import type { BookingEventType as SchemaEventType, StoreEventType } from '../../schema/generated/types.ts';

export type BookingEventType = Exclude<SchemaEventType, StoreEventType>;

export const BOOKING_SCHEMA_VERSION = 1;

/** Why a booking failed (CONTRACT.md, "The booking"). */
export type BookingFailureReason = 'RoomUnavailable' | 'PaymentDeclined' | 'PaymentFailed' | 'TimedOut';

export interface BookingEventDataByType {
  /** bookStay accepted: the stay, its price (nights × nightly rate) and the ids of the reservation and payment the process creates. */
  BookingStarted: {
    guestId: string;
    roomId: string;
    dateStart: string;
    dateEnd: string;
    nights: number;
    amount: number;
    currency: string;
    reservationId: string;
    paymentId: string;
  };
  /** The reservation was stored (SAVED). */
  BookingReserved: { reservationId: string };
  /** The payment was authorized. */
  BookingPaymentAuthorized: { paymentId: string };
  /** The payment was captured: the booking is done. */
  BookingConfirmed: Record<string, never>;
  /** The process failed and compensated what it had done (`compensation`: what it undid, for an operator). */
  BookingFailed: { reason: string; compensation: unknown };
}

export type BookingEvent = { [Type in BookingEventType]: EventEnvelope<Type, BookingEventDataByType[Type]> }[BookingEventType];
export type NewBookingEvent = { [Type in BookingEventType]: NewEvent<Type, BookingEventDataByType[Type]> }[BookingEventType];

export function uniqueConstraintsOf(_event: NewBookingEvent): UniqueConstraints {
  return { claim: [], release: [] };
}
