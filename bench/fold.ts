/**
 * Benchmark 4, fold: `getReservation` latency over HTTP on the local stack as the stream grows
 * (10, 100, 1,000 events), against the read alone (the same consistent Query sent directly with
 * the SDK) in the same round. A growth ratio (latency at N / latency at 10) near N/10 means the
 * query grows linearly with the stream.
 *
 *   npm run bench -- fold
 *
 * Streams are seeded directly in DynamoDB Local in the stored-event layout: ReservationCreated at
 * version 1, then CommandTimedOut tombstones (the one event a stream can repeat). The last column
 * is a what-if, not the current design: the read a snapshot every 100 events would need (the
 * newest ≤ 100 items, one Query in reverse), to show where snapshots would flatten the curve.
 */
import { BatchWriteItemCommand, QueryCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { ulid } from 'ulid';
import { dynamoDbClientFor } from '../local/dynamodb/index.ts';
import { LocalStack } from '../local/localStack.ts';
import { fixed, latenciesMs, median, ratiosOf, ratioText, sideBySide, spread, summarize, type BenchResult, type Row } from './measure.ts';
import type { BenchContext } from './run.ts';

const SIZES = [10, 100, 1_000];
const ROUNDS = 7;
const REQUESTS = 15;
const SNAPSHOT_EVERY = 100;

export async function run(context: BenchContext): Promise<BenchResult> {
  const stack = await LocalStack.start({ cdkOut: await context.cdkOut(), port: 0, host: '127.0.0.1', tlsDir: '.local/tls' });
  try {
    const table = stack.api.model.environment.EVENT_STORE_TABLE!;
    const client = dynamoDbClientFor(stack.dynamoDb.endpoint);
    const streams = new Map<number, string>();
    for (const size of SIZES) streams.set(size, await seedStream(client, table, size));

    const getReservation = (id: string) => async () => {
      const response = await fetch(stack.graphqlUrl.replace('localhost', '127.0.0.1'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': stack.apiKey },
        body: JSON.stringify({ query: 'query Get($id: ID!) { getReservation(id: $id) { id status version } }', variables: { id } }),
      });
      const body = (await response.json()) as { data?: { getReservation?: { version?: number } } };
      if (!body.data?.getReservation?.version) throw new Error(`getReservation ${id}: ${JSON.stringify(body)}`);
      return body.data.getReservation.version;
    };
    const query = (id: string, limit?: number) => async () => {
      const result = await client.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: '#pk = :pk AND #sk > :zero',
          ExpressionAttributeNames: { '#pk': 'streamId', '#sk': 'version' },
          ExpressionAttributeValues: { ':pk': { S: `Reservation#${id}` }, ':zero': { N: '0' } },
          ConsistentRead: true,
          ...(limit === undefined ? {} : { Limit: limit, ScanIndexForward: false }),
        }),
      );
      if (!result.Items?.length || (limit === undefined && result.LastEvaluatedKey)) throw new Error(`query ${id}: ${result.Items?.length} items, more: ${Boolean(result.LastEvaluatedKey)}`);
    };

    const perSize = new Map<number, Record<'getReservation' | 'query' | 'snapshotRead', number[]>>();
    for (const size of SIZES) {
      const id = streams.get(size)!;
      const version = await getReservation(id)();
      if (version !== size) throw new Error(`stream of ${size} folded to version ${version}`);
      for (let i = 0; i < 5; i += 1) await Promise.all([getReservation(id)(), query(id)()]);
    }
    // Sizes interleaved within each round, so the growth ratios compare neighbours in time.
    const samples = await sideBySide(
      ROUNDS,
      Object.fromEntries(
        SIZES.flatMap((size) => {
          const id = streams.get(size)!;
          return [
            [`get ${size}`, async () => median(await latenciesMs(REQUESTS, getReservation(id)))],
            [`query ${size}`, async () => median(await latenciesMs(REQUESTS, query(id)))],
            [`snapshot ${size}`, async () => median(await latenciesMs(REQUESTS, query(id, Math.min(size, SNAPSHOT_EVERY))))],
          ];
        }),
      ),
    );
    for (const size of SIZES) perSize.set(size, { getReservation: samples[`get ${size}`]!, query: samples[`query ${size}`]!, snapshotRead: samples[`snapshot ${size}`]! });

    const base = perSize.get(SIZES[0]!)!;
    const rows: Row[] = SIZES.map((size) => {
      const s = perSize.get(size)!;
      return {
        events: size,
        'getReservation ms': spread(summarize(s.getReservation), 2),
        'raw Query ms': spread(summarize(s.query), 2),
        'getReservation / raw Query': ratioText(summarize(ratiosOf(s.getReservation, s.query))),
        [`getReservation / at ${SIZES[0]}`]: ratioText(summarize(ratiosOf(s.getReservation, base.getReservation))),
        [`raw Query / at ${SIZES[0]}`]: ratioText(summarize(ratiosOf(s.query, base.query))),
        [`what-if read with a snapshot every ${SNAPSHOT_EVERY} / at ${SIZES[0]}`]: ratioText(summarize(ratiosOf(s.snapshotRead, base.query))),
      };
    });
    const last = perSize.get(SIZES.at(-1)!)!;
    const growth = median(ratiosOf(last.getReservation, base.getReservation));
    return {
      name: 'fold',
      title: 'Fold: getReservation latency as the stream grows (no snapshots)',
      tables: [{ title: `Latency per query, one at a time over HTTP: median (min–max) over ${ROUNDS} rounds of the median of ${REQUESTS}; ratios per round`, rows }],
      targets: [
        { target: `flat enough without snapshots (x${SIZES.at(-1)! / SIZES[0]!} events → < 2× latency)`, met: growth < 2, measured: `getReservation at ${SIZES.at(-1)} events is ${fixed(growth)}× its latency at ${SIZES[0]}` },
      ],
      notes: [
        'getReservation = loadStream (one consistent Query of the whole stream) + fold in the engine + GraphQL over HTTP; raw Query = the same Query with the SDK, no fold, no HTTP.',
        `The what-if column reads only the newest ≤ ${SNAPSHOT_EVERY} items (what a snapshot every ${SNAPSHOT_EVERY} events would need); the resolvers and the store are unchanged.`,
        'A stream over 1 MB (about 2,000–3,000 events of this size) fails with StreamTooLong today: loadStream reads one page.',
      ],
      data: { rounds: ROUNDS, requests: REQUESTS, perSize: Object.fromEntries(perSize) },
    };
  } finally {
    await stack.stop();
  }
}

