/**
 * The booking story as a front-end server lives it, through aws-amplify v6 configured with only an
 * endpoint and an API key: register a room and a guest, subscribe to onBookingUpdated(id), bookStay,
 * receive every status in order up to CONFIRMED, query the booking, its reservation and its payment.
 * Runs against the local stack by default, and unchanged against a deployed one
 * (E2E_ENDPOINT, E2E_API_KEY; test/helpers/e2eTarget.ts), where the card tokens are the provider's:
 * E2E_CARD_TOKEN (default `tok_visa`) must authorize, E2E_DECLINED_CARD_TOKEN (default `tok_declined`
 * locally) must be declined; the declined story is skipped on a deployed stack without it. The test
 * reading the execution itself needs the local stack's Step Functions and is skipped on a deployed one.
 */
import { Hub } from 'aws-amplify/utils';
import { ulid } from 'ulid';
import { afterEach, describe, expect, it } from 'vitest';
import { useE2eTarget } from '../helpers/e2eTarget.ts';
import type { Booking as SchemaBooking, BookingUpdate } from '../../schema/generated/types.ts';

const target = useE2eTarget();
const deployed = process.env.E2E_ENDPOINT !== undefined && process.env.E2E_API_KEY !== undefined;
const CARD = process.env.E2E_CARD_TOKEN ?? 'tok_visa';
const DECLINED_CARD = process.env.E2E_DECLINED_CARD_TOKEN ?? (deployed ? undefined : 'tok_declined');
const locally = deployed ? it.skip : it;
const withDeclinedCard = DECLINED_CARD ? it : it.skip;

const BOOKING = 'id guestId roomId dateStart dateEnd status reservationId paymentId amount currency reason';
const ON_UPDATED = `subscription OnUpdated($id: ID!) { onBookingUpdated(id: $id) { id status reason booking { ${BOOKING} } } }`;

/** What BOOKING and ON_UPDATED select, typed by the schema's generated types. */
type Booking = Pick<
  SchemaBooking,
  'id' | 'guestId' | 'roomId' | 'dateStart' | 'dateEnd' | 'status' | 'reservationId' | 'paymentId' | 'amount' | 'currency' | 'reason'
>;
type Update = Pick<BookingUpdate, 'id' | 'status' | 'reason'> & { booking: Booking | null };
interface AmplifyFailure {
  errors: { errorType: string; message: string; errorInfo: { violations: { rule: string }[] } | null }[];
}

const subscriptions: { unsubscribe(): void }[] = [];
afterEach(() => {
  for (const subscription of subscriptions.splice(0)) subscription.unsubscribe();
});

async function send<T>(query: string, variables: Record<string, unknown>): Promise<T> {
  const answer = await (target.client.graphql({ query, variables }) as Promise<{ data: T }>).catch((failure: AmplifyFailure) => failure);
  if ('errors' in answer) throw new Error(JSON.stringify(answer.errors));
  return answer.data;
}

/** Subscribe to a booking's updates (resolved once AppSync acknowledged) and collect them up to CONFIRMED or FAILED. */
async function watchBooking(id: string): Promise<{ all: Promise<Update[]> }> {
  const updates: Update[] = [];
  let finished!: (all: Update[]) => void;
  const all = new Promise<Update[]>((resolve) => (finished = resolve));
  await new Promise<void>((resolve, reject) => {
    const stop = Hub.listen('api', ({ payload }) => {
      if (payload.event === 'Subscription ack' && (payload.data as { variables?: { id?: string } })?.variables?.id === id) {
        stop();
        resolve();
      }
    });
    const observable = target.client.graphql({ query: ON_UPDATED, variables: { id } }) as {
      subscribe(observer: object): { unsubscribe(): void };
    };
    subscriptions.push(
      observable.subscribe({
        next: ({ data }: { data: { onBookingUpdated: Update } }) => {
          updates.push(data.onBookingUpdated);
          if (['CONFIRMED', 'FAILED'].includes(data.onBookingUpdated.status)) finished(updates);
        },
        error: (error: unknown) => reject(new Error(`subscription failed: ${JSON.stringify(error)}`)),
      }),
    );
    setTimeout(() => reject(new Error(`no start_ack for ${id}`)), 10_000);
  });
  // Wrapped: an async function returning the promise itself would wait for it.
  return { all };
}

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/** A registered room (nightly rate 11 000 cents) and guest, read back until stored. */
async function roomAndGuest(): Promise<{ roomId: string; guestId: string }> {
  const roomId = ulid();
  const guestId = ulid();
  await send('mutation ($input: RegisterRoomInput!) { registerRoom(input: $input) { id } }', {
    input: { id: roomId, number: `E2E-${roomId.slice(-8)}`, capacity: 2, nightlyRate: 11_000, currency: 'EUR' },
  });
  await send('mutation ($input: RegisterGuestInput!) { registerGuest(input: $input) { id } }', {
    input: { id: guestId, name: 'Eve', email: `eve.${guestId.slice(-8).toLowerCase()}@example.com` },
  });
  await expect
    .poll(
      async () =>
        Object.values(
          await send<Record<string, unknown>>('query ($r: ID!, $g: ID!) { getRoom(id: $r) { id } getGuest(id: $g) { id } }', {
            r: roomId,
            g: guestId,
          }),
        ).every((value) => value !== null),
      { timeout: 15_000 },
    )
    .toBe(true);
  return { roomId, guestId };
}

