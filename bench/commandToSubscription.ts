/**
 * Benchmark 2, command to subscription: from `createReservation` sent to `onReservationSaved`
 * received, through aws-amplify v6 on the local stack (HTTP for the mutation, wss:// for the
 * subscription), at concurrency 1, 8 and 32: p50/p95/p99 latency and commands per second.
 *
 *   npm run bench -- commandToSubscription
 *
 * Reference, in the same round: the DynamoDB floor of one command, i.e. the same DynamoDB calls
 * the command causes (Query of the stream, BatchGetItem of the room nights, TransactWriteItems of
 * the event, its 2 claims and the no-answer-yet check) sent directly with the SDK at the same concurrency. A ratio of 3×
 * means the command path spends 3 times what its DynamoDB work alone takes.
 *
 * Where the time goes (concurrency 1): server-side instants from the stack's own hooks
 * (onRequest, the bus's PutEvents, a timing middleware on the data sources' DynamoDB client),
 * client, server and DynamoDB client all in this process, one clock.
 */
import { BatchGetItemCommand, QueryCommand, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { ulid } from 'ulid';
import { commandAnswerKey } from '../functions/eventStore/storedEvent.ts';
import { startLocalCore } from '../dev/localCore.ts';
import type { LocalStack } from '../local/index.ts';
import { CommandDriver, type CommandTiming } from './commandDriver.ts';
import {
  Deadline,
  fixed,
  inParallel,
  median,
  percentiles,
  ratioText,
  ratiosOf,
  spread,
  summarize,
  type BenchResult,
  type Row,
} from './measure.ts';
import type { BenchContext } from './run.ts';
import { StackProbe } from './stackProbe.ts';

const ROUNDS = 5;
const LEVELS = [
  { concurrency: 1, commands: 30 },
  { concurrency: 8, commands: 96 },
  { concurrency: 32, commands: 192 },
];
const BREAKDOWN_COMMANDS = 40;
const BREAKDOWN_ROUNDS = 4;
const BUDGET_MS = 150_000;

export async function run(context: BenchContext): Promise<BenchResult> {
  return measure(await context.cdkOut());
}

async function measure(cdkOut: string): Promise<BenchResult> {
  const probe = new StackProbe();
  let driver: CommandDriver | undefined;
  const core = await startLocalCore({
    cdkOut,
    port: 0,
    host: '127.0.0.1',
    tlsDir: '.local/tls',
    onRequest: probe.onRequest,
    onEvent: (line) => driver?.serverLine(line),
  });
  const stack = core.stack;
  try {
    probe.attach(stack);
    driver = new CommandDriver({ graphqlUrl: `http://127.0.0.1:${stack.port}/graphql`, apiKey: stack.apiKey, caFile: stack.caFile });
    const table = stack.api.model.environment.EVENT_STORE_TABLE!;
    const floor = dynamoDbFloor(stack, table);
    await driver.commands(20, 4);
    await floor(20, 4);

    const deadline = new Deadline(BUDGET_MS);
    const rows: Row[] = [];
    const levels: Record<string, unknown>[] = [];
    for (const level of LEVELS) {
      const perRound = {
        p50: [] as number[],
        p95: [] as number[],
        p99: [] as number[],
        perS: [] as number[],
        floorP50: [] as number[],
        floorPerS: [] as number[],
      };
      for (let round = 0; round < ROUNDS; round += 1) {
        if (round >= 2 && deadline.passed()) break;
        // Alternate which side goes first, so drift does not always favour one.
        const e2e = async () => driver!.commands(level.commands, level.concurrency);
        const raw = async () => floor(level.commands, level.concurrency);
        const [end, ref] = round % 2 === 0 ? [await e2e(), await raw()] : await raw().then(async (r) => [await e2e(), r] as const);
        const latencies = end.timings.map((t) => t.tMessage - t.t0);
        const { p50, p95, p99 } = percentiles(latencies);
        perRound.p50.push(p50);
        perRound.p95.push(p95);
        perRound.p99.push(p99);
        perRound.perS.push(level.commands / (end.wallMs / 1000));
        perRound.floorP50.push(percentiles(ref.latencies).p50);
        perRound.floorPerS.push(level.commands / (ref.wallMs / 1000));
      }
      const p50Ratio = summarize(ratiosOf(perRound.p50, perRound.floorP50));
      const perSRatio = summarize(ratiosOf(perRound.perS, perRound.floorPerS));
      rows.push({
        concurrency: level.concurrency,
        'commands/round': level.commands,
        rounds: perRound.p50.length,
        'p50 ms': spread(summarize(perRound.p50), 1),
        'p95 ms': spread(summarize(perRound.p95), 1),
        'p99 ms': spread(summarize(perRound.p99), 1),
        'commands/s': spread(summarize(perRound.perS), 0),
        'p50 / DynamoDB floor p50': ratioText(p50Ratio),
        'commands/s / floor': ratioText(perSRatio),
      });
      levels.push({ ...level, perRound });
    }

    // Where the time goes, at concurrency 1: one command at a time, instants from the hooks.
    // (Until the server set TCP_NODELAY on its sockets, Nagle's algorithm held each real-time
    // message for the client's delayed ACK: 28 of 43 ms. The server now sets it; see docs/benchmarks.md.)
    const asIs: Segments[] = [];
    for (let round = 0; round < BREAKDOWN_ROUNDS; round += 1) {
      asIs.push(...(await breakdown(driver, probe, BREAKDOWN_COMMANDS / BREAKDOWN_ROUNDS)));
    }
    const total = median(asIs.map((s) => s.total));
    const p25p75 = (values: number[]) => `${fixed(summarize(values).p25, 2)}–${fixed(summarize(values).p75, 2)}`;
    const segmentRows: Row[] = [...SEGMENTS, ['total', 'end to end (t0 → message)'] as const].map(([key, label]) => {
      const values = asIs.map((s) => s[key]);
      return {
        segment: label,
        'median ms': fixed(median(values), 2),
        'p25–p75 ms': p25p75(values),
        'share of total': `${fixed((100 * median(values)) / total, 0)}%`,
      };
    });
    const ddbCommand = median(asIs.map((s) => s.dynamoDbCommand));
    const ddbStore = median(asIs.map((s) => s.dynamoDbStore));
    return {
      name: 'commandToSubscription',
      title: 'Command to subscription: createReservation → onReservationSaved through aws-amplify v6 on the local stack',
      tables: [
        {
          title: `Latency from mutation sent to subscription message, median (min–max) of per-round percentiles over up to ${ROUNDS} rounds; ratios per round against the command's DynamoDB calls sent directly`,
          rows,
        },
        {
          title: `Where the time goes: ${BREAKDOWN_COMMANDS} commands one at a time, as served today; consecutive segments adding up to the total (DynamoDB: command side ${fixed(ddbCommand, 2)} ms, store side ${fixed(ddbStore, 2)} ms)`,
          rows: segmentRows,
        },
      ],
      targets: [],
      notes: [
        'Client (aws-amplify v6 + ws), local server, engine and bus run in this one Node process; DynamoDB Local is a Java process on the same 2 cores.',
        'Each command subscribes first and is sent only once the server has acknowledged the subscription; subscription set-up is not in the latency.',
        'The local server sets TCP_NODELAY on every socket it accepts (plain and TLS): before it did, Nagle held each real-time message for the client’s delayed ACK (28 of 43 ms end to end, measured by this benchmark).',
        'DynamoDB floor = Query (consistent) + BatchGetItem (consistent, 2 keys) + TransactWriteItems (3 puts + the answer ConditionCheck) per command with the SDK, at the same concurrency, in the same round.',
      ],
      data: { rounds: ROUNDS, levels, breakdown: { asIs } },
    };
  } finally {
    await core.stop();
  }
}

const SEGMENTS = [
  ['clientToServer', 'client → server: Amplify + HTTP request'],
  ['commandResolver', 'createReservation pipeline (engine, excl. DynamoDB)'],
  ['dynamoDbCommand', 'createReservation DynamoDB (Query, BatchGetItem)'],
  ['bus', 'bus: end of createReservation → saveReservationEvent starts'],
  ['storeResolver', 'saveReservationEvent pipeline (engine, excl. DynamoDB)'],
  ['dynamoDbStore', 'saveReservationEvent DynamoDB (TransactWriteItems)'],
  ['websocket', 'publish → render → wss:// → Amplify message'],
] as const;

type Segments = Record<(typeof SEGMENTS)[number][0] | 'total', number>;

async function breakdown(driver: CommandDriver, probe: StackProbe, commands: number): Promise<Segments[]> {
  const out: Segments[] = [];
  for (let i = 0; i < commands; i += 1) {
    probe.reset();
    const timing: CommandTiming = await driver.command();
    const command = probe.requests.find((r) => r.fields.includes('Mutation.createReservation'));
    const store = probe.requests.find((r) => r.fields.includes('Mutation.saveReservationEvent'));
    if (!command || !store) continue;
    const ddbWithin = (from: number, to: number) =>
      probe.dynamoDbCalls.filter((c) => c.start >= from && c.end <= to).reduce((sum, c) => sum + (c.end - c.start), 0);
    const dynamoDbCommand = ddbWithin(command.start, command.end);
    const dynamoDbStore = ddbWithin(store.start, store.end);
    out.push({
      clientToServer: command.start - timing.t0,
      commandResolver: command.end - command.start - dynamoDbCommand,
      dynamoDbCommand,
      bus: store.start - command.end,
      storeResolver: store.end - store.start - dynamoDbStore,
      dynamoDbStore,
      websocket: timing.tMessage - store.end,
      total: timing.tMessage - timing.t0,
    });
  }
  return out;
}

/** The DynamoDB calls of one command, sent directly with the SDK, `count` of them with `concurrency` in flight. */
function dynamoDbFloor(
  stack: LocalStack,
  table: string,
): (count: number, concurrency: number) => Promise<{ latencies: number[]; wallMs: number }> {
  const client = stack.dataSourceClient;
  const one = async () => {
    const id = ulid();
    const room = `floor-room-${id}`;
    const nights = ['2032-05-01', '2032-05-02'].map((night) => `RoomNight#${room}#${night}`);
    await client.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: '#pk = :pk AND #sk > :zero',
        ExpressionAttributeNames: { '#pk': 'streamId', '#sk': 'version' },
        ExpressionAttributeValues: { ':pk': { S: `Reservation#${id}` }, ':zero': { N: '0' } },
        ConsistentRead: true,
      }),
    );
    await client.send(
      new BatchGetItemCommand({
        RequestItems: { [table]: { Keys: nights.map((key) => ({ streamId: { S: key }, version: { N: '0' } })), ConsistentRead: true } },
      }),
    );
    const put = (streamId: string, version: string, extra: Record<string, { S: string }>) => ({
      Put: {
        TableName: table,
        Item: { streamId: { S: streamId }, version: { N: version }, ...extra },
        ConditionExpression: 'attribute_not_exists(#pk)',
        ExpressionAttributeNames: { '#pk': 'streamId' },
      },
    });
    const event = {
      eventId: { S: ulid() },
      type: { S: 'ReservationCreated' },
      aggregateId: { S: id },
      commandId: { S: id },
      correlationId: { S: id },
      occurredAt: { S: new Date().toISOString() },
      storedAt: { S: new Date().toISOString() },
      data: { S: JSON.stringify({ userId: 'bench-user', roomId: room, dateStart: '2032-05-01', dateEnd: '2032-05-03' }) },
    };
    const noAnswerYet = {
      ConditionCheck: {
        TableName: table,
        Key: { streamId: { S: commandAnswerKey(id) }, version: { N: '0' } },
        ConditionExpression: 'attribute_not_exists(#pk)',
        ExpressionAttributeNames: { '#pk': 'streamId' },
      },
    };
    await client.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          put(`Reservation#${id}`, '1', event),
          ...nights.map((key) => put(key, '0', { kind: { S: 'UniqueConstraint' }, aggregateId: { S: id } })),
          noAnswerYet,
        ],
      }),
    );
  };
  return async (count, concurrency) => {
    const latencies: number[] = [];
    const wallMs = await inParallel(count, concurrency, async () => {
      const start = performance.now();
      await one();
      latencies.push(performance.now() - start);
    });
    return { latencies, wallMs };
  };
}
