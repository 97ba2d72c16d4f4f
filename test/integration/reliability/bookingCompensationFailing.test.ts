/**
 * A booking whose compensation keeps failing, on the local stack through aws-amplify v6: the payment
 * provider (its stand-in, the one external service here) is down for the capture and the void of one
 * card's payments. The capture misses its deadline, so the booking compensates; the void keeps
 * failing through its retries. The booking still ends FAILED, naming the step that kept failing, and
 * nothing is silently dropped: the execution fails `CompensationFailed` with the step in its cause and
 * its history, the bus keeps every undelivered void as a failed delivery (the rule's dead-letter
 * queue), and the authorization stays visible as AUTHORIZED for an operator to release.
 */
import { ulid } from 'ulid';
import { describe, expect, it } from 'vitest';
import { useAmplify, isAmplifyError } from '../../helpers/amplifyClient.ts';
import { useLocalStack } from '../../helpers/localStack.ts';
import type { Booking, BookingUpdate } from '../../../schema/generated/types.ts';

const STEP_SECONDS = 2;
const local = useLocalStack({ environment: { BOOKING_STEP_TIMEOUT_SECONDS: String(STEP_SECONDS) } });
const amplify = useAmplify(local);

async function send<T>(query: string, variables: Record<string, unknown>): Promise<T> {
  const answer = await amplify.send<T>(query, variables);
  if (isAmplifyError(answer)) throw new Error(JSON.stringify(answer.errors));
  return answer.data;
}

/** What the test selects of onBookingUpdated, typed by the schema's generated types. */
type Update = Pick<BookingUpdate, 'status' | 'reason'> & { booking: Pick<Booking, 'reservationId' | 'paymentId'> | null };

describe('a booking whose compensation keeps failing (the provider down for its capture and its void)', () => {
  it('ends FAILED naming voidPayment, the execution failed CompensationFailed, each undelivered void kept as a failed delivery', async () => {
    const roomId = ulid();
    const guestId = ulid();
    const cardToken = `tok_outage_${ulid().slice(-8)}`;
    const heal = local.provider.failFollowUps(cardToken, ['capture', 'void']);
    await send('mutation ($input: RegisterRoomInput!) { registerRoom(input: $input) { id } }', {
      input: { id: roomId, number: `C-${roomId.slice(-6)}`, capacity: 1, nightlyRate: 9_000, currency: 'EUR' },
    });
    await send('mutation ($input: RegisterGuestInput!) { registerGuest(input: $input) { id } }', {
      input: { id: guestId, name: 'Kay', email: `kay.${guestId.slice(-6).toLowerCase()}@example.com` },
    });
    await expect
      .poll(async () => (await send<{ getGuest: unknown }>('query ($id: ID!) { getGuest(id: $id) { id } }', { id: guestId })).getGuest, {
        timeout: 10_000,
      })
      .not.toBeNull();

    const id = ulid();
    const watch = amplify.messagesUntil<Update>(
      'onBookingUpdated',
      'status reason booking { reservationId paymentId }',
      id,
      (update) => update.status === 'FAILED' || update.status === 'CONFIRMED',
    );
    await watch.ready;
    await send('mutation ($input: BookStayInput!) { bookStay(input: $input) { id } }', {
      input: { id, guestId, roomId, dateStart: '2036-04-01', dateEnd: '2036-04-03', cardToken },
    });
    const updates = await watch.messages;
    heal();

    // The capture never answered within its deadline: the contract's reason is TimedOut.
    expect(updates.map((update) => [update.status, update.reason])).toEqual([
      ['STARTED', null],
      ['RESERVED', null],
      ['PAYMENT_AUTHORIZED', null],
      ['FAILED', 'TimedOut'],
    ]);
    const { reservationId, paymentId } = updates.at(-1)!.booking!;

    // The booking's own stream names the step that kept failing, and what the compensation did undo.
    const history = await send<{ getBookingHistory: { type: string; data: string }[] }>(
      'query ($id: ID!) { getBookingHistory(id: $id) { type data } }',
      { id },
    );
    const failed = history.getBookingHistory.at(-1)!;
    expect(failed.type).toBe('BookingFailed');
    const { reason, compensation } = JSON.parse(failed.data) as { reason: string; compensation: unknown };
    expect(reason).toBe('TimedOut');
    expect(compensation).toEqual({
      failedStep: 'voidPayment',
      steps: [{ step: 'cancelReservation', outcome: 'ReservationCancelled' }],
    });

    // The execution ends FAILED (not SUCCEEDED): an operator listing failed executions finds it, the step in its cause.
    const sfn = local.stack.stepFunctions;
    const machine = sfn.listStateMachines().stateMachines.find((candidate) => candidate.name.includes('BookingSaga'))!;
    const execution = sfn
      .listExecutions({ stateMachineArn: machine.stateMachineArn, statusFilter: 'FAILED' })
      .executions.find((candidate) => candidate.name === id);
    expect(execution).toBeDefined();
    const described = sfn.describeExecution({ executionArn: execution!.executionArn as string });
    expect(described).toMatchObject({ status: 'FAILED', error: 'CompensationFailed' });
    expect(described.cause).toContain('voidPayment kept failing');
    // Its history shows each void attempt timing out: the first and its 3 retries (States.Timeout, MaxAttempts 3).
    const events = sfn.historyOf(execution!.executionArn as string);
    const named = (event: (typeof events)[number], key: string) => (event[key] as { name?: string } | undefined)?.name;
    const voidEntered = events.findIndex(
      (event) => event.type === 'TaskStateEntered' && named(event, 'stateEnteredEventDetails') === 'VoidPayment',
    );
    const voidExited = events.findIndex(
      (event) => event.type === 'TaskStateExited' && named(event, 'stateExitedEventDetails') === 'VoidPayment',
    );
    expect(events.slice(voidEntered, voidExited).filter((event) => event.type === 'TaskTimedOut')).toHaveLength(4);

    // Every void the bus could not deliver is kept with its error and the rule's dead-letter queue.
    await local.stack.bus.idle();
    const undelivered = local.stack.bus
      .failedDeliveries()
      .filter(
        (delivery) =>
          delivery.event['detail-type'] === 'voidPayment' && (delivery.event.detail as { input: { id: string } }).input.id === paymentId,
      );
    expect(undelivered).toHaveLength(4);
    for (const delivery of undelivered) {
      expect(delivery).toMatchObject({
        exhaustedRetryCondition: 'MaximumRetryAttempts',
        deadLetterArn: expect.stringMatching(/^arn:aws:sqs:/),
      });
      expect(delivery.errorMessage).toContain('PaymentProviderUnavailable');
    }

    // What is left is visible, not half-undone: the nights are free again, the authorization still held for an operator.
    const left = await send<{ getReservation: { status: string }; getPayment: { status: string } }>(
      'query ($r: ID!, $p: ID!) { getReservation(id: $r) { status } getPayment(id: $p) { status } }',
      { r: reservationId, p: paymentId },
    );
    expect(left).toEqual({ getReservation: { status: 'CANCELLED' }, getPayment: { status: 'AUTHORIZED' } });
  }, 60_000);
});
