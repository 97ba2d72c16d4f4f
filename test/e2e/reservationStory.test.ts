/**
 * The reservation story as a front-end server lives it, through aws-amplify v6
 * configured with only an endpoint and an API key: subscribe, send, receive one
 * terminal message, query. Runs against the local stack by default, and
 * unchanged against a deployed one (E2E_ENDPOINT, E2E_API_KEY); the tests that
 * hold the store on purpose run locally only.
 */
import { Hub } from 'aws-amplify/utils';
import { ulid } from 'ulid';
import { afterEach, describe, expect, it } from 'vitest';
import { AppSyncRealtimeClient } from '../helpers/appSyncRealtimeClient.ts';
import { useE2eTarget } from '../helpers/e2eTarget.ts';
import type { ReservationSaved } from '../../schema/generated/types.ts';

const target = useE2eTarget({ commandTimeoutSeconds: 2 });
const locally = target.local !== undefined ? it : it.skip;

const ON_SAVED = `subscription OnSaved($id: ID!) { onReservationSaved(id: $id) {
  id commandId status version reason repeat reservation { id userId roomId dateStart dateEnd status version cancellationReason } } }`;
const CREATE = `mutation Create($input: CreateReservationInput!) { createReservation(input: $input) { id commandId status } }`;
const CANCEL = `mutation Cancel($input: CancelReservationInput!) { cancelReservation(input: $input) { id commandId status } }`;
const GET = `query Get($id: ID!) { getReservation(id: $id) { id userId roomId dateStart dateEnd status version createdAt updatedAt cancellationReason } }`;
const HISTORY = `query History($id: ID!) { getReservationHistory(id: $id) {
  eventId type aggregateId version occurredAt commandId correlationId causationId actor schemaVersion data } }`;

/** What the test selects of onReservationSaved, typed by the schema. */
type Saved = Pick<ReservationSaved, 'id' | 'commandId' | 'status' | 'version' | 'reason' | 'repeat'> & {
  reservation: Record<string, unknown> | null;
};

interface AmplifyFailure {
  errors: { errorType: string; message: string; errorInfo: { violations: { rule: string; message: string }[] } | null }[];
}

const watches: { close: () => void }[] = [];
afterEach(() => {
  for (const watch of watches.splice(0)) watch.close();
});

