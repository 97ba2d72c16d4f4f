/** The booking's decider, given/when/then: bookStay's checks (every violation at once) and the order of the steps the state machine records. */
import { describe, expect, it } from 'vitest';
import { aggregate as booking } from '../../../functions/booking/aggregate.ts';
import type { BookStay, BookingRule, RecordBookingStep } from '../../../functions/booking/decide.ts';
import type { NewBookingEvent } from '../../../functions/booking/events.ts';
import { toBooking } from '../../../functions/booking/state.ts';
import { validateBookStayInput, validateRecordBookingStepInput } from '../../../functions/booking/validate.ts';
import { deciderSpec } from '../../helpers/deciderSpec.ts';

const BOOKING_ID = '01JCZ5P1Q8M4T2V6X9Y3ZBBK01';
const GUEST_ID = '01JCZ5P1Q8M4T2V6X9Y3ZBGST1';
const ROOM_ID = '01JCZ5P1Q8M4T2V6X9Y3ZBRM01';
const RESERVATION_ID = '01JCZ5P1Q8M4T2V6X9Y3ZBRS01';
const PAYMENT_ID = '01JCZ5P1Q8M4T2V6X9Y3ZBPY01';
const NOW = '2026-01-10T09:30:00.000Z';

const { given, fold, stream } = deciderSpec<
  Parameters<typeof booking.evolve>[0],
  Parameters<typeof booking.evolve>[1],
  BookStay | RecordBookingStep,
  BookingRule
>(booking, { aggregateId: BOOKING_ID });

const bookStay = (fields: Partial<BookStay> = {}): BookStay => ({
  type: 'BookStay',
  id: BOOKING_ID,
  commandId: 'book-1',
  guestId: GUEST_ID,
  roomId: ROOM_ID,
  dateStart: '2026-02-01',
  dateEnd: '2026-02-04',
  reservationId: RESERVATION_ID,
  paymentId: PAYMENT_ID,
  now: NOW,
  guestFound: true,
  room: { nightlyRate: 12_000, currency: 'EUR' },
  roomNightsTaken: [],
  roomNightsClosed: [],
  ...fields,
});
const step = (status: RecordBookingStep['status'], fields: Partial<RecordBookingStep> = {}): RecordBookingStep => ({
  type: 'RecordBookingStep',
  id: BOOKING_ID,
  commandId: `step-${status}`,
  status,
  reason: null,
  compensation: null,
  now: NOW,
  ...fields,
});

const started: NewBookingEvent = {
  type: 'BookingStarted',
  data: {
    guestId: GUEST_ID,
    roomId: ROOM_ID,
    dateStart: '2026-02-01',
    dateEnd: '2026-02-04',
    nights: 3,
    amount: 36_000,
    currency: 'EUR',
    reservationId: RESERVATION_ID,
    paymentId: PAYMENT_ID,
  },
};
const reserved: NewBookingEvent = { type: 'BookingReserved', data: { reservationId: RESERVATION_ID } };
const authorized: NewBookingEvent = { type: 'BookingPaymentAuthorized', data: { paymentId: PAYMENT_ID } };
const confirmed: NewBookingEvent = { type: 'BookingConfirmed', data: {} };

describe('BookStay', () => {
  it('starts a booking priced nights × the nightly rate, naming the reservation and payment it will create', () => {
    given([]).when(bookStay()).then([started]);
  });

  it('refuses an unknown guest and room with every stay rule at once', () => {
    given([])
      .when(bookStay({ guestFound: false, room: null, dateStart: '2026-01-05', dateEnd: '2026-03-01' }))
      .thenRefuses('BusinessRuleViolation', ['GuestNotFound', 'RoomNotFound', 'DateStartInPast', 'StayTooLong']);
  });

  it('refuses nights another reservation holds and nights the room is closed', () => {
    given([])
      .when(bookStay({ roomNightsTaken: ['2026-02-02'], roomNightsClosed: ['2026-02-03'] }))
      .thenRefuses('BusinessRuleViolation', ['RoomAlreadyReserved', 'RoomClosed']);
  });

  it('ignores claims outside the stay', () => {
    given([])
      .when(bookStay({ roomNightsTaken: ['2026-02-04'], roomNightsClosed: ['2026-01-31'] }))
      .then([started]);
  });

  it('refuses a booking id already used (BookingExists)', () => {
    given([started])
      .when(bookStay({ commandId: 'book-2' }))
      .thenRefuses('BusinessRuleViolation', ['BookingExists']);
  });

  it('refuses an unreadable date as a ValidationError', () => {
    given([])
      .when(bookStay({ dateEnd: '2026-02-30' }))
      .thenRefuses('ValidationError', ['InvalidDate']);
  });
});

