/**
 * The local stack stopped while bookings are in flight and started again on the same state directory,
 * as a developer restarting `npm start --persist DIR` would: DynamoDB's data and the Step Functions
 * executions (their journal, local/stepfunctions/README.md), the bus's deliveries under way and the
 * Scheduler's schedules (local/persistedState.ts) are on disk. Each unfinished execution resumes at the
 * state it was in and sends that step's command again (same commandId: answered from the store when it
 * was stored, decided anew otherwise), so every booking ends as it would have without the restart,
 * nothing done twice and nothing left half-done. The payment provider (its stand-in) is external to the
 * stack and keeps running, as a real provider would; `tok_slow` keeps two bookings waiting on it.
 */
import { rmSync } from 'node:fs';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { LocalStack, type LocalStackOptions } from '../../../local/index.ts';
import { PaymentProviderStandIn } from '../../../dev/paymentProvider.ts';
import { LOCAL_PROVIDER_KEY, providerParameters } from '../../../dev/localCore.ts';
import { useAmplify, isAmplifyError } from '../../helpers/amplifyClient.ts';
import type { LocalStackFixture } from '../../helpers/localStack.ts';
import type { Booking, BookingEvent } from '../../../schema/generated/types.ts';

const persistDir = `.local/booking-restart-${process.pid}-${Date.now()}`;
const resumedLines: string[] = [];
let provider: PaymentProviderStandIn;
let stack: LocalStack;
let options: LocalStackOptions;

beforeAll(async () => {
  provider = await PaymentProviderStandIn.start({ apiKey: LOCAL_PROVIDER_KEY, slowMs: 3_000 });
  options = {
    cdkOut: inject('cdkOut'),
    port: 0,
    tlsDir: '.local/tls',
    persistDir,
    busRetry: { baseDelayMs: 20, maxDelayMs: 200 },
    parameters: providerParameters(provider),
    environment: { BOOKING_STEP_TIMEOUT_SECONDS: '8' },
    onEvent: (line) => {
      if (line.includes(' resumed at ')) resumedLines.push(line);
    },
  };
  stack = await LocalStack.start(options);
}, 90_000);
afterAll(async () => {
  await stack?.stop();
  await provider?.stop();
  rmSync(persistDir, { recursive: true, force: true });
});
// The client follows the stack across its restart: same port, same key.
const amplify = useAmplify({
  get stack() {
    return stack;
  },
} as LocalStackFixture);

async function send<T>(query: string, variables: Record<string, unknown>): Promise<T> {
  const answer = await amplify.send<T>(query, variables);
  if (isAmplifyError(answer)) throw new Error(JSON.stringify(answer.errors));
  return answer.data;
}

const BOOKING = `query ($id: ID!) { getBooking(id: $id) { status reason reservationId paymentId } getBookingHistory(id: $id) { type } }`;
/** What BOOKING selects, typed by the schema. */
interface BookingRead {
  getBooking: Pick<Booking, 'status' | 'reason' | 'reservationId' | 'paymentId'> | null;
  getBookingHistory: Pick<BookingEvent, 'type'>[];
}