/** Subscribe to a reservation with Amplify and resolve once AppSync acknowledged (start_ack). */
async function watch(id: string): Promise<{ messages: Saved[]; next: (timeoutMs?: number) => Promise<Saved> }> {
  const messages: Saved[] = [];
  const waiters: ((message: Saved) => void)[] = [];
  await new Promise<void>((resolve, reject) => {
    const stop = Hub.listen('api', ({ payload }) => {
      if (payload.event === 'Subscription ack' && (payload.data as { variables?: { id?: string } })?.variables?.id === id) {
        stop();
        resolve();
      }
    });
    const observable = target.client.graphql({ query: ON_SAVED, variables: { id } }) as {
      subscribe(observer: object): { unsubscribe(): void };
    };
    const subscription = observable.subscribe({
      next: ({ data }: { data: { onReservationSaved: Saved } }) => {
        messages.push(data.onReservationSaved);
        waiters.shift()?.(data.onReservationSaved);
      },
      error: (error: unknown) => reject(new Error(`subscription failed: ${JSON.stringify(error)}`)),
    });
    watches.push({ close: () => subscription.unsubscribe() });
    setTimeout(() => reject(new Error(`no start_ack for ${id}`)), 10_000);
  });
  let read = 0;
  return {
    messages,
    next: (timeoutMs = 10_000) => {
      if (read < messages.length) return Promise.resolve(messages[read++]!);
      return new Promise<Saved>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no message on ${id} within ${timeoutMs} ms`)), timeoutMs);
        waiters.push((message) => {
          clearTimeout(timer);
          read += 1;
          resolve(message);
        });
      });
    },
  };
}

async function send<T>(query: string, variables: Record<string, unknown>): Promise<{ data: T } | AmplifyFailure> {
  return (target.client.graphql({ query, variables }) as Promise<{ data: T }>).catch((failure: AmplifyFailure) => failure);
}

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const room = () => `room-e2e-${ulid().slice(-8)}`;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a front-end server reserving a room', () => {
  it('gets PENDING at once, then exactly one SAVED with the reservation; queries agree', async () => {
    const id = ulid();
    const roomId = room();
    const outcome = await watch(id);
    const answer = (await send<{ createReservation: { id: string; commandId: string; status: string } }>(CREATE, {
      input: { id, commandId: `checkout-${id}`, userId: 'guest-1', roomId, dateStart: day(30), dateEnd: day(33) },
    })) as { data: { createReservation: { id: string; commandId: string; status: string } } };
    expect(answer.data.createReservation).toEqual({ id, commandId: `checkout-${id}`, status: 'PENDING' });

    const saved = await outcome.next();
    expect(saved).toMatchObject({ id, commandId: `checkout-${id}`, status: 'SAVED', version: 1, reason: null, repeat: false });
    expect(saved.reservation).toMatchObject({
      id,
      userId: 'guest-1',
      roomId,
      dateStart: day(30),
      dateEnd: day(33),
      status: 'CONFIRMED',
      version: 1,
    });

    const state = (await send<{ getReservation: Record<string, unknown> }>(GET, { id })) as {
      data: { getReservation: Record<string, unknown> };
    };
    expect(state.data.getReservation).toMatchObject({
      ...saved.reservation,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      cancellationReason: null,
    });

    const history = (await send<{ getReservationHistory: Record<string, unknown>[] }>(HISTORY, { id })) as {
      data: { getReservationHistory: Record<string, unknown>[] };
    };
    expect(history.data.getReservationHistory).toEqual([
      {
        eventId: expect.stringMatching(/^[0-9A-Z]{26}$/),
        type: 'ReservationCreated',
        aggregateId: id,
        version: 1,
        occurredAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
        commandId: `checkout-${id}`,
        correlationId: `checkout-${id}`,
        causationId: `checkout-${id}`,
        actor: 'apiKey',
        schemaVersion: 1,
        data: JSON.stringify({ userId: 'guest-1', roomId, dateStart: day(30), dateEnd: day(33) }).length > 0 ? expect.any(String) : '',
      },
    ]);
    expect(JSON.parse(history.data.getReservationHistory[0]!.data as string)).toEqual({
      userId: 'guest-1',
      roomId,
      dateStart: day(30),
      dateEnd: day(33),
    });

    await pause(2_500); // past the 2 s deadline: the timeout is absorbed, nothing more arrives
    expect(outcome.messages).toHaveLength(1);
  });

  it.each([
    ['dateEnd before dateStart', { dateStart: day(20), dateEnd: day(18) }, ['DateRangeInvalid']],
    ['a start in the past', { dateStart: day(-3), dateEnd: day(2) }, ['DateStartInPast']],
    ['a stay of 31 nights', { dateStart: day(10), dateEnd: day(41) }, ['StayTooLong']],
    ['everything at once', { dateStart: day(-40), dateEnd: day(-80) }, ['DateRangeInvalid', 'DateStartInPast']],
  ])('is refused for %s, with every broken rule', async (_case, dates, rules) => {
    const failure = (await send(CREATE, { input: { userId: 'guest-2', roomId: room(), ...dates } })) as AmplifyFailure;
    expect(failure.errors[0]!.errorType).toBe('BusinessRuleViolation');
    expect(failure.errors[0]!.errorInfo!.violations.map((violation) => violation.rule).sort()).toEqual(rules);
  });

  it('is refused a room already reserved on one of the nights, told which', async () => {
    const roomId = room();
    const id = ulid();
    const outcome = await watch(id);
    await send(CREATE, { input: { id, userId: 'guest-3', roomId, dateStart: day(50), dateEnd: day(52) } });
    await outcome.next();
    const failure = (await send(CREATE, { input: { userId: 'guest-4', roomId, dateStart: day(51), dateEnd: day(53) } })) as AmplifyFailure;
    expect(failure.errors[0]!.errorInfo!.violations).toEqual([{ rule: 'RoomAlreadyReserved', message: expect.stringContaining(day(51)) }]);
  });

  it('cancels: PENDING, then SAVED at version 2 with the reservation CANCELLED; a second cancel is refused', async () => {
    const id = ulid();
    const outcome = await watch(id);
    await send(CREATE, { input: { id, userId: 'guest-5', roomId: room(), dateStart: day(60), dateEnd: day(61) } });
    await outcome.next();
    const answer = (await send<{ cancelReservation: { status: string } }>(CANCEL, { input: { id, reason: 'plans changed' } })) as {
      data: { cancelReservation: { status: string } };
    };
    expect(answer.data.cancelReservation.status).toBe('PENDING');
    const saved = await outcome.next();
    expect(saved).toMatchObject({
      status: 'SAVED',
      version: 2,
      reservation: { status: 'CANCELLED', version: 2, cancellationReason: 'plans changed' },
    });
    const again = (await send(CANCEL, { input: { id } })) as AmplifyFailure;
    expect(again.errors[0]!.errorInfo!.violations.map((violation) => violation.rule)).toEqual(['ReservationAlreadyCancelled']);
    const missing = (await send(CANCEL, { input: { id: ulid() } })) as AmplifyFailure;
    expect(missing.errors[0]!.errorType).toBe('NotFound');
  });

  it('answers a command re-sent with the same commandId once, and stores it once', async () => {
    const id = ulid();
    const outcome = await watch(id);
    const input = { id, commandId: `retry-${id}`, userId: 'guest-6', roomId: room(), dateStart: day(70), dateEnd: day(71) };
    const first = await send(CREATE, { input });
    await outcome.next();
    const second = await send(CREATE, { input });
    expect(second).toEqual(first);
    await pause(2_500);
    expect(outcome.messages).toHaveLength(1);
    const history = (await send<{ getReservationHistory: unknown[] }>(HISTORY, { id })) as { data: { getReservationHistory: unknown[] } };
    expect(history.data.getReservationHistory).toHaveLength(1);
  });

  it('is refused the internal store mutation with the API key', async () => {
    const failure = (await send(`mutation Save($input: ReservationEventInput!) { saveReservationEvent(input: $input) { id status } }`, {
      input: {
        eventId: ulid(),
        type: 'ReservationCreated',
        aggregateId: ulid(),
        version: 1,
        occurredAt: new Date().toISOString(),
        commandId: 'x',
        correlationId: 'x',
        schemaVersion: 1,
        data: '{}',
      },
    })) as AmplifyFailure;
    expect(failure.errors[0]).toMatchObject({
      errorType: 'Unauthorized',
      message: 'Not Authorized to access saveReservationEvent on type Mutation',
    });
  });
});

describe('two front ends racing for the same room and nights', () => {
  locally('both get PENDING; one is SAVED, the other REJECTED, and only the winner is stored', async () => {
    const roomId = room();
    const [a, b] = [ulid(), ulid()];
    const [commandA, commandB] = [ulid(), ulid()];
    // Hold both stores until both commands are accepted, so both pass the command-time check.
    const release = target.holdStore([commandA, commandB]);
    const [outcomeA, outcomeB] = await Promise.all([watch(a), watch(b)]);
    const stay = { roomId, dateStart: day(80), dateEnd: day(82) };
    const answers = await Promise.all([
      send(CREATE, { input: { id: a, commandId: commandA, userId: 'guest-a', ...stay } }),
      send(CREATE, { input: { id: b, commandId: commandB, userId: 'guest-b', ...stay } }),
    ]);
    expect(answers.map((answer) => (answer as { data: { createReservation: { status: string } } }).data.createReservation.status)).toEqual([
      'PENDING',
      'PENDING',
    ]);
    release();
    const outcomes = [await outcomeA.next(), await outcomeB.next()];
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['REJECTED', 'SAVED']);
    const loser = outcomes.find((outcome) => outcome.status === 'REJECTED')!;
    expect(loser.reason).toContain(`RoomNight#${roomId}#${day(80)}`);
    const states = await Promise.all(
      [a, b].map(
        async (id) => ((await send<{ getReservation: unknown }>(GET, { id })) as { data: { getReservation: unknown } }).data.getReservation,
      ),
    );
    expect(states.filter((state) => state !== null)).toHaveLength(1);
    await pause(2_500);
    expect([outcomeA.messages.length, outcomeB.messages.length]).toEqual([1, 1]);
  });
});

