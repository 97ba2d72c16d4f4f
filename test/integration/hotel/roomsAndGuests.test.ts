/**
 * Rooms and guests on the local stack, through aws-amplify v6 as a front-end
 * server sends them: each command answered PENDING then SAVED on its
 * subscription, the queries folded from the stream, the unique room number
 * and email refused at once, a closed night refused to a reservation
 * (RoomClosed) and a reserved night to a closure (RoomNightsReserved), and the
 * store settling the races the command-time checks cannot see.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { ulid } from 'ulid';
import { useAmplify, isAmplifyError, type AmplifyError } from '../../helpers/amplifyClient.ts';
import { useLocalStack } from '../../helpers/localStack.ts';
import { sendCommand, sendCreate } from '../../load/commands.ts';
import { OutcomeWatch } from '../../load/outcomeWatch.ts';
import type { GuestSaved, RoomSaved } from '../../../schema/generated/types.ts';

const local = useLocalStack();
const amplify = useAmplify(local);

const REGISTER_ROOM = 'mutation ($input: RegisterRoomInput!) { registerRoom(input: $input) { id commandId status } }';
const CLOSE_ROOM = 'mutation ($input: CloseRoomInput!) { closeRoom(input: $input) { id commandId status } }';
const REOPEN_ROOM = 'mutation ($input: ReopenRoomInput!) { reopenRoom(input: $input) { id commandId status } }';
const REGISTER_GUEST = 'mutation ($input: RegisterGuestInput!) { registerGuest(input: $input) { id commandId status } }';
const CREATE_RESERVATION = 'mutation ($input: CreateReservationInput!) { createReservation(input: $input) { id commandId status } }';
const SAVED = 'id commandId status version reason repeat';

/** What SAVED selects of a room's or a guest's outcome (the same fields on both), typed by the schema. */
type Saved = Pick<RoomSaved | GuestSaved, 'id' | 'commandId' | 'status' | 'version' | 'reason'>;

/** Send a command after subscribing to its aggregate's outcomes; resolve with the one message it gets. */
async function command(
  subscription: string,
  view: string,
  mutation: string,
  input: { id: string } & Record<string, unknown>,
): Promise<Saved & Record<string, unknown>> {
  const watch = amplify.firstMessage<Saved & Record<string, unknown>>(subscription, `${SAVED} ${view}`, input.id);
  await watch.ready;
  const accepted = await amplify.send<Record<string, { status: string }>>(mutation, { input });
  if (isAmplifyError(accepted)) throw new Error(`refused: ${JSON.stringify(accepted.errors)}`);
  const message = await watch.message;
  watch.unsubscribe();
  return message;
}

async function refusal(mutation: string, input: Record<string, unknown>): Promise<AmplifyError['errors'][number]> {
  const answer = await amplify.send(mutation, { input });
  if (!isAmplifyError(answer)) throw new Error(`expected a refusal, got ${JSON.stringify(answer)}`);
  return answer.errors[0]!;
}

const ROOM_VIEW = 'room { id number capacity nightlyRate currency version closedNights }';
/** A room number no other test file uses. */
const number = () => `T-${ulid().slice(-8)}`;

