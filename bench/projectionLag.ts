/**
 * Benchmark 13, projection lag: how long after a command's SAVED message its stored event shows in
 * the read models, on the local stack. The path measured is the deployed one: the store's table
 * stream → the outbox pipe (polling as AWS documents, four times a second) → the bus →
 * applyStoredEvent → the read-model items, then a query.
 *
 *   npm run bench -- projectionLag
 *
 * Each command is a createReservation sent through aws-amplify v6 (bench/commandDriver.ts, which
 * waits for onReservationSaved); from the SAVED message on, getRoomCalendar for its room is polled
 * every 5 ms until its first night is RESERVED (so the lag is read up to one poll late), and
 * getHotelTotals is read once then. Side by side in the same run: the pipe's own floor, half its
 * poll interval on average, which no projection fed by the pipe can beat.
 */
import { startLocalCore } from '../dev/localCore.ts';
import { fixed, inParallel, percentiles, type BenchResult, type Row } from './measure.ts';
import { CommandDriver, type CommandTiming } from './commandDriver.ts';
import type { BenchContext } from './run.ts';
import { apiKeyGraphql } from './apiKeyGraphql.ts';

/** Commands per level: one at a time, then 8 in flight. */
const LEVELS = [
  { inFlight: 1, commands: 40 },
  { inFlight: 8, commands: 80 },
] as const;
const POLL_MS = 5;
/** The outbox pipe's poll interval, as deployed (local/pipes/streamPipe.ts, AWS's four polls a second). */
const PIPE_POLL_MS = 250;
const TARGET_P99_MS = 1_000;

export async function run(context: BenchContext): Promise<BenchResult> {
  let driver: CommandDriver | undefined;
  const core = await startLocalCore({
    cdkOut: await context.cdkOut(),
    port: 0,
    host: '127.0.0.1',
    tlsDir: '.local/tls',
    onEvent: (line) => driver?.serverLine(line),
  });
  const { stack } = core;
  const graphql = apiKeyGraphql(stack);
  /** Milliseconds from the SAVED message until the command's room shows its first night RESERVED. */
  const lagOf = async (timing: CommandTiming): Promise<number> => {
    const deadline = timing.tMessage + 30_000;
    for (;;) {
      const { getRoomCalendar } = await graphql<{ getRoomCalendar: { state: string; reservationId: string | null }[] }>(
        'query ($room: ID!) { getRoomCalendar(roomId: $room, from: "2032-05-01", to: "2032-05-02") { state reservationId } }',
        { room: `bench-room-${timing.id}` },
      );
      if (getRoomCalendar[0]?.state === 'RESERVED' && getRoomCalendar[0].reservationId === timing.id)
        return performance.now() - timing.tMessage;
      if (performance.now() > deadline) throw new Error(`reservation ${timing.id} not in the calendar 30 s after SAVED`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  };
  try {
    driver = new CommandDriver({ graphqlUrl: stack.graphqlUrl, apiKey: stack.apiKey, caFile: stack.caFile });
    // Warm up: the first commands pay for code loading and connections.
    await inParallel(5, 1, async () => lagOf(await driver!.command()));
    const before = await graphql<{ getHotelTotals: { activeReservations: number } }>('{ getHotelTotals { activeReservations } }');

    const results: { inFlight: number; lags: number[]; sendToSaved: number[] }[] = [];
    let sent = 0;
    for (const level of LEVELS) {
      const lags: number[] = [];
      const sendToSaved: number[] = [];
      await inParallel(level.commands, level.inFlight, async () => {
        const timing = await driver!.command();
        if (timing.status !== 'SAVED') throw new Error(`command ${timing.id} ended ${timing.status}`);
        sendToSaved.push(timing.tMessage - timing.t0);
        lags.push(await lagOf(timing));
      });
      sent += level.commands;
      results.push({ inFlight: level.inFlight, lags, sendToSaved });
    }
    // Every stored create is counted once in the totals (each event applied once, whatever the delivery).
    const after = await graphql<{ getHotelTotals: { activeReservations: number } }>('{ getHotelTotals { activeReservations } }');
    const counted = after.getHotelTotals.activeReservations - before.getHotelTotals.activeReservations;

    const rows: Row[] = results.map(({ inFlight, lags, sendToSaved }) => {
      const lag = percentiles(lags);
      return {
        'in flight': inFlight,
        commands: lags.length,
        'command → SAVED p50 ms': fixed(percentiles(sendToSaved).p50, 0),
        'SAVED → visible p50 ms': fixed(lag.p50, 0),
        p95: fixed(lag.p95, 0),
        p99: fixed(lag.p99, 0),
        max: fixed(Math.max(...lags), 0),
        'p50 / pipe floor': `${fixed(lag.p50 / (PIPE_POLL_MS / 2))}×`,
      };
    });
    const worstP99 = Math.max(...results.map(({ lags }) => percentiles(lags).p99));
    return {
      name: 'projectionLag',
      title: 'Projection lag: SAVED message → visible in the read models, on the local stack',
      tables: [
        {
          title: `createReservation through aws-amplify v6, then getRoomCalendar polled every ${POLL_MS} ms; pipe floor = half the outbox pipe's ${PIPE_POLL_MS} ms poll (${PIPE_POLL_MS / 2} ms)`,
          rows,
        },
      ],
      targets: [
        {
          target: `the read models show a stored event within a second of its SAVED message (p99, every level)`,
          met: worstP99 <= TARGET_P99_MS,
          measured: `p99 ${fixed(worstP99, 0)} ms`,
        },
        {
          target: 'every stored create counted once in getHotelTotals',
          met: counted === sent,
          measured: `${counted} counted of ${sent} stored`,
        },
      ],
      notes: [
        'SAVED comes from the store path (the rule calling saveReservationEvent); the read models from the stored item through the stream, the pipe and the bus, so the lag is mostly the pipe waiting for its next poll.',
      ],
      data: Object.fromEntries(results.map(({ inFlight, lags, sendToSaved }) => [`inFlight${inFlight}`, { lags, sendToSaved }])),
    };
  } finally {
    await core.stop();
  }
}
