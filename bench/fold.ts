/**
 * Benchmark 4, fold: `getReservation` latency over HTTP on the local stack as the stream grows
 * (10, 100, 1,000 and 1,099 events), against the reads alone (consistent Queries sent directly
 * with the SDK) in the same round: the whole stream (what loadStream read before snapshots) and
 * the newest SNAPSHOT_INTERVAL + 1 items, newest first (what loadStream reads now). A growth ratio
 * (latency at N / latency at 10) near N/10 means the query grows linearly with the stream.
 *
 *   npm run bench -- fold
 *
 * Streams are seeded directly in DynamoDB Local in the stored layout, as the store writes it:
 * ReservationCreated at version 1, then CommandTimedOut tombstones (the one event a stream can
 * repeat), and a snapshot item (functions/eventStore/snapshot.ts, the state folded by the
 * domain's reducer) after every multiple of SNAPSHOT_INTERVAL. 1,099 events is the worst case:
 * 99 events to fold after the newest snapshot.
 */
import { BatchWriteItemCommand, QueryCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { ulid } from 'ulid';
import { startLocalCore } from '../dev/localCore.ts';
import { fixed, latenciesMs, median, ratiosOf, ratioText, sideBySide, spread, summarize, type BenchResult, type Row } from './measure.ts';
import type { BenchContext } from './run.ts';
import { SNAPSHOT_INTERVAL, snapshotItem, takesSnapshot } from '../functions/eventStore/snapshot.ts';
import { evolve } from '../functions/reservation/evolve.ts';
import type { ReservationEvent } from '../functions/reservation/events.ts';
import { initialState, RESERVATION_STATE_VERSION } from '../functions/reservation/state.ts';

const SIZES = [10, 100, 1_000, 1_099];
const ROUNDS = 7;
const REQUESTS = 15;

export async function run(context: BenchContext): Promise<BenchResult> {
  const core = await startLocalCore({ cdkOut: await context.cdkOut(), port: 0, host: '127.0.0.1', tlsDir: '.local/tls' });
  const stack = core.stack;
  try {
    const table = stack.api.model.environment.EVENT_STORE_TABLE!;
    const client = stack.dataSourceClient;
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
      if (!result.Items?.length || (limit === undefined && result.LastEvaluatedKey))
        throw new Error(`query ${id}: ${result.Items?.length} items, more: ${Boolean(result.LastEvaluatedKey)}`);
    };

    const perSize = new Map<number, Record<'getReservation' | 'query' | 'tailRead', number[]>>();
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
            [`tail ${size}`, async () => median(await latenciesMs(REQUESTS, query(id, SNAPSHOT_INTERVAL + 1)))],
          ];
        }),
      ),
    );
    for (const size of SIZES)
      perSize.set(size, { getReservation: samples[`get ${size}`]!, query: samples[`query ${size}`]!, tailRead: samples[`tail ${size}`]! });

    const base = perSize.get(SIZES[0]!)!;
    const rows: Row[] = SIZES.map((size) => {
      const s = perSize.get(size)!;
      return {
        events: size,
        'getReservation ms': spread(summarize(s.getReservation), 2),
        [`raw tail Query (≤ ${SNAPSHOT_INTERVAL + 1} items) ms`]: spread(summarize(s.tailRead), 2),
        'raw whole-stream Query ms': spread(summarize(s.query), 2),
        'getReservation / raw tail Query': ratioText(summarize(ratiosOf(s.getReservation, s.tailRead))),
        [`getReservation / at ${SIZES[0]}`]: ratioText(summarize(ratiosOf(s.getReservation, base.getReservation))),
        [`raw whole-stream Query / at ${SIZES[0]}`]: ratioText(summarize(ratiosOf(s.query, base.query))),
      };
    });
    const last = perSize.get(SIZES.at(-1)!)!;
    const growth = median(ratiosOf(last.getReservation, base.getReservation));
    return {
      name: 'fold',
      title: `Fold: getReservation latency as the stream grows (a snapshot every ${SNAPSHOT_INTERVAL} events)`,
      tables: [
        {
          title: `Latency per query, one at a time over HTTP: median (min–max) over ${ROUNDS} rounds of the median of ${REQUESTS}; ratios per round`,
          rows,
        },
      ],
      targets: [
        {
          target: `flat with snapshots (${SIZES.at(-1)} events, the worst case after a snapshot, vs ${SIZES[0]} → < 2× latency)`,
          met: growth < 2,
          measured: `getReservation at ${SIZES.at(-1)} events is ${fixed(growth)}× its latency at ${SIZES[0]}`,
        },
      ],
      notes: [
        `getReservation = loadStream (one consistent Query of the newest ${SNAPSHOT_INTERVAL + 1} items, newest first) + fold from the newest snapshot in the engine + GraphQL over HTTP; raw tail Query = that Query with the SDK, no fold, no HTTP.`,
        'raw whole-stream Query = the Query loadStream sent before snapshots (every item of the stream, oldest first; it now also returns the snapshot items, 1 per 100 events).',
        'A stream without a usable snapshot in its newest items (older than snapshots, another state version, a tombstone at the multiple) is read whole by a second Query, as before, and over 1 MB fails with StreamTooLong.',
      ],
      data: { rounds: ROUNDS, requests: REQUESTS, perSize: Object.fromEntries(perSize) },
    };
  } finally {
    await core.stop();
  }
}

/** A stream of `size` events in the stored layout; answers its aggregate id. */
async function seedStream(client: DynamoDBClient, table: string, size: number): Promise<string> {
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
  let state = initialState;
  for (let version = 1; version <= size; version += 1) {
    const item =
      version === 1
        ? {
            ...envelope(1),
            type: 'ReservationCreated',
            data: { userId: 'bench-user', roomId: `room-${id}`, dateStart: '2032-06-01', dateEnd: '2032-06-04' },
          }
        : { ...envelope(version), type: 'CommandTimedOut', data: { reason: 'Not stored within 30 s' } };
    items.push(marshall(item));
    // The snapshot the store writes with every event at a multiple of SNAPSHOT_INTERVAL.
    state = evolve(state, item as unknown as ReservationEvent);
    if (takesSnapshot(version))
      items.push(
        marshall(snapshotItem(item.streamId, version, { schemaVersion: RESERVATION_STATE_VERSION, state }), {
          removeUndefinedValues: true,
        }),
      );
  }
  for (let i = 0; i < items.length; i += 25) {
    let request: Record<string, { PutRequest: { Item: Record<string, AttributeValue> } }[]> | undefined = {
      [table]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })),
    };
    for (let attempt = 0; request && Object.keys(request).length > 0 && attempt < 10; attempt += 1) {
      const result = await client.send(new BatchWriteItemCommand({ RequestItems: request }));
      request = result.UnprocessedItems as typeof request;
    }
  }
  return id;
}