describe('rooms', () => {
  const roomId = ulid();
  const roomNumber = number();

  it('registers a room: PENDING, then SAVED with the room on onRoomSaved, then getRoom and its history', async () => {
    const saved = await command('onRoomSaved', ROOM_VIEW, REGISTER_ROOM, {
      id: roomId,
      number: roomNumber,
      capacity: 2,
      nightlyRate: 12_000,
      currency: 'EUR',
    });
    expect(saved).toMatchObject({
      id: roomId,
      status: 'SAVED',
      version: 1,
      room: { id: roomId, number: roomNumber, capacity: 2, nightlyRate: 12_000, currency: 'EUR', version: 1, closedNights: [] },
    });
    const read = await amplify.send<{ getRoom: unknown; getRoomHistory: unknown }>(
      `query ($id: ID!) { getRoom(id: $id) { number version } getRoomHistory(id: $id) { type version } }`,
      { id: roomId },
    );
    expect(read).toEqual({
      data: { getRoom: { number: roomNumber, version: 1 }, getRoomHistory: [{ type: 'RoomRegistered', version: 1 }] },
    });
  });

  it('refuses a number another room holds, at once (RoomNumberTaken), with every other broken rule', async () => {
    const error = await refusal(REGISTER_ROOM, { number: roomNumber, capacity: 11, nightlyRate: 0, currency: 'eur' });
    expect(error.errorType).toBe('BusinessRuleViolation');
    expect(error.errorInfo!.violations.map((violation) => violation.rule)).toEqual([
      'RoomNumberTaken',
      'CapacityOutOfRange',
      'NightlyRateNotPositive',
      'InvalidCurrency',
    ]);
  });

  it('closes nights: a reservation of a closed night is refused (RoomClosed); reopened, it is accepted', async () => {
    const closed = await command('onRoomSaved', ROOM_VIEW, CLOSE_ROOM, {
      id: roomId,
      dateStart: '2033-04-10',
      dateEnd: '2033-04-12',
      reason: 'renovation',
    });
    expect(closed).toMatchObject({ status: 'SAVED', version: 2, room: { closedNights: ['2033-04-10', '2033-04-11'] } });
    const stay = { userId: 'guest-1', roomId, dateStart: '2033-04-11', dateEnd: '2033-04-13' };
    const error = await refusal(CREATE_RESERVATION, stay);
    expect(error.errorInfo!.violations).toEqual([{ rule: 'RoomClosed', message: expect.stringContaining('closed on 2033-04-11') }]);

    const reopened = await command('onRoomSaved', ROOM_VIEW, REOPEN_ROOM, { id: roomId, dateStart: '2033-04-11', dateEnd: '2033-04-12' });
    expect(reopened).toMatchObject({ status: 'SAVED', version: 3, room: { closedNights: ['2033-04-10'] } });
    const reservationId = ulid();
    const reserved = await command('onReservationSaved', 'reservation { status }', CREATE_RESERVATION, { id: reservationId, ...stay });
    expect(reserved).toMatchObject({ status: 'SAVED', reservation: { status: 'CONFIRMED' } });
  });

  it('refuses to close nights a reservation holds (RoomNightsReserved, a rule across aggregates)', async () => {
    const error = await refusal(CLOSE_ROOM, { id: roomId, dateStart: '2033-04-12', dateEnd: '2033-04-14', reason: 'painting' });
    expect(error.errorInfo!.violations).toEqual([
      { rule: 'RoomNightsReserved', message: expect.stringContaining('reserved on 2033-04-12:') },
    ]);
  });

  it('answers NotFound for a room that does not exist, and a ValidationError for an id that is not a ULID', async () => {
    expect(await refusal(CLOSE_ROOM, { id: ulid(), dateStart: '2033-05-01', dateEnd: '2033-05-02', reason: 'x' })).toMatchObject({
      errorType: 'NotFound',
    });
    expect(await refusal(CLOSE_ROOM, { id: 'room-1', dateStart: '2033-05-01', dateEnd: '2033-05-02', reason: 'x' })).toMatchObject({
      errorType: 'ValidationError',
    });
  });
});

describe('guests', () => {
  const email = `Ada.${ulid().slice(-6)}@Example.com`;

  it('registers a guest: SAVED with the guest, then getGuest', async () => {
    const id = ulid();
    const saved = await command('onGuestSaved', 'guest { id name email version }', REGISTER_GUEST, { id, name: 'Ada Lovelace', email });
    expect(saved).toMatchObject({ status: 'SAVED', version: 1, guest: { id, name: 'Ada Lovelace', email, version: 1 } });
    expect(await amplify.send(`query ($id: ID!) { getGuest(id: $id) { email } }`, { id })).toEqual({ data: { getGuest: { email } } });
  });

  it('refuses the same email in another case, at once (EmailTaken)', async () => {
    const error = await refusal(REGISTER_GUEST, { name: 'Someone', email: email.toUpperCase() });
    expect(error).toMatchObject({ errorType: 'BusinessRuleViolation', errorInfo: { violations: [{ rule: 'EmailTaken' }] } });
  });
});

