/**
 * Benchmark 11, booking: a booking end to end on the local stack, bookStay → CONFIRMED (the state
 * machine's reserve, authorize, capture and the booking's own steps, each command through the bus,
 * AppSync and the store, answered by task token), at 1 and 8 bookings in flight, and the share of
 * the time each state of the machine takes (from the executions' histories).
 *
 *   npm run bench -- booking
 *
 * Each booking takes its own room-night, so none fails; CONFIRMED is seen by polling getBooking every
 * 20 ms (so latencies are up to 20 ms late). The payment provider is the local stand-in (answers at once).
 */
import { ulid } from 'ulid';
import { startLocalCore } from '../dev/localCore.ts';
import { addDays } from '../functions/shared/calendarDate.ts';
import { fixed, percentiles, type BenchResult, type Row } from './measure.ts';
import type { BenchContext } from './run.ts';

const PER_LEVEL = { 1: 20, 8: 48 } as const;

export async function run(context: BenchContext): Promise<BenchResult> {
  const core = await startLocalCore({ cdkOut: await context.cdkOut(), port: 0, host: '127.0.0.1', tlsDir: '.local/tls' });
  const { stack } = core;
  const graphql = async <T>(query: string, variables: Record<string, unknown>): Promise<T> => {
    const response = await fetch(stack.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': stack.apiKey },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data: T; errors?: unknown[] };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data;
  };
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
      ],
      targets: [],
      notes: [
        'Each booking has a room-night of its own; the local stand-in provider answers at once; the bus delivers as the local runtime does (no network).',
      ],
      data: {
        latencies: Object.fromEntries(Object.entries(levels).map(([key, results]) => [key, results.map((result) => result.ms)])),
        perState: Object.fromEntries(perState),
      },
    };
  } finally {
    await core.stop();
  }
}
