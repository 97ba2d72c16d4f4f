/**
 * Benchmark: DynamoDB Local's JVM options. Every test file and `npm start` launch a DynamoDB Local
 * that lives seconds to minutes, on a 2-core machine; the JVM's defaults (tiered C1+C2 compilation, G1)
 * spend CPU on compilations that never pay back in so short a life. Side by side, each round starting
 * one Java with the JVM's defaults and one with FAST_START_JVM_OPTIONS, alternating which goes first:
 * the time to the first ListTables, the time of a fixed workload, and Java's own CPU time (from /proc,
 * so another process's load counts less than in wall time).
 *
 *   npm run bench -- dynamoDbLocalJvm
 */
import { readFileSync } from 'node:fs';
import { CreateTableCommand, GetItemCommand, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDbLocal, FAST_START_JVM_OPTIONS } from '../local/index.ts';
import { fixed, ratioText, ratiosOf, sideBySide, spread, summarize, type BenchResult } from './measure.ts';

const ROUNDS = 3;
/** Per round and side: this many two-item transactions (a conditional put and a put), each followed by a read. */
const TRANSACTIONS = 400;
const TABLE = 'bench-jvm';

interface Sample {
  startMs: number;
  workMs: number;
  javaCpuMs: number;
}

/** User + system CPU time of a process, from /proc/PID/stat (fields 14 and 15, in clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function once(javaOptions: string[]): Promise<Sample> {
  const started = performance.now();
  const db = await DynamoDbLocal.start({ javaOptions });
  const startMs = performance.now() - started;
  const client = db.createClient();
  try {
    await client.send(
      new CreateTableCommand({
        TableName: TABLE,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      }),
    );
    const workStarted = performance.now();
    for (let i = 0; i < TRANSACTIONS; i += 1) {
      await client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: TABLE, Item: { pk: { S: `event#${i}` } }, ConditionExpression: 'attribute_not_exists(pk)' } },
            { Put: { TableName: TABLE, Item: { pk: { S: `claim#${i}` } } } },
          ],
        }),
      );
      await client.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: `event#${i}` } } }));
    }
    const workMs = performance.now() - workStarted;
    return { startMs, workMs, javaCpuMs: cpuMs(db.javaPid) };
  } finally {
    client.destroy();
    await db.stop();
  }
}

export async function run(): Promise<BenchResult> {
  const samples: Record<'jvmDefaults' | 'fastStart', Sample[]> = { jvmDefaults: [], fastStart: [] };
  const perRound = await sideBySide(ROUNDS, {
    jvmDefaults: async () => {
      const sample = await once([]);
      samples.jvmDefaults.push(sample);
      return sample.javaCpuMs;
    },
    fastStart: async () => {
      const sample = await once(FAST_START_JVM_OPTIONS);
      samples.fastStart.push(sample);
      return sample.javaCpuMs;
    },
  });
  const row = (name: string, options: string, of: Sample[]) => ({
    JVM: name,
    options,
    'start ms': spread(summarize(of.map((s) => s.startMs)), 0),
    [`${TRANSACTIONS} transactions + reads ms`]: spread(summarize(of.map((s) => s.workMs)), 0),
    'Java CPU ms': spread(summarize(of.map((s) => s.javaCpuMs)), 0),
  });
  const cpuRatio = summarize(ratiosOf(perRound.fastStart, perRound.jvmDefaults));
  return {
    name: 'dynamoDbLocalJvm',
    title: "DynamoDB Local's JVM: the JVM's defaults against FAST_START_JVM_OPTIONS (start, a short workload, Java's CPU time)",
    tables: [
      {
        title: `${ROUNDS} rounds, one Java per side per round, median (min–max)`,
        rows: [
          row("JVM's defaults", '(none)', samples.jvmDefaults),
          row('fast start', FAST_START_JVM_OPTIONS.join(' '), samples.fastStart),
        ],
      },
    ],
    targets: [
      {
        target: 'fast start uses less of Java’s CPU time than the defaults',
        met: cpuRatio.max < 1,
        measured: `fast start / defaults: ${ratioText(cpuRatio)}`,
      },
    ],
    notes: [
      `Java CPU time per round, fast start / defaults: ${ratioText(cpuRatio)}; start-up, fast start: ${fixed(summarize(samples.fastStart.map((s) => s.startMs)).median, 0)} ms.`,
    ],
    data: { rounds: ROUNDS, transactions: TRANSACTIONS, samples },
  };
}