describe('races the store settles', () => {
  let rooms: OutcomeWatch;
  let reservations: OutcomeWatch;
  let guests: OutcomeWatch;
  beforeAll(async () => {
    const connect = (field: string) => OutcomeWatch.connect(local.stack.realtimeUrl, local.stack.apiKey, field);
    [rooms, reservations, guests] = await Promise.all([connect('onRoomSaved'), connect('onReservationSaved'), connect('onGuestSaved')]);
  });
  afterAll(() => {
    for (const watch of [rooms, reservations, guests]) watch?.close();
  });

  it('two registrations of one email in different cases at once: one SAVED, the other REJECTED naming EmailTaken', async () => {
    const email = `race.${ulid().slice(-6)}@example.com`;
    const ids = [ulid(), ulid()];
    await Promise.all(ids.map((id) => guests.watch(id)));
    const commandIds = [ulid(), ulid()];
    const answers = await Promise.all(
      ids.map((id, index) =>
        sendCommand(local.stack, 'registerGuest', 'RegisterGuestInput', {
          id,
          commandId: commandIds[index],
          name: 'Racer',
          email: index === 0 ? email : email.toUpperCase(),
        }),
      ),
    );
    const accepted = commandIds.filter((_commandId, index) => answers[index]!.kind === 'accepted');
    const outcomes = await Promise.all(accepted.map((commandId) => guests.first(commandId, 15_000)));
    const statuses = outcomes.map((outcome) => outcome.status).sort();
    // Both may pass the command-time check; if one was refused at once, it named the rule.
    if (accepted.length === 2) {
      expect(statuses).toEqual(['REJECTED', 'SAVED']);
      expect(outcomes.find((outcome) => outcome.status === 'REJECTED')!.reason).toMatch(/EmailTaken: held by Guest /);
    } else {
      expect(statuses).toEqual(['SAVED']);
      expect(answers.find((answer) => answer.kind === 'refused')).toMatchObject({ rules: ['EmailTaken'] });
    }
  });

  it('50 at once on one room-night, 1 closeRoom and 49 createReservation: exactly one wins; the claim is the winner’s', async () => {
    const roomId = ulid();
    await rooms.watch(roomId);
    const registerCommand = ulid();
    await sendCommand(local.stack, 'registerRoom', 'RegisterRoomInput', {
      id: roomId,
      commandId: registerCommand,
      number: number(),
      capacity: 1,
      nightlyRate: 9_000,
      currency: 'EUR',
    });
    expect((await rooms.first(registerCommand, 10_000)).status).toBe('SAVED');

    const night = { dateStart: '2034-09-01', dateEnd: '2034-09-02' };
    const closeCommand = ulid();
    const reservationIds = Array.from({ length: 49 }, () => ulid());
    const reservationCommands = reservationIds.map(() => ulid());
    await Promise.all(reservationIds.map((id) => reservations.watch(id)));
    const [closeAnswer, ...reserveAnswers] = await Promise.all([
      sendCommand(local.stack, 'closeRoom', 'CloseRoomInput', { id: roomId, commandId: closeCommand, ...night, reason: 'race' }),
      ...reservationIds.map((id, index) =>
        sendCreate(local.stack, { id, commandId: reservationCommands[index]!, userId: 'racer', roomId, ...night }),
      ),
    ]);
    const accepted = [
      ...(closeAnswer!.kind === 'accepted' ? [{ watch: rooms, commandId: closeCommand }] : []),
      ...reservationCommands.flatMap((commandId, index) =>
        reserveAnswers[index]!.kind === 'accepted' ? [{ watch: reservations, commandId }] : [],
      ),
    ];
    const refused = [closeAnswer!, ...reserveAnswers].filter((answer) => answer.kind === 'refused');
    expect([closeAnswer!, ...reserveAnswers].filter((answer) => answer.kind === 'failed')).toEqual([]);
    const outcomes = await Promise.all(accepted.map(({ watch, commandId }) => watch.first(commandId, 20_000)));
    expect(outcomes.filter((outcome) => outcome.status === 'SAVED')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome.status !== 'SAVED').map((outcome) => outcome.status)).toEqual(
      outcomes.slice(1).map(() => 'REJECTED'),
    );
    for (const answer of refused)
      expect(
        (answer as { rules: string[] }).rules.some((rule) => ['RoomClosed', 'RoomAlreadyReserved', 'RoomNightsReserved'].includes(rule)),
      ).toBe(true);

    // The one claim on the night belongs to the one SAVED command's stream.
    const winner = outcomes.find((outcome) => outcome.status === 'SAVED')!;
    const claim = await local.stack.dynamoDb.createClient().send(
      new GetItemCommand({
        TableName: local.stack.tables[0]!,
        Key: { streamId: { S: `RoomNight#${roomId}#2034-09-01` }, version: { N: '0' } },
        ConsistentRead: true,
      }),
    );
    expect(claim.Item?.aggregateId?.S).toBe(winner.id);
    expect(claim.Item?.rule?.S).toBe(winner.id === roomId ? 'RoomClosed' : 'RoomAlreadyReserved');
  }, 90_000);
});