describe('a command whose store is slower than its deadline', () => {
  locally('gets exactly one TIMED_OUT, and the late store is refused', async () => {
    const id = ulid();
    const commandId = ulid();
    const release = target.holdStore([commandId]);
    const outcome = await watch(id);
    await send(CREATE, { input: { id, commandId, userId: 'guest-7', roomId: room(), dateStart: day(90), dateEnd: day(91) } });
    const timedOut = await outcome.next(10_000);
    expect(timedOut).toMatchObject({ status: 'TIMED_OUT', commandId, repeat: false, reason: expect.stringContaining('deadline') });
    release();
    await target.local!.stack.bus.idle();
    await pause(300);
    expect(outcome.messages).toHaveLength(1);
    expect(
      ((await send<{ getReservation: unknown }>(GET, { id })) as { data: { getReservation: unknown } }).data.getReservation,
    ).toBeNull();
  });
});

describe('a second client speaking the real-time protocol itself', () => {
  it('receives the same outcome as Amplify does', async () => {
    const id = ulid();
    const socket = await AppSyncRealtimeClient.connect(target.realtimeUrl, {
      host: new URL(target.endpoint).host,
      'x-api-key': target.apiKey,
    });
    try {
      expect((await socket.init()).type).toBe('connection_ack');
      await socket.subscribe('plain', ON_SAVED, { id }, { host: new URL(target.endpoint).host, 'x-api-key': target.apiKey });
      const outcome = await watch(id);
      await send(CREATE, { input: { id, userId: 'guest-8', roomId: room(), dateStart: day(100), dateEnd: day(101) } });
      const [plain, amplify] = await Promise.all([socket.nextData('plain'), outcome.next()]);
      expect((plain.payload!.data as { onReservationSaved: Saved }).onReservationSaved).toEqual(amplify);
    } finally {
      socket.close();
    }
  });
});
