/**
 * Benchmark 8, pipes: how long a stored item takes to reach the bus through an EventBridge pipe
 * (DynamoDB Local's stream → filter → InputTemplate → PutEvents → a rule's target), and how many
 * records a second one pipe carries, against the PutItem that wrote them in the same round.
 *
 *   npm run bench -- pipes
 *
 * Latency is measured with AWS's polling (four times a second, eb-pipes-dynamodb.html) and with a
 * 20 ms poll, which shows the pipe's own cost; each write comes after a random pause of up to 300 ms,
 * so writes fall anywhere in the polling cycle. Throughput: a burst of writes, then the time until the
 * last record is on the bus, in batches of 10 (the most an event bus target takes).
 */
import { CreateTableCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbLocal } from '../local/index.ts';
import { LocalEventBus } from '../local/index.ts';
import { LocalPipes, pipesFromTemplate, type PipeBatchLog } from '../local/index.ts';
import {
  fixed,
  inParallel,
  percentiles,
  ratioText,
  ratiosOf,
  sideBySide,
  spread,
  summarize,
  within,
  type BenchResult,
  type Row,
} from './measure.ts';

const ACCOUNT = '123456789012';
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/pipe`;
const LATENCY_WRITES = 20;
const BURST = 500;
const ROUNDS = 3;

interface Harness {
  client: DynamoDBClient;
  /** Writes one item and resolves when its event reached the bus's target; answers [PutItem ms, end-to-end ms]. */
  writeAndWait(pk: string): Promise<[number, number]>;
  /** Resolves when `count` more events reached the target. */
  waitFor(count: number): Promise<void>;
  batches: PipeBatchLog[];
  stop(): Promise<void>;
}

async function harness(db: DynamoDbLocal, table: string, pollIntervalMs: number): Promise<Harness> {
  const client = db.createClient();
  await client.send(
    new CreateTableCommand({
      TableName: table,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
    }),
  );
  const arrived = new Map<string, () => void>();
  let delivered = 0;
  const counters: { count: number; resolve: () => void }[] = [];
  const bus = new LocalEventBus({
    account: ACCOUNT,
    invokers: {
      sqs: (call) => {
        const pk = (JSON.parse(call.input) as { detail: { pk: string } }).detail.pk;
        arrived.get(pk)?.();
        delivered += 1;
        for (const counter of [...counters]) if (delivered >= counter.count) counters.splice(counters.indexOf(counter), 1)[0]!.resolve();
      },
    },
  });
  bus.createEventBus({ Name: 'out' });
  bus.putRule({ Name: 'all', EventBusName: 'out', EventPattern: { source: ['app.bench'] } });
  bus.putTargets({ Rule: 'all', EventBusName: 'out', Targets: [{ Id: 'q', Arn: `arn:aws:sqs:us-east-1:${ACCOUNT}:q` }] });
  const batches: PipeBatchLog[] = [];
  const pipes = new LocalPipes({
    dynamoDbEndpoint: db.endpoint,
    bus,
    region: 'us-east-1',
    timing: { pollIntervalMs },
    onBatch: (log) => batches.push(log),
  });
  const busArn = `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/out`;
  await pipes.start(
    pipesFromTemplate(
      {
        Pipe: {
          Type: 'AWS::Pipes::Pipe',
          Properties: {
            RoleArn: ROLE_ARN,
            Source: `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/${table}/stream/1970-01-01T00:00:00.000`,
            SourceParameters: {
              DynamoDBStreamParameters: { StartingPosition: 'LATEST', BatchSize: 10 },
              FilterCriteria: { Filters: [{ Pattern: '{"eventName":["INSERT"]}' }] },
            },
            Target: busArn,
            TargetParameters: {
              InputTemplate: '{"pk": <$.dynamodb.NewImage.pk.S>, "n": <$.dynamodb.NewImage.n.N>}',
              EventBridgeEventBusParameters: { Source: 'app.bench', DetailType: 'Stored' },
            },
          },
        },
      },
      { nameOf: () => 'bench', arnOf: () => `arn:aws:pipes:us-east-1:${ACCOUNT}:pipe/bench` },
    ),
    {
      [ROLE_ARN]: {
        logicalId: 'Role',
        arn: ROLE_ARN,
        name: 'pipe',
        statements: [{ Effect: 'Allow', Action: ['dynamodb:*', 'events:PutEvents'], Resource: '*' }],
      },
    },
  );
  const put = (pk: string) => client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: pk }, n: { N: '1' } } }));
  return {
    client,
    batches,
    async writeAndWait(pk) {
      const reached = new Promise<void>((resolve) => arrived.set(pk, resolve));
      const start = performance.now();
      await put(pk);
      const stored = performance.now() - start;
      await within(10_000, reached, `record ${pk} on the bus`);
      arrived.delete(pk);
      return [stored, performance.now() - start];
    },
    waitFor(count) {
      const target = delivered + count;
      return within(60_000, new Promise<void>((resolve) => counters.push({ count: target, resolve })), `${count} records on the bus`);
    },
    async stop() {
      await pipes.stop();
      bus.close();
      client.destroy();
    },
  };
}

export async function run(): Promise<BenchResult> {
  const db = await DynamoDbLocal.start();
  try {
    const aws = await harness(db, 'bench-aws-polling', 250);
    const fast = await harness(db, 'bench-fast-polling', 20);
    let n = 0;
    const sample = (h: Harness) => async () => {
      const stored: number[] = [];
      const total: number[] = [];
      for (let i = 0; i < LATENCY_WRITES; i += 1) {
        // A random pause, so writes do not fall in step with the pipe's polling.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 300));
        const [put, endToEnd] = await h.writeAndWait(`k${(n += 1)}`);
        stored.push(put);
        total.push(endToEnd);
      }
      latencies.set(h, [...(latencies.get(h) ?? []), ...total]);
      puts.set(h, [...(puts.get(h) ?? []), ...stored]);
      return percentiles(total).p50;
    };
    const latencies = new Map<Harness, number[]>();
    const puts = new Map<Harness, number[]>();
    const perRound = await sideBySide(ROUNDS, { aws: sample(aws), fast: sample(fast) });

    // Throughput: a burst written 8 at a time, then until the last record is on the bus.
    const burst = async () => {
      fast.batches.length = 0;
      const all = fast.waitFor(BURST);
      const start = performance.now();
      const writeMs = await inParallel(BURST, 8, async () =>
        fast.client.send(new PutItemCommand({ TableName: 'bench-fast-polling', Item: { pk: { S: `b${(n += 1)}` }, n: { N: '2' } } })),
      );
      await all;
      const totalMs = performance.now() - start;
      const delivered = fast.batches.filter((batch) => batch.outcome === 'delivered');
      return {
        writeMs,
        totalMs,
        batches: delivered.length,
        meanBatch: delivered.reduce((sum, batch) => sum + batch.records, 0) / delivered.length,
      };
    };
    const bursts = [await burst(), await burst()];
    await aws.stop();
    await fast.stop();

    const row = (name: string, h: Harness, poll: string): Row => {
      const total = percentiles(latencies.get(h)!);
      return {
        pipe: name,
        poll,
        'PutItem ms p50': fixed(percentiles(puts.get(h)!).p50),
        'item → bus ms p50': fixed(total.p50),
        p95: fixed(total.p95),
        p99: fixed(total.p99),
      };
    };
    const throughput = bursts.map((b) => BURST / (b.totalMs / 1000));
    const writes = bursts.map((b) => BURST / (b.writeMs / 1000));
    return {
      name: 'pipes',
      title: 'Pipes: a stored item to the bus through an EventBridge pipe (DynamoDB Local stream, filter, InputTemplate, PutEvents)',
      tables: [
        {
          title: `Latency, one write at a time after a random pause (0–300 ms): ${ROUNDS} rounds of ${LATENCY_WRITES} writes per pipe, the two pipes alternating`,
          rows: [row('AWS polling', aws, '250 ms'), row('fast polling', fast, '20 ms')],
        },
        {
          title: `Throughput: ${BURST} writes, 8 in flight, until the last record is on the bus (fast polling), 2 bursts`,
          rows: bursts.map((b, index) => ({
            burst: index + 1,
            'writes/s': fixed(writes[index]!, 0),
            'records on the bus/s': fixed(throughput[index]!, 0),
            batches: b.batches,
            'records per batch': fixed(b.meanBatch, 1),
          })),
        },
      ],
      targets: [],
      notes: [
        `Median item → bus per round, AWS polling / fast polling: ${ratioText(summarize(ratiosOf(perRound.aws, perRound.fast)))}; item → bus with fast polling ${spread(summarize(perRound.fast))} ms.`,
        'AWS documents no latency for Pipes; with its polling, half a poll interval (125 ms) is the expected wait before a record is read.',
      ],
      data: { rounds: ROUNDS, writes: LATENCY_WRITES, burst: BURST, perRound, bursts },
    };
  } finally {
    await db.stop();
  }
}
