/**
 * Benchmark 11, booking: a booking end to end on the local stack, bookStay → CONFIRMED (the state
 * machine's reserve, authorize, capture and the booking's own steps, each command through the bus,
 * AppSync and the store, answered by task token), at 1 and 8 bookings in flight, and the share of
 * the time each state of the machine takes (from the executions' histories), and what one confirmed
 * booking costs on AWS: the operations it causes, counted on the local stack (stackProbe.ts and the
 * executions' histories), times the list prices of bench/prices.json.
 *
 *   npm run bench -- booking
 *
 * Each booking takes its own room-night, so none fails; CONFIRMED is seen by polling getBooking every
 * 20 ms (so latencies are up to 20 ms late). The payment provider is the local stand-in (answers at once).
 */
import { ulid } from 'ulid';
import { startLocalCore } from '../dev/localCore.ts';
import { addDays } from '../functions/shared/calendarDate.ts';
import { readFileSync } from 'node:fs';
import { fixed, percentiles, type BenchResult, type Row } from './measure.ts';
import type { BenchContext } from './run.ts';
import { apiKeyGraphql } from './apiKeyGraphql.ts';
import { StackProbe } from './stackProbe.ts';

const PER_LEVEL = { 1: 20, 8: 48 } as const;
/** Bookings counted for the cost, one at a time, after the latency runs. */
const COST_BOOKINGS = 10;

type PriceKey =
  | 'appsyncRequest'
  | 'appsyncRealtimeMessage'
  | 'eventBridgeCustomEvent'
  | 'dynamoDbWriteRequestUnit'
  | 'dynamoDbReadRequestUnit'
  | 'stepFunctionsStateTransition';

