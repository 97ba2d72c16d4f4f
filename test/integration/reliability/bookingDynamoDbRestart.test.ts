/**
 * DynamoDB Local killed while bookings are in flight, then started again on its data (persistDir):
 * an outage of DynamoDB as AWS has it, which never loses a write it acknowledged, so SIGTERM, not
 * SIGKILL (which may lose DynamoDB Local's latest acknowledged writes: CI once saw a booking CONFIRMED
 * whose stored reservation was gone; LocalStack.crashDynamoDb tells the measurements). Commands sent while it is down are refused EventStoreUnavailable and
 * retried by the bus (the rule's retry policy, long enough here to outlast the restart); a step that
 * misses its deadline compensates. Whatever each booking met, it ends CONFIRMED or FAILED, and
 * nothing is left half-done: a confirmed booking holds a CONFIRMED reservation and a CAPTURED payment,
 * a failed one holds neither (its nights free again, nothing captured), and each step is stored once.
 */
import { rmSync } from 'node:fs';
import { ulid } from 'ulid';
import { afterAll, describe, expect, it } from 'vitest';
import { useAmplify, isAmplifyError } from '../../helpers/amplifyClient.ts';
import { useLocalStack } from '../../helpers/localStack.ts';
import type { Booking, BookingEvent } from '../../../schema/generated/types.ts';

const persistDir = `.local/booking-dynamodb-restart-${process.pid}-${Date.now()}`;
// Registered before the stack's own afterAll, so it runs after the stack (and its Java) stopped.
afterAll(() => rmSync(persistDir, { recursive: true, force: true }));
/** The executions' ends, as the dev log tells them, for the figures line (and to see why, should it fail). */
const executionLog: string[] = [];
const local = useLocalStack({
  persistDir,
  // Longer than the outage and the bus's retries through it: a step waits for its delayed answer instead of compensating.
  environment: { BOOKING_STEP_TIMEOUT_SECONDS: '30' },
  // 8 retries take 16–32 s with this timing: longer than DynamoDB Local's restart (5–11 s here), a retry at most 6 s after it.
  busRetry: { baseDelayMs: 500, maxDelayMs: 6_000 },
  onEvent: (line) => {
    if (line.startsWith('stepfunctions') && / in \d+ ms/.test(line)) executionLog.push(line);
  },
});
const amplify = useAmplify(local);

async function send<T>(query: string, variables: Record<string, unknown>): Promise<T> {
  const answer = await amplify.send<T>(query, variables);
  if (isAmplifyError(answer)) throw new Error(JSON.stringify(answer.errors));
  return answer.data;
}

/** What the test selects of a booking, typed by the schema. */
interface Held {
  getBooking: Pick<Booking, 'status' | 'reason' | 'reservationId' | 'paymentId'>;
  getBookingHistory: Pick<BookingEvent, 'type'>[];
}

describe('DynamoDB Local killed while bookings are in flight, then restarted on its data', () => {
  it('ends every booking CONFIRMED or FAILED, nothing half-done: no capture for a failed booking, no reservation held without a confirmed one', async () => {
    const guestId = ulid();
    const rooms = Array.from({ length: 6 }, () => ulid());
    await send('mutation ($input: RegisterGuestInput!) { registerGuest(input: $input) { id } }', {
      input: { id: guestId, name: 'Sol', email: `sol.${guestId.slice(-6).toLowerCase()}@example.com` },
    });
    await Promise.all(
      rooms.map((roomId, index) =>
        send('mutation ($input: RegisterRoomInput!) { registerRoom(input: $input) { id } }', {
          input: { id: roomId, number: `K-${roomId.slice(-6)}-${index}`, capacity: 1, nightlyRate: 7_000, currency: 'EUR' },
        }),
      ),
    );
    await expect
      .poll(
        async () =>
          (
            await Promise.all(
              [guestId, ...rooms].map((id, index) =>
                send<Record<string, unknown>>(`query ($id: ID!) { ${index === 0 ? 'getGuest' : 'getRoom'}(id: $id) { id } }`, { id }),
              ),
            )
          ).every((read) => Object.values(read)[0] !== null),
        { timeout: 15_000 },
      )
      .toBe(true);

    const ids = rooms.map(() => ulid());
    await Promise.all(
      rooms.map((roomId, index) =>
        send('mutation ($input: BookStayInput!) { bookStay(input: $input) { id } }', {
          input: { id: ids[index], guestId, roomId, dateStart: '2036-06-01', dateEnd: '2036-06-04', cardToken: 'tok_visa' },
        }),
      ),
    );
    // The bookings are under way (a booking takes about a second here): crash the store in the middle of them.
    await new Promise((resolve) => setTimeout(resolve, 400));
    const crashedAt = Date.now();
    await local.stack.crashDynamoDb({ keepAcknowledgedWrites: true });
    await local.stack.restartDynamoDb();
    const outage = Date.now() - crashedAt;

    const crashedToDone = Date.now();
    const read = (id: string) =>
      send<Held>('query ($id: ID!) { getBooking(id: $id) { status reason reservationId paymentId } getBookingHistory(id: $id) { type } }', {
        id,
      });
    await expect
      .poll(async () => (await Promise.all(ids.map(read))).every((one) => ['CONFIRMED', 'FAILED'].includes(one.getBooking?.status ?? '')), {
        timeout: 45_000,
        interval: 500,
      })
      .toBe(true);
    const settledIn = Date.now() - crashedToDone + outage;
    // Let a compensation that is still running finish before reading what is held.
    await local.stack.stepFunctions.idle();

    const outcomes: string[] = [];
    for (const id of ids) {
      const { getBooking, getBookingHistory } = await read(id);
      outcomes.push(`${getBooking.status}${getBooking.reason ? ` ${getBooking.reason}` : ''}`);
      const types = getBookingHistory.map((event) => event.type);
      expect(new Set(types).size).toBe(types.length);
      const held = await send<{ getReservation: { status: string } | null; getPayment: { status: string } | null }>(
        'query ($r: ID!, $p: ID!) { getReservation(id: $r) { status } getPayment(id: $p) { status } }',
        { r: getBooking.reservationId, p: getBooking.paymentId },
      );
      if (getBooking.status === 'CONFIRMED') {
        expect(held).toEqual({ getReservation: { status: 'CONFIRMED' }, getPayment: { status: 'CAPTURED' } });
      } else {
        // The outage is the only fault: a booking it fails is one whose step got no answer in time (the store answered TIMED_OUT or nothing).
        expect(getBooking.reason).toBe('TimedOut');
        expect(['CANCELLED', undefined]).toContain(held.getReservation?.status);
        expect(['VOIDED', 'DECLINED', 'FAILED', undefined]).toContain(held.getPayment?.status);
      }
    }
    // No compensation kept failing: every execution ended as the machine's own success or FAILED path.
    const machine = local.stack.stepFunctions
      .listStateMachines()
      .stateMachines.find((candidate) => candidate.name.includes('BookingSaga'))!;
    const executions = local.stack.stepFunctions.listExecutions({ stateMachineArn: machine.stateMachineArn }).executions;
    expect(
      ids.map((id) => executions.find((execution) => execution.name === id)?.status),
      executionLog.join('\n'),
    ).toEqual(ids.map(() => 'SUCCEEDED'));
    console.info(
      `booking DynamoDB restart: outage ${outage} ms, all ended ${settledIn} ms after the crash; outcomes ${outcomes.join(', ')}`,
    );
  }, 60_000);
});
