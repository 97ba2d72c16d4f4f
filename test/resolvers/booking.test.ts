/**
 * The booking's resolvers and the task tokens every command carries, deployed code
 * run by the APPSYNC_JS engine against DynamoDB Local: bookStay's checks, what it
 * publishes and the execution it starts (named after the booking id); a command
 * refused while a Step Functions task waits for it (SendTaskFailure, then the same
 * GraphQL error); the store answering the token with the stored outcome (SendTaskSuccess).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { ulid } from 'ulid';
import { useTemplateResolvers } from '../helpers/templateResolvers.ts';

const core = useTemplateResolvers();
beforeEach(() => {
  core.published.length = 0;
  core.stepFunctionsCalls.length = 0;
});

/** Store what the commands published, as the bus rules would, through each aggregate's store mutation. */
async function storePublished() {
  for (const { source, detail } of core.published.splice(0)) {
    const name = source.replace('app.', '');
    const { errors } = await core.call(
      `Mutation.save${name.charAt(0).toUpperCase()}${name.slice(1)}Event`,
      { input: detail },
      { asStoreRule: true },
    );
    expect(errors).toEqual([]);
  }
}

async function registered(): Promise<{ roomId: string; guestId: string }> {
  const roomId = ulid();
  const guestId = ulid();
  await core.call('Mutation.registerRoom', {
    input: { id: roomId, number: `R-${roomId.slice(-8)}`, capacity: 2, nightlyRate: 9_500, currency: 'EUR' },
  });
  await core.call('Mutation.registerGuest', {
    input: { id: guestId, name: 'Ada', email: `ada.${guestId.slice(-8).toLowerCase()}@example.com` },
  });
  await storePublished();
  return { roomId, guestId };
}

describe('bookStay', () => {
  it('answers PENDING, publishes BookingStarted priced nights × rate, and starts the execution named after the booking', async () => {
    const { roomId, guestId } = await registered();
    core.stepFunctionsCalls.length = 0;
    const id = ulid();
    const { data, errors } = await core.call('Mutation.bookStay', {
      input: { id, guestId, roomId, dateStart: '2034-03-10', dateEnd: '2034-03-12', cardToken: 'tok_visa' },
    });
    expect(errors).toEqual([]);
    expect(data).toEqual({ id, commandId: expect.any(String), status: 'PENDING' });
    expect(core.published).toHaveLength(1);
    const started = JSON.parse(core.published[0]!.detail.data as string) as Record<string, unknown>;
    expect(started).toEqual({
      guestId,
      roomId,
      dateStart: '2034-03-10',
      dateEnd: '2034-03-12',
      nights: 2,
      amount: 19_000,
      currency: 'EUR',
      reservationId: expect.stringMatching(/^[0-7][0-9A-HJKMNP-TV-Z]{25}$/),
      paymentId: expect.stringMatching(/^[0-7][0-9A-HJKMNP-TV-Z]{25}$/),
    });
    // The card token stays out of the store: only the execution's input carries it.
    expect(JSON.stringify(core.published)).not.toContain('tok_visa');
    expect(core.stepFunctionsCalls).toHaveLength(1);
    const [start] = core.stepFunctionsCalls;
    expect(start).toMatchObject({
      operation: 'StartExecution',
      body: { name: id, stateMachineArn: expect.stringContaining('BookingSaga') },
    });
    expect(JSON.parse(start!.body.input as string)).toEqual({ ...started, bookingId: id, cardToken: 'tok_visa', stepSeconds: 20 });
  });

  it('starts the same execution again for a bookStay re-sent with its commandId, publishing nothing (the name makes it one execution)', async () => {
    const { roomId, guestId } = await registered();
    const input = { commandId: `book-${ulid()}`, guestId, roomId, dateStart: '2034-04-10', dateEnd: '2034-04-11', cardToken: 'tok_visa' };
    const first = await core.call('Mutation.bookStay', { input });
    await storePublished();
    core.stepFunctionsCalls.length = 0;
    const again = await core.call('Mutation.bookStay', { input });
    expect(again.errors).toEqual([]);
    expect(again.data).toEqual(first.data);
    expect(core.published).toEqual([]);
    expect(core.stepFunctionsCalls.map((call) => [call.operation, call.body.name])).toEqual([
      ['StartExecution', (first.data as { id: string }).id],
    ]);
  });

  it('refuses an unknown guest and room with every stay rule at once, starting nothing', async () => {
    const { errors } = await core.call('Mutation.bookStay', {
      input: { guestId: ulid(), roomId: ulid(), dateStart: '2034-05-10', dateEnd: '2034-07-10', cardToken: 'tok_visa' },
    });
    expect(errors[0]).toMatchObject({ errorType: 'BusinessRuleViolation' });
    expect((errors[0]!.errorInfo as { violations: { rule: string }[] }).violations.map((violation) => violation.rule)).toEqual([
      'GuestNotFound',
      'RoomNotFound',
      'StayTooLong',
    ]);
    expect(core.published).toEqual([]);
    expect(core.stepFunctionsCalls).toEqual([]);
  });

  it('refuses nights another reservation holds', async () => {
    const { roomId, guestId } = await registered();
    await core.call('Mutation.createReservation', { input: { userId: guestId, roomId, dateStart: '2034-06-02', dateEnd: '2034-06-03' } });
    await storePublished();
    const { errors } = await core.call('Mutation.bookStay', {
      input: { guestId, roomId, dateStart: '2034-06-01', dateEnd: '2034-06-04', cardToken: 'tok_visa' },
    });
    expect((errors[0]!.errorInfo as { violations: { rule: string }[] }).violations.map((violation) => violation.rule)).toEqual([
      'RoomAlreadyReserved',
    ]);
  });
});

