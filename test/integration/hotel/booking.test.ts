/**
 * The booking on the local stack, through aws-amplify v6 as a front-end server
 * sends it: bookStay checked at once (every violation), then the state machine
 * (infra/BookingSaga.ts) runs reserve → authorize → capture through AppSync,
 * each command's outcome returned to the execution by its task token, and
 * onBookingUpdated(id) carries every status in order, ending CONFIRMED or FAILED
 * with the compensation done (nights free again, nothing left captured).
 *
 * Each step's deadline is 4 s here (BOOKING_STEP_TIMEOUT_SECONDS; 20 s by default)
 * and tok_slow answers after 9 s (25 s by default), so the TimedOut path runs in seconds.
 */
import { describe, expect, it } from 'vitest';
import { ulid } from 'ulid';
import { useAmplify, isAmplifyError } from '../../helpers/amplifyClient.ts';
import { useLocalStack } from '../../helpers/localStack.ts';
import type { Booking as SchemaBooking, BookingUpdate as SchemaBookingUpdate } from '../../../schema/generated/types.ts';

const STEP_SECONDS = 4;
const local = useLocalStack({ environment: { BOOKING_STEP_TIMEOUT_SECONDS: String(STEP_SECONDS) }, providerSlowMs: 9_000 });
const amplify = useAmplify(local);

const REGISTER_ROOM = 'mutation ($input: RegisterRoomInput!) { registerRoom(input: $input) { id commandId status } }';
const REGISTER_GUEST = 'mutation ($input: RegisterGuestInput!) { registerGuest(input: $input) { id commandId status } }';
const BOOK_STAY = 'mutation ($input: BookStayInput!) { bookStay(input: $input) { id commandId status } }';
const BOOKING = 'id guestId roomId dateStart dateEnd status reservationId paymentId amount currency reason version';
const UPDATE = `id status reason booking { ${BOOKING} }`;

/** What BOOKING and UPDATE select, typed by the schema's generated types. */
type Booking = Pick<
  SchemaBooking,
  | 'id'
  | 'guestId'
  | 'roomId'
  | 'dateStart'
  | 'dateEnd'
  | 'status'
  | 'reservationId'
  | 'paymentId'
  | 'amount'
  | 'currency'
  | 'reason'
  | 'version'
>;
type BookingUpdate = Pick<SchemaBookingUpdate, 'id' | 'status' | 'reason'> & { booking: Booking | null };

async function registered(mutation: string, input: Record<string, unknown>, query: string): Promise<string> {
  const accepted = await amplify.send<Record<string, { id: string }>>(mutation, { input });
  if (isAmplifyError(accepted)) throw new Error(JSON.stringify(accepted.errors));
  const id = Object.values(accepted.data)[0]!.id;
  await expect
    .poll(
      async () =>
        (
          (await amplify.send<Record<string, unknown>>(`query ($id: ID!) { ${query}(id: $id) { id } }`, { id })) as {
            data: Record<string, unknown>;
          }
        ).data[query],
      { timeout: 10_000 },
    )
    .not.toBeNull();
  return id;
}

const room = () =>
  registered(REGISTER_ROOM, { number: `B-${ulid().slice(-8)}`, capacity: 2, nightlyRate: 12_000, currency: 'EUR' }, 'getRoom');
const guest = () => registered(REGISTER_GUEST, { name: 'Ada', email: `ada.${ulid().slice(-8).toLowerCase()}@example.com` }, 'getGuest');

/** bookStay after subscribing to its updates; resolves with every update up to the final one. */
async function book(input: Record<string, unknown>): Promise<{ id: string; updates: BookingUpdate[] }> {
  const id = ulid();
  const watch = amplify.messagesUntil<BookingUpdate>(
    'onBookingUpdated',
    UPDATE,
    id,
    (update) => update.status === 'CONFIRMED' || update.status === 'FAILED',
  );
  await watch.ready;
  const accepted = await amplify.send<{ bookStay: { id: string; status: string } }>(BOOK_STAY, { input: { id, ...input } });
  if (isAmplifyError(accepted)) throw new Error(JSON.stringify(accepted.errors));
  expect(accepted.data.bookStay).toMatchObject({ id, status: 'PENDING' });
  return { id, updates: await watch.messages };
}