/** A stream of `size` events in the stored layout; answers its aggregate id. */
async function seedStream(client: ReturnType<typeof dynamoDbClientFor>, table: string, size: number): Promise<string> {
  const id = ulid();
  const commandId = ulid();
  const envelope = (version: number) => ({
    streamId: `Reservation#${id}`,
    version,
    eventId: ulid(),
    aggregateId: id,
    occurredAt: new Date(Date.UTC(2026, 0, 1, 0, 0, version)).toISOString(),
    commandId: version === 1 ? commandId : ulid(),
    correlationId: commandId,
    causationId: commandId,
    actor: 'bench-user',
    schemaVersion: 1,
  });
  const items: Record<string, AttributeValue>[] = [];
  for (let version = 1; version <= size; version += 1) {
    const item =
      version === 1
        ? { ...envelope(1), type: 'ReservationCreated', data: { userId: 'bench-user', roomId: `room-${id}`, dateStart: '2032-06-01', dateEnd: '2032-06-04' } }
        : { ...envelope(version), type: 'CommandTimedOut', data: { reason: 'Not stored within 30 s' } };
    items.push(marshall(item));
  }
  for (let i = 0; i < items.length; i += 25) {
    let request: Record<string, { PutRequest: { Item: Record<string, AttributeValue> } }[]> | undefined = { [table]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) };
    for (let attempt = 0; request && Object.keys(request).length > 0 && attempt < 10; attempt += 1) {
      const result = await client.send(new BatchWriteItemCommand({ RequestItems: request }));
      request = result.UnprocessedItems as typeof request;
    }
  }
  return id;
}