describe('task tokens', () => {
  it('tells a waiting execution that its command was refused (SendTaskFailure), and refuses the command as without a token', async () => {
    const { errors } = await core.call('Mutation.cancelReservation', { input: { id: ulid(), taskToken: 'token-refused' } });
    expect(errors[0]).toMatchObject({ errorType: 'NotFound' });
    expect(core.stepFunctionsCalls).toEqual([
      {
        operation: 'SendTaskFailure',
        body: { taskToken: 'token-refused', error: 'NotFound', cause: expect.stringContaining('ReservationNotFound') },
      },
    ]);
  });

  it('carries the token with the published event, never into the store, and the store answers it with the outcome (SendTaskSuccess)', async () => {
    const id = ulid();
    const { errors } = await core.call('Mutation.createReservation', {
      input: { id, userId: 'u-1', roomId: `room-${id}`, dateStart: '2034-08-01', dateEnd: '2034-08-02', taskToken: 'token-1' },
    });
    expect(errors).toEqual([]);
    expect(core.published[0]!.detail.taskToken).toBe('token-1');
    expect(core.stepFunctionsCalls).toEqual([]);
    await storePublished();
    expect(core.stepFunctionsCalls).toHaveLength(1);
    const [answer] = core.stepFunctionsCalls;
    expect(answer!.operation).toBe('SendTaskSuccess');
    expect(answer!.body.taskToken).toBe('token-1');
    expect(JSON.parse(answer!.body.output as string)).toEqual({
      id,
      commandId: expect.any(String),
      status: 'SAVED',
      version: 1,
      reason: null,
      eventType: 'ReservationCreated',
      repeat: false,
    });
    const stored = (await core.items()).filter((item) => item.streamId === `Reservation#${id}`);
    expect(stored).toHaveLength(1);
    expect(stored[0]).not.toHaveProperty('taskToken');
  });

  it('answers a new token for a command already stored (sent again after its task timed out) with the stored event', async () => {
    const id = ulid();
    const input = { id, commandId: `c-${id}`, userId: 'u-1', roomId: `room-${id}`, dateStart: '2034-09-01', dateEnd: '2034-09-02' };
    await core.call('Mutation.createReservation', { input: { ...input, taskToken: 'token-late' } });
    await storePublished();
    core.stepFunctionsCalls.length = 0;
    await core.call('Mutation.createReservation', { input: { ...input, taskToken: 'token-again' } });
    expect(core.published).toEqual([]);
    expect(core.stepFunctionsCalls).toHaveLength(1);
    expect(core.stepFunctionsCalls[0]!.body.taskToken).toBe('token-again');
    expect(JSON.parse(core.stepFunctionsCalls[0]!.body.output as string)).toMatchObject({
      status: 'SAVED',
      version: 1,
      eventType: 'ReservationCreated',
      repeat: true,
    });
  });
});
