/**
 * A booking made as a front-end server makes it, through aws-amplify v6: a room and a guest registered,
 * bookStay sent with a command id of the caller's choosing, and the booking read until the saga ends
 * (CONFIRMED or FAILED). For suites that look at what a booking leaves behind (the local console).
 *
 * @example
 * const amplify = useAmplify(useLocalStack());
 * const booking = await bookedStay(amplify, { cardToken: 'tok_visa', dateStart: '2035-01-01', dateEnd: '2035-01-03' });
 * booking.status; // 'CONFIRMED'
 */
import { ulid } from 'ulid';
import { isAmplifyError, type AmplifyFixture } from './amplifyClient.ts';

export interface BookedStay {
  id: string;
  commandId: string;
  roomId: string;
  guestId: string;
  status: 'CONFIRMED' | 'FAILED';
  reservationId: string;
  paymentId: string;
}

async function sent<T>(amplify: AmplifyFixture, query: string, variables: Record<string, unknown>): Promise<T> {
  const answer = await amplify.send<T>(query, variables);
  if (isAmplifyError(answer)) throw new Error(`${query.slice(0, 60)}… was refused: ${JSON.stringify(answer.errors)}`);
  return answer.data;
}

/** Polls `read` every 100 ms until it gives a value, or fails after `timeoutMs` saying what it waited for. */
async function until<T>(read: () => Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await read();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Gave up after ${timeoutMs} ms waiting for ${what}.`);
}

export async function bookedStay(
  amplify: AmplifyFixture,
  stay: { cardToken: string; dateStart: string; dateEnd: string },
): Promise<BookedStay> {
  const room = await sent<{ registerRoom: { id: string } }>(
    amplify,
    'mutation ($input: RegisterRoomInput!) { registerRoom(input: $input) { id } }',
    { input: { number: `C-${ulid().slice(-8)}`, capacity: 2, nightlyRate: 9_000, currency: 'EUR' } },
  );
  const guest = await sent<{ registerGuest: { id: string } }>(
    amplify,
    'mutation ($input: RegisterGuestInput!) { registerGuest(input: $input) { id } }',
    { input: { name: 'Grace', email: `grace.${ulid().slice(-8).toLowerCase()}@example.com` } },
  );
  const roomId = room.registerRoom.id;
  const guestId = guest.registerGuest.id;
  await until(async () => {
    const read = await sent<{ getRoom: unknown; getGuest: unknown }>(
      amplify,
      'query ($roomId: ID!, $guestId: ID!) { getRoom(id: $roomId) { id } getGuest(id: $guestId) { id } }',
      { roomId, guestId },
    );
    return read.getRoom && read.getGuest ? true : undefined;
  }, 'the room and the guest to be stored');

  const commandId = `book-${ulid()}`;
  const accepted = await sent<{ bookStay: { id: string } }>(
    amplify,
    'mutation ($input: BookStayInput!) { bookStay(input: $input) { id } }',
    {
      input: { commandId, guestId, roomId, ...stay },
    },
  );
  const id = accepted.bookStay.id;
  const booking = await until(async () => {
    const read = await sent<{ getBooking: Omit<BookedStay, 'commandId' | 'roomId' | 'guestId'> | null }>(
      amplify,
      'query ($id: ID!) { getBooking(id: $id) { id status reservationId paymentId } }',
      { id },
    );
    const status = read.getBooking?.status;
    return status === 'CONFIRMED' || status === 'FAILED' ? read.getBooking! : undefined;
  }, `booking ${id} to end CONFIRMED or FAILED`);
  return { ...booking, commandId, roomId, guestId };
}