/** The booking state machine's ARN, as the local Step Functions serves it. */
function bookingMachineArn(): string {
  return local.stack.stepFunctions.listStateMachines().stateMachines.find((machine) => machine.name.includes('BookingSaga'))!
    .stateMachineArn;
}

/** `text` with `$id`; a null id (a field the schema allows null) fails the request loudly, as a non-null ID! variable. */
async function query<T>(text: string, id: string | null): Promise<T> {
  const answer = await amplify.send<T>(text, { id });
  if (isAmplifyError(answer)) throw new Error(JSON.stringify(answer.errors));
  return answer.data;
}

describe('bookStay, checked at once', () => {
  it('refuses an unknown guest and room, with every other broken rule', async () => {
    const answer = await amplify.send(BOOK_STAY, {
      input: { guestId: ulid(), roomId: ulid(), dateStart: '2020-01-05', dateEnd: '2020-01-03', cardToken: 'tok_visa' },
    });
    if (!isAmplifyError(answer)) throw new Error('expected a refusal');
    expect(answer.errors[0]!.errorType).toBe('BusinessRuleViolation');
    expect(answer.errors[0]!.errorInfo!.violations.map((violation) => violation.rule)).toEqual([
      'GuestNotFound',
      'RoomNotFound',
      'DateRangeInvalid',
      'DateStartInPast',
    ]);
  });
});