describe('RecordBookingStep', () => {
  it('records the steps in the process order: RESERVED, PAYMENT_AUTHORIZED, CONFIRMED', () => {
    given([started]).when(step('RESERVED')).then([reserved]);
    given([started, reserved]).when(step('PAYMENT_AUTHORIZED')).then([authorized]);
    given([started, reserved, authorized]).when(step('CONFIRMED')).then([confirmed]);
  });

  it('refuses a step out of order', () => {
    given([started]).when(step('CONFIRMED')).thenRefuses('BusinessRuleViolation', ['InvalidBookingStep']);
    given([started, reserved])
      .when(step('RESERVED', { commandId: 'again' }))
      .thenRefuses('BusinessRuleViolation', ['InvalidBookingStep']);
  });

  it('fails a running booking with its reason and what the compensation did', () => {
    const compensation = { steps: [{ step: 'cancelReservation', outcome: 'ReservationCancelled' }] };
    given([started, reserved])
      .when(step('FAILED', { reason: 'PaymentDeclined', compensation }))
      .then([{ type: 'BookingFailed', data: { reason: 'PaymentDeclined', compensation } }]);
  });

  it('refuses to fail a finished booking, or without a known reason', () => {
    given([started, reserved, authorized, confirmed])
      .when(step('FAILED', { reason: 'TimedOut' }))
      .thenRefuses('BusinessRuleViolation', ['InvalidBookingStep']);
    given([started])
      .when(step('FAILED', { reason: 'Oops' }))
      .thenRefuses('BusinessRuleViolation', ['InvalidFailureReason']);
  });

  it('refuses a step of a booking that does not exist (NotFound: the state machine retries until BookingStarted is stored)', () => {
    given([]).when(step('RESERVED')).thenRefuses('NotFound', ['BookingNotFound']);
  });
});

describe('the booking view', () => {
  it('folds every step; the ids stay set whatever happens', () => {
    expect(toBooking(fold(stream([started, reserved])))).toEqual({
      id: BOOKING_ID,
      guestId: GUEST_ID,
      roomId: ROOM_ID,
      dateStart: '2026-02-01',
      dateEnd: '2026-02-04',
      status: 'RESERVED',
      reservationId: RESERVATION_ID,
      paymentId: PAYMENT_ID,
      amount: 36_000,
      currency: 'EUR',
      reason: null,
      version: 2,
    });
    expect(
      toBooking(fold(stream([started, reserved, { type: 'BookingFailed', data: { reason: 'TimedOut', compensation: null } }]))),
    ).toMatchObject({
      status: 'FAILED',
      reason: 'TimedOut',
      reservationId: RESERVATION_ID,
      paymentId: PAYMENT_ID,
      version: 3,
    });
    expect(toBooking(booking.initialState)).toBeNull();
  });
});

describe('input shapes', () => {
  it('lists every shape problem of bookStay at once', () => {
    const rules = validateBookStayInput({
      id: 'b-1',
      commandId: 'a#b',
      guestId: '',
      roomId: 'r#1',
      dateStart: '2026-1-1',
      dateEnd: '2026-01-02',
      cardToken: 'tok visa',
    }).map((violation) => violation.rule);
    expect(rules).toEqual(['InvalidId', 'InvalidCommandId', 'InvalidGuestId', 'InvalidRoomId', 'InvalidDateStart', 'InvalidCardToken']);
  });

  it('accepts a well-formed step', () => {
    expect(validateRecordBookingStepInput({ id: BOOKING_ID, status: 'RESERVED' })).toEqual([]);
  });
});