export async function run(context: BenchContext): Promise<BenchResult> {
  const probe = new StackProbe();
  const core = await startLocalCore({
    cdkOut: await context.cdkOut(),
    port: 0,
    host: '127.0.0.1',
    tlsDir: '.local/tls',
    onRequest: probe.onRequest,
  });
  const { stack } = core;
  probe.attach(stack, { consumedCapacity: true });
  const graphql = apiKeyGraphql(stack);
  const poll = async (read: () => Promise<boolean>) => {
    const deadline = Date.now() + 60_000;
    while (!(await read())) {
      if (Date.now() > deadline) throw new Error('not in time');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  try {
    const roomId = ulid();
    const guestId = ulid();
    await graphql('mutation ($input: RegisterRoomInput!) { registerRoom(input: $input) { id } }', {
      input: { id: roomId, number: `BENCH-${roomId.slice(-6)}`, capacity: 2, nightlyRate: 10_000, currency: 'EUR' },
    });
    await graphql('mutation ($input: RegisterGuestInput!) { registerGuest(input: $input) { id } }', {
      input: { id: guestId, name: 'Bench', email: `bench.${guestId.slice(-6).toLowerCase()}@example.com` },
    });
    await poll(
      async () =>
        (
          await graphql<{ getRoom: unknown; getGuest: unknown }>(
            'query ($r: ID!, $g: ID!) { getRoom(id: $r) { id } getGuest(id: $g) { id } }',
            { r: roomId, g: guestId },
          )
        ).getGuest !== null,
    );

    let night = 0;
    const book = async (): Promise<{ id: string; ms: number }> => {
      const dateStart = addDays('2036-01-01', (night += 1));
      const start = performance.now();
      const { bookStay } = await graphql<{ bookStay: { id: string } }>(
        'mutation ($input: BookStayInput!) { bookStay(input: $input) { id } }',
        {
          input: { guestId, roomId, dateStart, dateEnd: addDays(dateStart, 1), cardToken: 'tok_visa' },
        },
      );
      let status = '';
      await poll(async () => {
        status =
          (
            await graphql<{ getBooking: { status: string } | null }>('query ($id: ID!) { getBooking(id: $id) { status } }', {
              id: bookStay.id,
            })
          ).getBooking?.status ?? '';
        return status === 'CONFIRMED' || status === 'FAILED';
      });
      if (status !== 'CONFIRMED') throw new Error(`booking ${bookStay.id} ended ${status}`);
      return { id: bookStay.id, ms: performance.now() - start };
    };
    const level = async (inFlight: number, count: number) => {
      const results: { id: string; ms: number }[] = [];
      let next = 0;
      await Promise.all(
        Array.from({ length: inFlight }, async () => {
          while (next < count) {
            next += 1;
            results.push(await book());
          }
        }),
      );
      return results;
    };
    await level(1, 3); // warm-up: bundles evaluated once, connections opened
    const levels = { 1: await level(1, PER_LEVEL[1]), 8: await level(8, PER_LEVEL[8]) };

    // Time per state, from each execution's history: from its StateEntered to the next StateEntered (or the end).
    const machine = stack.stepFunctions.listStateMachines().stateMachines.find((candidate) => candidate.name.includes('BookingSaga'))!;
    const perState = new Map<string, number[]>();
    for (const { id } of levels[1]) {
      const executionArn = `${machine.stateMachineArn.replace(':stateMachine:', ':execution:')}:${id}`;
      const events = stack.stepFunctions.historyOf(executionArn);
      const entered = events.filter((event) => event.type.endsWith('StateEntered'));
      const end = events.at(-1)!.timestamp.getTime();
      entered.forEach((event, index) => {
        const name = (event.stateEnteredEventDetails as { name: string }).name;
        const until = entered[index + 1]?.timestamp.getTime() ?? end;
        perState.set(name, [...(perState.get(name) ?? []), until - event.timestamp.getTime()]);
      });
    }
    // What one booking causes: counted over COST_BOOKINGS bookings one at a time, the bench's own polling left out.
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // the last bookings' trailing work (updates, read models)
    probe.reset();
    const counted = [];
    for (let index = 0; index < COST_BOOKINGS; index += 1) counted.push(await book());
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const requests = probe.requests.filter((request) => !request.fields.every((field) => field === 'Query.getBooking'));
    let transitions = 0;
    for (const { id } of counted) {
      const events = stack.stepFunctions.historyOf(`${machine.stateMachineArn.replace(':stateMachine:', ':execution:')}:${id}`);
      // A state entered is a transition; a task scheduled again (a retry) is one more.
      const entered = events.filter((event) => event.type.endsWith('StateEntered')).length;
      const retries =
        events.filter((event) => event.type === 'TaskScheduled').length -
        events.filter((event) => event.type === 'TaskStateEntered').length;
      transitions += entered + Math.max(0, retries);
    }
    const perBooking = (total: number) => total / COST_BOOKINGS;
    const updates = requests.filter((request) => request.fields.includes('Mutation.publishBookingUpdate')).length;
    const counts: Record<PriceKey, { what: string; count: number }> = {
      stepFunctionsStateTransition: { what: 'Step Functions state transitions', count: perBooking(transitions) },
      appsyncRequest: { what: 'AppSync requests (bookStay, commands, stores, updates, read models)', count: perBooking(requests.length) },
      appsyncRealtimeMessage: {
        what: 'AppSync real-time updates (one onBookingUpdated subscriber: its start and a message per update)',
        count: 1 + perBooking(updates),
      },
      eventBridgeCustomEvent: {
        what: 'EventBridge custom events (commands out, decided events, outbox)',
        count: perBooking(probe.putEvents.reduce((sum, call) => sum + call.entries, 0)),
      },
      dynamoDbWriteRequestUnit: {
        what: 'DynamoDB write request units (AWS rules)',
        count: perBooking(probe.dynamoDbCalls.reduce((sum, call) => sum + call.documented.write, 0)),
      },
      dynamoDbReadRequestUnit: {
        what: 'DynamoDB read request units (AWS rules)',
        count: perBooking(probe.dynamoDbCalls.reduce((sum, call) => sum + call.documented.read, 0)),
      },
    };
    const prices = JSON.parse(readFileSync(new URL('./prices.json', import.meta.url), 'utf8')) as {
      checked: string;
      prices: Record<PriceKey, { usdPerMillion: number }>;
    };
    const usd = (key: PriceKey) => counts[key].count * prices.prices[key].usdPerMillion;
    const keys = Object.keys(counts) as PriceKey[];
    const totalUsd = keys.reduce((sum, key) => sum + usd(key), 0);
    const costRows: Row[] = keys.map((key) => ({
      service: counts[key].what,
      'per booking': fixed(counts[key].count, 2),
      'USD per million units': fixed(prices.prices[key].usdPerMillion, 3),
      'USD per million bookings': fixed(usd(key), 2),
      share: `${fixed((100 * usd(key)) / totalUsd, 0)}%`,
    }));
    costRows.push({
      service: 'total',
      'per booking': '',
      'USD per million units': '',
      'USD per million bookings': fixed(totalUsd, 2),
      share: '100%',
    });

    const totalPerState = [...perState.values()].reduce((sum, samples) => sum + samples.reduce((a, b) => a + b, 0), 0);

    const latencyRows: Row[] = (Object.entries(levels) as [string, { ms: number }[]][]).map(([inFlight, results]) => {
      const p = percentiles(results.map((result) => result.ms));
      return {
        'in flight': Number(inFlight),
        bookings: results.length,
        'p50 ms': fixed(p.p50, 0),
        'p95 ms': fixed(p.p95, 0),
        'p99 ms': fixed(p.p99, 0),
      };
    });
    const stateRows: Row[] = [...perState.entries()]
      .map(([state, samples]) => ({
        state,
        'median ms': fixed(percentiles(samples).p50, 1),
        share: `${fixed((100 * samples.reduce((a, b) => a + b, 0)) / totalPerState, 0)}%`,
      }))
      .sort((a, b) => Number.parseFloat(String(b.share)) - Number.parseFloat(String(a.share)));
    return {
      name: 'booking',
      title: 'Booking end to end: bookStay → CONFIRMED on the local stack',
      tables: [
        {
          title: `bookStay → CONFIRMED (getBooking polled every 20 ms), ${PER_LEVEL[1]} bookings one at a time and ${PER_LEVEL[8]} with 8 in flight`,
          rows: latencyRows,
        },
        { title: 'Where the time goes: each state of the machine, from its history (bookings one at a time)', rows: stateRows },
        {
          title: `What a confirmed booking costs on AWS: operations counted over ${COST_BOOKINGS} bookings one at a time × list prices checked ${prices.checked} (bench/prices.json)`,
          rows: costRows,
        },
      ],
      targets: [],
      notes: [
        'Each booking has a room-night of its own; the local stand-in provider answers at once; the bus delivers as the local runtime does (no network).',
        "Cost: the bench polls getBooking instead of subscribing, so its queries are left out and one onBookingUpdated subscriber is counted instead. Not counted: EventBridge Scheduler (the commands' timeouts), Pipes requests, storage, logs, data transfer.",
      ],
      data: {
        latencies: Object.fromEntries(Object.entries(levels).map(([key, results]) => [key, results.map((result) => result.ms)])),
        perState: Object.fromEntries(perState),
        costPerBooking: Object.fromEntries(keys.map((key) => [key, counts[key].count])),
        usdPerMillionBookings: totalUsd,
      },
    };
  } finally {
    await core.stop();
  }
}