async function book(stay: Record<string, unknown>): Promise<{ id: string; updates: Update[] }> {
  const id = ulid();
  const { all } = await watchBooking(id);
  const accepted = await send<{ bookStay: { id: string; status: string } }>(
    'mutation ($input: BookStayInput!) { bookStay(input: $input) { id status } }',
    { input: { id, ...stay } },
  );
  expect(accepted.bookStay).toEqual({ id, status: 'PENDING' });
  return { id, updates: await all };
}

describe(`a front-end server booking a stay (${deployed ? `deployed stack at ${process.env.E2E_ENDPOINT}` : 'local stack; set E2E_ENDPOINT and E2E_API_KEY for a deployed one'})`, () => {
  it('gets PENDING at once, then STARTED, RESERVED, PAYMENT_AUTHORIZED, CONFIRMED; the reservation CONFIRMED, the payment CAPTURED', async () => {
    const { roomId, guestId } = await roomAndGuest();
    const { id, updates } = await book({ guestId, roomId, dateStart: day(90), dateEnd: day(92), cardToken: CARD });
    expect(updates.map((update) => update.status)).toEqual(['STARTED', 'RESERVED', 'PAYMENT_AUTHORIZED', 'CONFIRMED']);
    const confirmed = updates.at(-1)!.booking!;
    expect(confirmed).toMatchObject({ id, status: 'CONFIRMED', amount: 22_000, currency: 'EUR', reason: null });
    const read = await send<{ getBooking: Booking; getReservation: { status: string }; getPayment: { status: string; amount: number } }>(
      `query ($id: ID!, $r: ID!, $p: ID!) { getBooking(id: $id) { ${BOOKING} } getReservation(id: $r) { status } getPayment(id: $p) { status amount } }`,
      { id, r: confirmed.reservationId, p: confirmed.paymentId },
    );
    expect(read).toEqual({
      getBooking: confirmed,
      getReservation: { status: 'CONFIRMED' },
      getPayment: { status: 'CAPTURED', amount: 22_000 },
    });
  }, 60_000);

  withDeclinedCard(
    'fails a declined card PaymentDeclined and frees the nights: the same stay books again at once',
    async () => {
      const { roomId, guestId } = await roomAndGuest();
      const stay = { guestId, roomId, dateStart: day(100), dateEnd: day(101) };
      const declined = await book({ ...stay, cardToken: DECLINED_CARD });
      expect(declined.updates.map((update) => [update.status, update.reason])).toEqual([
        ['STARTED', null],
        ['RESERVED', null],
        ['FAILED', 'PaymentDeclined'],
      ]);
      const again = await book({ ...stay, cardToken: CARD });
      expect(again.updates.at(-1)!.status).toBe('CONFIRMED');
    },
    60_000,
  );

  it('refuses bookStay for an unknown guest and room at once, with every broken rule', async () => {
    const failure = await (
      target.client.graphql({
        query: 'mutation ($input: BookStayInput!) { bookStay(input: $input) { id } }',
        variables: { input: { guestId: ulid(), roomId: ulid(), dateStart: day(10), dateEnd: day(11), cardToken: CARD } },
      }) as Promise<unknown>
    ).catch((error: AmplifyFailure) => error);
    const { errors } = failure as AmplifyFailure;
    expect(errors[0]!.errorType).toBe('BusinessRuleViolation');
    expect(errors[0]!.errorInfo!.violations.map((violation) => violation.rule)).toEqual(['GuestNotFound', 'RoomNotFound']);
  });

  locally(
    'runs one Step Functions execution per booking, named after it, SUCCEEDED (local stack only)',
    async () => {
      const { roomId, guestId } = await roomAndGuest();
      const { id } = await book({ guestId, roomId, dateStart: day(110), dateEnd: day(111), cardToken: CARD });
      const sfn = target.local!.stack.stepFunctions;
      const machine = sfn.listStateMachines().stateMachines.find((candidate) => candidate.name.includes('BookingSaga'))!;
      await sfn.idle();
      const executions = sfn
        .listExecutions({ stateMachineArn: machine.stateMachineArn })
        .executions.filter((execution) => execution.name === id);
      expect(executions).toMatchObject([{ status: 'SUCCEEDED' }]);
    },
    60_000,
  );
});
