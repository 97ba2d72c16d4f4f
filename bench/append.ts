/**
 * Benchmark 1, append: our event-store write (the `appendEvent` pipeline step of the synthesized
 * app, executed by our APPSYNC_JS engine through our AppSync DynamoDB data source) against
 * (a) the raw limit: the same writes sent directly with `@aws-sdk/lib-dynamodb`, and
 * (b) a peer: Castore's DynamoDB single-table adapter pushing the same events,
 * all on one DynamoDB Local, through one SDK client (same sockets, same settings).
 *
 *   npm run bench -- append
 *
 * Two cases: the common append (one conditional PutItem) and an append with unique constraints
 * (TransactWriteItems: the event + 2 room-night claims + a ConditionCheck that the command has no
 * answer yet). The raw side sends the same request shapes (checked at start). Castore has no unique constraints, so it
 * is compared on the first case only. Each round runs, per side: SEQUENTIAL appends one after the
 * other (latency per append, median of the round) and CONCURRENT appends with CONCURRENCY in
 * flight (events per second). Ratios are per round.
 */
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import {
  DynamoDBSingleTableEventStorageAdapter,
  EVENT_TABLE_EVENT_STORE_ID_KEY,
  EVENT_TABLE_INITIAL_EVENT_INDEX_NAME,
  EVENT_TABLE_PK,
  EVENT_TABLE_SK,
  EVENT_TABLE_TIMESTAMP_KEY,
} from '@castore/event-storage-adapter-dynamodb';
import { ulid } from 'ulid';
import { AppSyncDynamoDbDataSource, createDataSourceClient, createTablesFromTemplate, DynamoDbLocal } from '../local/index.ts';
import { createResolver, loadCode, type Resolver } from '../local/index.ts';
import { readCoreAssembly } from '../dev/localCore.ts';
import { commandAnswerKey } from '../functions/eventStore/storedEvent.ts';
import {
  fixed,
  latenciesMs,
  median,
  ratiosOf,
  ratioText,
  sideBySide,
  spread,
  summarize,
  throughputPerS,
  type BenchResult,
  type Row,
} from './measure.ts';
import type { BenchContext } from './run.ts';
import type { EventEnvelope } from '../functions/eventStore/envelope.ts';
import type { ReservationCreated } from '../functions/reservation/events.ts';

const ROUNDS = 7;
const WARMUP = 100;
const SEQUENTIAL = 150;
const CONCURRENT = 300;
const CONCURRENCY = 16;
const CASTORE_TABLE = 'castore-events';

/** The bench resolver around the real step: it only hands the step its stash, as the store mutation does. */
const BENCH_RESOLVER = `export function request(ctx) {
  ctx.stash.stream = ctx.args.stream;
  ctx.stash.append = ctx.args.append;
  return {};
}
export function response(ctx) { return ctx.stash.appendOutcome; }`;

/** The event the benchmark appends, typed as the store's envelope. */
type Envelope = EventEnvelope<'ReservationCreated', ReservationCreated>;

function newEvent(): Envelope {
  const id = ulid();
  const commandId = ulid();
  return {
    eventId: ulid(),
    type: 'ReservationCreated',
    aggregateId: id,
    version: 1,
    occurredAt: new Date().toISOString(),
    commandId,
    correlationId: commandId,
    causationId: commandId,
    actor: 'bench-user',
    schemaVersion: 1,
    data: { userId: 'bench-user', roomId: `room-${id}`, dateStart: '2032-03-01', dateEnd: '2032-03-03' },
  };
}

const claimsOf = (event: Envelope) => [`RoomNight#${event.data.roomId}#2032-03-01`, `RoomNight#${event.data.roomId}#2032-03-02`];