describe('the local stack restarted while bookings are in flight', () => {
  it('resumes every unfinished booking: each ends CONFIRMED or FAILED as it would have, nothing done twice, nothing half-done', async () => {
    const guestId = ulid();
    await send('mutation ($input: RegisterGuestInput!) { registerGuest(input: $input) { id } }', {
      input: { id: guestId, name: 'Rae', email: `rae.${guestId.slice(-6).toLowerCase()}@example.com` },
    });
    const cards = ['tok_visa', 'tok_visa', 'tok_visa', 'tok_slow', 'tok_slow', 'tok_declined'];
    const rooms = cards.map(() => ulid());
    for (const [index, roomId] of rooms.entries()) {
      await send('mutation ($input: RegisterRoomInput!) { registerRoom(input: $input) { id } }', {
        input: { id: roomId, number: `R-${roomId.slice(-6)}-${index}`, capacity: 1, nightlyRate: 10_000, currency: 'EUR' },
      });
    }
    await expect
      .poll(
        async () => {
          const reads = await Promise.all(
            [guestId, ...rooms].map((id, index) =>
              send<Record<string, unknown>>(`query ($id: ID!) { ${index === 0 ? 'getGuest' : 'getRoom'}(id: $id) { id } }`, { id }),
            ),
          );
          return reads.every((read) => Object.values(read)[0] !== null);
        },
        { timeout: 15_000 },
      )
      .toBe(true);

    const bookings = cards.map((cardToken, index) => ({ id: ulid(), cardToken, roomId: rooms[index]! }));
    for (const booking of bookings) {
      await send('mutation ($input: BookStayInput!) { bookStay(input: $input) { id } }', {
        input: {
          id: booking.id,
          guestId,
          roomId: booking.roomId,
          dateStart: '2036-05-01',
          dateEnd: '2036-05-03',
          cardToken: booking.cardToken,
        },
      });
    }
    // Mid-flight: the tok_slow ones wait on the provider for 3 s; stop now, as Ctrl-C would.
    await new Promise((resolve) => setTimeout(resolve, 700));
    const port = stack.port;
    const stoppedAt = Date.now();
    await stack.stop();
    const stoppedIn = Date.now() - stoppedAt;
    stack = await LocalStack.start({ ...options, port });
    console.info(
      `booking restart: stopped in ${stoppedIn} ms, down ${Date.now() - stoppedAt} ms in all; ${resumedLines.length} execution(s) resumed`,
    );
    expect(resumedLines.length).toBeGreaterThanOrEqual(2);

    const read = (id: string) => send<BookingRead>(BOOKING, { id });
    await expect
      .poll(async () => (await Promise.all(bookings.map((booking) => read(booking.id)))).map((one) => one.getBooking?.status), {
        timeout: 40_000,
        interval: 500,
      })
      .toEqual(cards.map((card) => (card === 'tok_declined' ? 'FAILED' : 'CONFIRMED')));

    for (const booking of bookings) {
      const { getBooking, getBookingHistory } = await read(booking.id);
      const declined = booking.cardToken === 'tok_declined';
      // Each step recorded once, whatever was sent again.
      expect(getBookingHistory.map((event) => event.type)).toEqual(
        declined
          ? ['BookingStarted', 'BookingReserved', 'BookingFailed']
          : ['BookingStarted', 'BookingReserved', 'BookingPaymentAuthorized', 'BookingConfirmed'],
      );
      expect(getBooking!.reason).toBe(declined ? 'PaymentDeclined' : null);
      const held = await send<{
        getReservation: { status: string };
        getReservationHistory: { type: string }[];
        getPayment: { status: string } | null;
        getPaymentHistory: { type: string }[];
      }>(
        'query ($r: ID!, $p: ID!) { getReservation(id: $r) { status } getReservationHistory(id: $r) { type } getPayment(id: $p) { status } getPaymentHistory(id: $p) { type } }',
        { r: getBooking!.reservationId, p: getBooking!.paymentId },
      );
      expect(held.getReservation.status).toBe(declined ? 'CANCELLED' : 'CONFIRMED');
      expect(held.getReservationHistory.map((event) => event.type)).toEqual(
        declined ? ['ReservationCreated', 'ReservationCancelled'] : ['ReservationCreated'],
      );
      expect(held.getPaymentHistory.map((event) => event.type)).toEqual(
        declined ? ['PaymentDeclined'] : ['PaymentAuthorized', 'PaymentCaptured'],
      );
    }
    // The provider authorized each card once: a resent authorization carried the same idempotency key.
    const authorizations = provider.requests.filter((request) => request.path === '/v1/authorizations' && request.status === 201);
    expect(new Set(authorizations.map((request) => request.idempotencyKey)).size).toBe(5);

    // The executions are those of before the restart, ended: none lost, none aborted.
    const machine = stack.stepFunctions.listStateMachines().stateMachines.find((candidate) => candidate.name.includes('BookingSaga'))!;
    const executions = stack.stepFunctions.listExecutions({ stateMachineArn: machine.stateMachineArn }).executions;
    expect(bookings.map((booking) => executions.find((execution) => execution.name === booking.id)?.status)).toEqual(
      bookings.map(() => 'SUCCEEDED'),
    );
  }, 60_000);
});