describe('the booking process', () => {
  it('confirms a booking with a good card: every status in order, the reservation CONFIRMED, the payment CAPTURED', async () => {
    const [roomId, guestId] = await Promise.all([room(), guest()]);
    const { id, updates } = await book({ guestId, roomId, dateStart: '2034-05-01', dateEnd: '2034-05-04', cardToken: 'tok_visa' });
    expect(updates.map((update) => update.status)).toEqual(['STARTED', 'RESERVED', 'PAYMENT_AUTHORIZED', 'CONFIRMED']);
    const confirmed = updates.at(-1)!.booking!;
    expect(confirmed).toMatchObject({ id, status: 'CONFIRMED', amount: 36_000, currency: 'EUR', reason: null, version: 4 });

    const read = await query<{ getBooking: Booking; getBookingHistory: { type: string }[] }>(
      `query ($id: ID!) { getBooking(id: $id) { ${BOOKING} } getBookingHistory(id: $id) { type } }`,
      id,
    );
    expect(read.getBooking).toEqual(confirmed);
    expect(read.getBookingHistory.map((event) => event.type)).toEqual([
      'BookingStarted',
      'BookingReserved',
      'BookingPaymentAuthorized',
      'BookingConfirmed',
    ]);
    const reservation = await query<{ getReservation: { status: string; roomId: string } }>(
      'query ($id: ID!) { getReservation(id: $id) { status roomId } }',
      confirmed.reservationId,
    );
    expect(reservation.getReservation).toEqual({ status: 'CONFIRMED', roomId });
    const payment = await query<{ getPayment: { status: string; amount: number } }>(
      'query ($id: ID!) { getPayment(id: $id) { status amount } }',
      confirmed.paymentId,
    );
    expect(payment.getPayment).toEqual({ status: 'CAPTURED', amount: 36_000 });
  }, 60_000);

  it('fails a declined card PaymentDeclined, cancels the reservation, and the nights can be booked again at once', async () => {
    const [roomId, guestId] = await Promise.all([room(), guest()]);
    const stay = { guestId, roomId, dateStart: '2034-06-01', dateEnd: '2034-06-03' };
    const declined = await book({ ...stay, cardToken: 'tok_declined' });
    expect(declined.updates.map((update) => [update.status, update.reason])).toEqual([
      ['STARTED', null],
      ['RESERVED', null],
      ['FAILED', 'PaymentDeclined'],
    ]);
    const failed = declined.updates.at(-1)!.booking!;
    const reservation = await query<{ getReservation: { status: string } }>(
      'query ($id: ID!) { getReservation(id: $id) { status } }',
      failed.reservationId,
    );
    expect(reservation.getReservation).toEqual({ status: 'CANCELLED' });
    const payment = await query<{ getPayment: { status: string; declineReason: string } }>(
      'query ($id: ID!) { getPayment(id: $id) { status declineReason } }',
      failed.paymentId,
    );
    expect(payment.getPayment).toEqual({ status: 'DECLINED', declineReason: 'card_declined' });

    const again = await book({ ...stay, cardToken: 'tok_visa' });
    expect(again.updates.map((update) => update.status)).toEqual(['STARTED', 'RESERVED', 'PAYMENT_AUTHORIZED', 'CONFIRMED']);
  }, 60_000);

  it('fails PaymentFailed when the provider errors (tok_error), the reservation cancelled', async () => {
    const [roomId, guestId] = await Promise.all([room(), guest()]);
    const { updates } = await book({ guestId, roomId, dateStart: '2034-07-01', dateEnd: '2034-07-02', cardToken: 'tok_error' });
    expect(updates.map((update) => [update.status, update.reason])).toEqual([
      ['STARTED', null],
      ['RESERVED', null],
      ['FAILED', 'PaymentFailed'],
    ]);
    const failed = updates.at(-1)!.booking!;
    const reservation = await query<{ getReservation: { status: string } }>(
      'query ($id: ID!) { getReservation(id: $id) { status } }',
      failed.reservationId,
    );
    expect(reservation.getReservation).toEqual({ status: 'CANCELLED' });
    const payment = await query<{ getPayment: { status: string } }>(
      'query ($id: ID!) { getPayment(id: $id) { status } }',
      failed.paymentId,
    );
    expect(payment.getPayment).toEqual({ status: 'FAILED' });
  }, 60_000);

  it('fails TimedOut when the authorization misses its deadline (tok_slow), then voids the late authorization: nothing captured', async () => {
    const [roomId, guestId] = await Promise.all([room(), guest()]);
    const started = Date.now();
    const { updates } = await book({ guestId, roomId, dateStart: '2034-08-01', dateEnd: '2034-08-02', cardToken: 'tok_slow' });
    expect(updates.map((update) => [update.status, update.reason])).toEqual([
      ['STARTED', null],
      ['RESERVED', null],
      ['FAILED', 'TimedOut'],
    ]);
    // The provider answered after 9 s; the deadline was 4 s: the compensation waited for the late authorization and voided it.
    expect(Date.now() - started).toBeGreaterThan(9_000);
    const failed = updates.at(-1)!.booking!;
    const payment = await query<{ getPayment: { status: string } }>(
      'query ($id: ID!) { getPayment(id: $id) { status } }',
      failed.paymentId,
    );
    expect(payment.getPayment).toEqual({ status: 'VOIDED' });
    const reservation = await query<{ getReservation: { status: string } }>(
      'query ($id: ID!) { getReservation(id: $id) { status } }',
      failed.reservationId,
    );
    expect(reservation.getReservation).toEqual({ status: 'CANCELLED' });
    const history = await query<{ getPaymentHistory: { type: string }[] }>(
      'query ($id: ID!) { getPaymentHistory(id: $id) { type } }',
      failed.paymentId,
    );
    expect(history.getPaymentHistory.map((event) => event.type)).toEqual(['PaymentAuthorized', 'PaymentVoided']);
  }, 90_000);

  it('starts nothing new for a bookStay sent again with the same commandId: the same booking, one execution', async () => {
    const [roomId, guestId] = await Promise.all([room(), guest()]);
    const commandId = `book-${ulid()}`;
    const input = { commandId, guestId, roomId, dateStart: '2034-09-01', dateEnd: '2034-09-02', cardToken: 'tok_visa' };
    const first = await amplify.send<{ bookStay: { id: string; commandId: string; status: string } }>(BOOK_STAY, { input });
    if (isAmplifyError(first)) throw new Error(JSON.stringify(first.errors));
    const id = first.data.bookStay.id;
    await expect
      .poll(
        async () =>
          (await query<{ getBooking: { status: string } | null }>('query ($id: ID!) { getBooking(id: $id) { status } }', id)).getBooking
            ?.status,
        { timeout: 20_000 },
      )
      .toBe('CONFIRMED');

    const again = await amplify.send<{ bookStay: { id: string; commandId: string; status: string } }>(BOOK_STAY, { input });
    expect(again).toEqual({ data: { bookStay: { id, commandId, status: 'PENDING' } } });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const history = await query<{ getBookingHistory: { type: string }[] }>('query ($id: ID!) { getBookingHistory(id: $id) { type } }', id);
    expect(history.getBookingHistory.map((event) => event.type)).toEqual([
      'BookingStarted',
      'BookingReserved',
      'BookingPaymentAuthorized',
      'BookingConfirmed',
    ]);
    const executions = local.stack.stepFunctions
      .listExecutions({ stateMachineArn: bookingMachineArn() })
      .executions.filter((execution) => execution.name === id);
    expect(executions).toHaveLength(1);
  }, 60_000);
});