export async function run(context: BenchContext): Promise<BenchResult> {
  const assembly = readCoreAssembly(await context.cdkOut());
  const api = assembly.apis[0]!;
  const appendStep = Object.values(api.functions).find((fn) => fn.name === 'appendEvent');
  if (!appendStep) throw new Error('The synthesized app has no appendEvent function');
  const table = api.environment.EVENT_STORE_TABLE!;

  const db = await DynamoDbLocal.start();
  const client = createDataSourceClient(db.endpoint);
  try {
    const admin = db.createClient();
    await createTablesFromTemplate(
      admin,
      Object.fromEntries(
        assembly.tables.map((t) => [t.logicalId, { Type: t.type, Properties: { ...t.properties, TableName: t.tableName } }]),
      ),
    );
    // Castore's documented single-table layout, with its initialEvents index.
    await admin.send(
      new CreateTableCommand({
        TableName: CASTORE_TABLE,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: EVENT_TABLE_PK, AttributeType: 'S' },
          { AttributeName: EVENT_TABLE_SK, AttributeType: 'N' },
          { AttributeName: EVENT_TABLE_EVENT_STORE_ID_KEY, AttributeType: 'S' },
          { AttributeName: EVENT_TABLE_TIMESTAMP_KEY, AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: EVENT_TABLE_PK, KeyType: 'HASH' },
          { AttributeName: EVENT_TABLE_SK, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: EVENT_TABLE_INITIAL_EVENT_INDEX_NAME,
            KeySchema: [
              { AttributeName: EVENT_TABLE_EVENT_STORE_ID_KEY, KeyType: 'HASH' },
              { AttributeName: EVENT_TABLE_TIMESTAMP_KEY, KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'KEYS_ONLY' },
          },
        ],
      }),
    );
    admin.destroy();

    // One client for all three sides: the data source's own (keep-alive, same timeouts).
    const documents = DynamoDBDocumentClient.from(client);
    const castore = new DynamoDBSingleTableEventStorageAdapter({ tableName: CASTORE_TABLE, dynamoDBClient: client });
    const resolver: Resolver = createResolver(
      {
        kind: 'PIPELINE',
        typeName: 'Mutation',
        fieldName: 'benchAppend',
        code: loadCode(BENCH_RESOLVER, { file: 'Mutation.benchAppend.js' }),
        functions: [{ name: 'appendEvent', dataSource: 'EventStoreTable', code: loadCode(appendStep.code, { file: 'appendEvent.js' }) }],
      },
      { EventStoreTable: new AppSyncDynamoDbDataSource({ client, tableName: table }) },
    );

    const ours = (constrained: boolean) => async () => {
      const event = newEvent();
      const result = await resolver.resolve({
        arguments: {
          stream: { type: 'Reservation', id: event.aggregateId },
          append: { event, constraints: { claim: constrained ? claimsOf(event) : [], release: [] } },
        },
        identity: null,
        env: api.environment,
      });
      if ((result.data as { kind?: string } | null)?.kind !== 'APPENDED')
        throw new Error(`engine append failed: ${JSON.stringify(result.errors)}`);
    };
    // The raw side writes what the store step writes: the event item (with its storedAt), and in
    // the transaction the claims and the check that the command has no answer yet.
    const slotIsFree = { ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': 'streamId' } };
    const storedItem = (event: Envelope) => ({
      ...event,
      streamId: `Reservation#${event.aggregateId}`,
      storedAt: new Date().toISOString(),
    });
    const rawPut = async () => {
      const event = newEvent();
      await documents.send(new PutCommand({ TableName: table, Item: storedItem(event), ...slotIsFree }));
    };
    const rawTransaction = async () => {
      const event = newEvent();
      const claim = (key: string) => ({
        Put: {
          TableName: table,
          Item: { streamId: key, version: 0, kind: 'UniqueConstraint', aggregateId: event.aggregateId, commandId: event.commandId },
          ...slotIsFree,
        },
      });
      await documents.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: table, Item: storedItem(event), ...slotIsFree } },
            ...claimsOf(event).map(claim),
            { ConditionCheck: { TableName: table, Key: { streamId: commandAnswerKey(event.commandId), version: 0 }, ...slotIsFree } },
          ],
        }),
      );
    };
    // Guard: the two sides must send the same DynamoDB request shapes, or the store changed and this file must follow.
    const shapes: string[] = [];
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { TransactItems?: Record<string, unknown>[] };
        shapes.push(
          `${String(context.commandName)}${input.TransactItems ? `(${input.TransactItems.map((item) => Object.keys(item)[0]).join(',')})` : ''}`,
        );
        return next(args);
      },
      { step: 'initialize', name: 'benchAppendShapes' },
    );
    const shapeOf = async (fn: () => Promise<void>) => {
      shapes.length = 0;
      await fn();
      return shapes.join(' ');
    };
    for (const [ourSide, rawSide] of [
      [ours(false), rawPut],
      [ours(true), rawTransaction],
    ] as const) {
      const [a, b] = [await shapeOf(ourSide), await shapeOf(rawSide)];
      if (a !== b)
        throw new Error(`The store step now sends ${a}, the raw side ${b}: update bench/append.ts to write what the store writes.`);
    }
    client.middlewareStack.remove('benchAppendShapes');
    const castorePush = async () => {
      const { eventId, type, aggregateId, version, occurredAt, commandId, correlationId, causationId, actor, schemaVersion, data } =
        newEvent();
      await castore.pushEvent(
        {
          aggregateId,
          version,
          type,
          timestamp: occurredAt,
          payload: data,
          metadata: { eventId, commandId, correlationId, causationId, actor, schemaVersion },
        },
        { eventStoreId: 'Reservation' },
      );
    };

    const cases = [
      { name: 'common append: 1 conditional PutItem', sides: { ours: ours(false), raw: rawPut, castore: castorePush } },
      {
        name: 'unique constraints: TransactWriteItems (event + 2 claims + answer check)',
        sides: { ours: ours(true), raw: rawTransaction },
      },
    ] as const;

    const rows: Row[] = [];
    const caseData: Record<string, unknown>[] = [];
    const targets: BenchResult['targets'] = [];
    for (const benchCase of cases) {
      const sides = benchCase.sides as Record<string, () => Promise<void>>;
      for (const fn of Object.values(sides)) await latenciesMs(WARMUP, fn);
      const names = Object.keys(sides);
      const latency = await sideBySide(
        ROUNDS,
        Object.fromEntries(names.map((name) => [name, async () => median(await latenciesMs(SEQUENTIAL, sides[name]!))])),
      );
      const throughput = await sideBySide(
        ROUNDS,
        Object.fromEntries(names.map((name) => [name, () => throughputPerS(CONCURRENT, CONCURRENCY, sides[name]!)])),
      );
      for (const name of names) {
        const latencyRatio = name === 'ours' ? undefined : summarize(ratiosOf(latency.ours!, latency[name]!));
        const throughputRatio = name === 'ours' ? undefined : summarize(ratiosOf(throughput.ours!, throughput[name]!));
        rows.push({
          case: benchCase.name,
          side: name === 'ours' ? 'ours (engine + data source)' : name === 'raw' ? 'raw (lib-dynamodb)' : 'Castore adapter',
          'latency ms (1 in flight)': spread(summarize(latency[name]!), 3),
          [`events/s (${CONCURRENCY} in flight)`]: spread(summarize(throughput[name]!), 0),
          'ours / this: latency': latencyRatio ? ratioText(latencyRatio) : '',
          'ours / this: events/s': throughputRatio ? ratioText(throughputRatio) : '',
        });
        if (name === 'raw') {
          targets.push({
            target: `${benchCase.name}: latency within 1.3× of raw`,
            met: latencyRatio!.median <= 1.3,
            measured: `${fixed(latencyRatio!.median)}× latency, ${fixed(throughputRatio!.median)}× events/s`,
          });
        }
        if (name === 'castore') {
          targets.push({
            target: `${benchCase.name}: ahead of Castore`,
            met: latencyRatio!.median < 1 && throughputRatio!.median > 1,
            measured: `${fixed(latencyRatio!.median)}× Castore's latency, ${fixed(throughputRatio!.median)}× its events/s`,
          });
        }
      }
      caseData.push({ name: benchCase.name, latencyMsPerRound: latency, eventsPerSecondPerRound: throughput });
    }
    return {
      name: 'append',
      title: 'Append: our event-store write vs raw lib-dynamodb vs Castore, on DynamoDB Local',
      tables: [
        {
          title: `Median (min–max) over ${ROUNDS} rounds; latency = median of ${SEQUENTIAL} sequential appends; events/s over ${CONCURRENT} appends; ratios per round (latency: < 1 is faster; events/s: > 1 is faster)`,
          rows,
        },
      ],
      targets,
      notes: [
        'ours = the synthesized appendEvent step (bundled APPSYNC_JS) in a one-step pipeline, run by local/engine with AppSyncDynamoDbDataSource; each append goes to a new stream at version 1.',
        "All sides share one DynamoDBClient (the data source's: keep-alive, max 64 sockets) and one DynamoDB Local; Castore writes its own table (aggregateId/version keys + initialEvents GSI, as documented).",
      ],
      data: { rounds: ROUNDS, warmup: WARMUP, sequential: SEQUENTIAL, concurrent: CONCURRENT, concurrency: CONCURRENCY, cases: caseData },
    };
  } finally {
    client.destroy();
    await db.stop();
  }
}
