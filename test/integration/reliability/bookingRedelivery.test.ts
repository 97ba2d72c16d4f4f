/**
 * A booking whose every bus delivery comes twice (EventBridge delivers at least once): each
 * event the bus delivers to AppSync (the state machine's commands and publishes, the decided
 * events to the stores) is put on the bus once more. The booking still ends CONFIRMED, each
 * stream holds each event once, and onBookingUpdated sends each status once, in order.
 */
import { ulid } from 'ulid';
import { describe, expect, it } from 'vitest';
import { useAmplify, isAmplifyError } from '../../helpers/amplifyClient.ts';
import { useLocalStack } from '../../helpers/localStack.ts';

const copied = new Set<string>();
let copies = 0;
const local = useLocalStack({
  interceptDelivery: async (call) => {
    const { source, 'detail-type': detailType, detail } = call.event as { source: string; 'detail-type': string; detail: unknown };
    const key = `${source}|${detailType}|${JSON.stringify(detail)}`;
    if (!copied.has(key)) {
      copied.add(key);
      copies += 1;
      // The copy goes on the bus after this delivery started: it races the original or follows it.
      // The event-store bus, as the rules name it (`<bus>/<rule>`).
      const busName = local.stack.rules[0]!.split('/')[0]!;
      setTimeout(
        () =>
          local.stack.bus.putEvents({
            Entries: [{ Source: source, DetailType: detailType, Detail: JSON.stringify(detail), EventBusName: busName }],
          }),
        5,
      );
    }
    return 'deliver';
  },
});
const amplify = useAmplify(local);

async function send<T>(query: string, variables: Record<string, unknown>): Promise<T> {
  const answer = await amplify.send<T>(query, variables);
  if (isAmplifyError(answer)) throw new Error(JSON.stringify(answer.errors));
  return answer.data;
}

describe('a booking whose every delivery comes twice', () => {
  it('ends CONFIRMED with each event stored once and each status told once', async () => {
    const roomId = ulid();
    const guestId = ulid();
    await send('mutation ($input: RegisterRoomInput!) { registerRoom(input: $input) { id } }', {
      input: { id: roomId, number: `D-${roomId.slice(-6)}`, capacity: 1, nightlyRate: 8_000, currency: 'EUR' },
    });
    await send('mutation ($input: RegisterGuestInput!) { registerGuest(input: $input) { id } }', {
      input: { id: guestId, name: 'Lin', email: `lin.${guestId.slice(-6).toLowerCase()}@example.com` },
    });
    await expect
      .poll(
        async () =>
          (
            await send<{ getGuest: unknown; getRoom: unknown }>(
              'query ($r: ID!, $g: ID!) { getRoom(id: $r) { id } getGuest(id: $g) { id } }',
              { r: roomId, g: guestId },
            )
          ).getGuest,
        { timeout: 10_000 },
      )
      .not.toBeNull();

    const id = ulid();
    const statuses: string[] = [];
    const watch = amplify.messagesUntil<{ status: string }>('onBookingUpdated', 'id status reason', id, (update) => {
      statuses.push(update.status);
      return false;
    });
    await watch.ready;
    await send('mutation ($input: BookStayInput!) { bookStay(input: $input) { id } }', {
      input: { id, guestId, roomId, dateStart: '2036-03-01', dateEnd: '2036-03-03', cardToken: 'tok_visa' },
    });
    await expect
      .poll(
        async () =>
          (await send<{ getBooking: { status: string } | null }>('query ($id: ID!) { getBooking(id: $id) { status } }', { id })).getBooking
            ?.status,
        { timeout: 30_000 },
      )
      .toBe('CONFIRMED');
    // Give late copies time to arrive.
    await local.stack.bus.idle();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await local.stack.bus.idle();
    watch.unsubscribe();

    expect(statuses).toEqual(['STARTED', 'RESERVED', 'PAYMENT_AUTHORIZED', 'CONFIRMED']);
    const read = await send<{ getBooking: { reservationId: string; paymentId: string }; getBookingHistory: { type: string }[] }>(
      'query ($id: ID!) { getBooking(id: $id) { reservationId paymentId } getBookingHistory(id: $id) { type } }',
      { id },
    );
    expect(read.getBookingHistory.map((event) => event.type)).toEqual([
      'BookingStarted',
      'BookingReserved',
      'BookingPaymentAuthorized',
      'BookingConfirmed',
    ]);
    const reservation = await send<{ getReservationHistory: { type: string }[] }>(
      'query ($id: ID!) { getReservationHistory(id: $id) { type } }',
      { id: read.getBooking.reservationId },
    );
    expect(reservation.getReservationHistory.map((event) => event.type)).toEqual(['ReservationCreated']);
    const payment = await send<{ getPayment: { status: string }; getPaymentHistory: { type: string }[] }>(
      'query ($id: ID!) { getPayment(id: $id) { status } getPaymentHistory(id: $id) { type } }',
      {
        id: read.getBooking.paymentId,
      },
    );
    expect(payment.getPayment.status).toBe('CAPTURED');
    expect(payment.getPaymentHistory.map((event) => event.type)).toEqual(['PaymentAuthorized', 'PaymentCaptured']);
    expect(copies).toBeGreaterThanOrEqual(20);
  }, 90_000);
});