describe('bookings racing for one room-night', () => {
  it('confirms exactly one of 50 bookings of the same night; the others fail RoomUnavailable with no payment taken', async () => {
    const [roomId, guestId] = await Promise.all([room(), guest()]);
    const stay = { guestId, roomId, dateStart: '2035-01-10', dateEnd: '2035-01-11', cardToken: 'tok_visa' };
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => amplify.send<{ bookStay: { id: string; status: string } }>(BOOK_STAY, { input: stay })),
    );
    const ids = answers.flatMap((answer) => (isAmplifyError(answer) ? [] : [answer.data.bookStay.id]));
    // Every bookStay that saw the night free is accepted; one that came after the winner's reservation was stored is refused at once.
    for (const answer of answers) {
      if (isAmplifyError(answer))
        expect(answer.errors[0]!.errorInfo!.violations.map((violation) => violation.rule)).toEqual(['RoomAlreadyReserved']);
    }
    expect(ids.length).toBeGreaterThan(1);
    const finished = async () => {
      const bookings = await Promise.all(
        ids.map((id) => query<{ getBooking: Booking | null }>(`query ($id: ID!) { getBooking(id: $id) { ${BOOKING} } }`, id)),
      );
      return bookings.map((read) => read.getBooking!);
    };
    await expect
      .poll(async () => (await finished()).every((booking) => booking.status === 'CONFIRMED' || booking.status === 'FAILED'), {
        timeout: 90_000,
        interval: 1_000,
      })
      .toBe(true);
    const bookings = await finished();
    expect(bookings.filter((booking) => booking.status === 'CONFIRMED')).toHaveLength(1);
    const failed = bookings.filter((booking) => booking.status === 'FAILED');
    expect(failed).toHaveLength(ids.length - 1);
    expect(new Set(failed.map((booking) => booking.reason))).toEqual(new Set(['RoomUnavailable']));
    const payments = await Promise.all(
      failed.map((booking) =>
        query<{ getPayment: { status: string } | null }>('query ($id: ID!) { getPayment(id: $id) { status } }', booking.paymentId),
      ),
    );
    expect(payments.map((payment) => payment.getPayment)).toEqual(failed.map(() => null));
  }, 150_000);
});
