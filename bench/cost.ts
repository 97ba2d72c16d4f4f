/**
 * Benchmark 6, cost per million commands on AWS: the operations one `createReservation` really
 * causes in a local run, counted, times AWS's us-east-1 list prices (bench/prices.json, each with
 * its source and the date it was checked), compared with the aarts project's published figure.
 * Measured for both deliveries (infra/Aggregate.ts), side by side: 'bus' (the app as it is: answer
 * PENDING, outcome on onReservationSaved, which the client subscribes to per command) and 'direct'
 * (the app synthesized with context delivery=Reservation:direct: the command appends and answers
 * SAVED; the outbox's stored event reaches onReservationSaved through publishReservationSaved,
 * counted whether or not anyone listens; the sender subscribes to nothing), and 'direct-none'
 * (also storedEventSubscribers=Reservation:none: no publish rule; subscribers listen on
 * onReservationCommandAnswered, which AppSync fills from the command's own answer, design C).
 *
 *   npm run bench -- cost
 *
 * Counted on the in-process local stack, without changing its code (see stackProbe.ts):
 * - AppSync requests: every query/mutation the API executes (the stack's onRequest hook), the
 *   EventBridge rule's call of saveReservationEvent included;
 * - real-time updates: subscription starts (the server's `subscribe` line) and data messages the
 *   client received; connection-minutes: one shared Amplify connection for the run's wall time;
 * - EventBridge events: entries of every PutEvents (a wrapper on the bus instance);
 * - DynamoDB read and write units: `ReturnConsumedCapacity: 'TOTAL'` added to every call of the
 *   data sources' client; priced by AWS's documented unit rules applied to the same requests and
 *   items, because DynamoDB Local under-reports (0 for empty reads, no transactional doubling).
 *
 * The read models are left out of both (their rule, applyStoredEvent, is disabled for the run):
 * they cost the same whichever delivery stores the event. The outbox pipe's PutEvents are counted
 * in both, since the deployed pipe publishes every stored event either way.
 */
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ConsumedCapacity } from '@aws-sdk/client-dynamodb';
import { startLocalCore } from '../dev/localCore.ts';
import { synthesize } from '../local/index.ts';
import { CommandDriver } from './commandDriver.ts';
import { fixed, summarize, spread, type BenchResult, type Row } from './measure.ts';
import type { BenchContext } from './run.ts';
import { StackProbe, type DynamoDbCall } from './stackProbe.ts';

const ROUNDS = 3;
const COMMANDS = 60;
const CONCURRENCY = 4;
/** The aarts project's published figure: 250,000 events for about $40. */
const AARTS_USD_PER_MILLION = (40 / 250_000) * 1e6;
/** The goals of issue 13: the seed's flow ('bus') and direct delivery (either way of telling subscribers). */
const TARGET_USD_PER_MILLION = { bus: 15, direct: 10, 'direct-none': 10 } as const;
/** 'direct-none': direct delivery with storedEventSubscribers 'none' (infra/Aggregate.ts). */
type Delivery = keyof typeof TARGET_USD_PER_MILLION;
const DELIVERIES: Delivery[] = ['bus', 'direct', 'direct-none'];
/** The context each variant is synthesized with (infra/app.ts); bus is the app as it ships. */
const CONTEXT: Record<Exclude<Delivery, 'bus'>, Record<string, string>> = {
  direct: { delivery: 'Reservation:direct' },
  'direct-none': { delivery: 'Reservation:direct', storedEventSubscribers: 'Reservation:none' },
};

interface Prices {
  checked: string;
  prices: Record<
    | 'appsyncRequest'
    | 'appsyncRealtimeMessage'
    | 'appsyncConnectionMinute'
    | 'eventBridgeCustomEvent'
    | 'dynamoDbWriteRequestUnit'
    | 'dynamoDbReadRequestUnit',
    { usdPerMillion: number; source: string }
  >;
}

/** What one command causes, averaged over a round. */
interface PerCommand {
  appsyncRequests: number;
  realtimeUpdates: number;
  connectionMinutes: number;
  eventBridgeEvents: number;
  /** Of which the outbox pipe's (stored events, source app.eventstore). */
  outboxEvents: number;
  /** By AWS's documented rules (the cost basis). */
  readUnits: number;
  writeUnits: number;
  /** As DynamoDB Local reported them (ReturnConsumedCapacity TOTAL). */
  reportedReadUnits: number;
  reportedWriteUnits: number;
  /** ConditionCheck items in TransactWriteItems per command. */
  conditionChecks: number;
  /** Units by DynamoDB operation, for the reading of where they come from. */
  unitsByOperation: Record<string, { read: number; write: number; reportedRead: number; reportedWrite: number; calls: number }>;
}

const READS = new Set(['Query', 'GetItem', 'BatchGetItem', 'Scan', 'TransactGetItems']);

function unitsOf(call: DynamoDbCall): { read: number; write: number } {
  let read = 0;
  let write = 0;
  for (const consumed of call.consumed as ConsumedCapacity[]) {
    const total = consumed.CapacityUnits ?? 0;
    const r = consumed.ReadCapacityUnits ?? (READS.has(call.operation) ? total : 0);
    const w = consumed.WriteCapacityUnits ?? (READS.has(call.operation) ? 0 : total);
    read += r;
    write += w;
  }
  return { read, write };
}

/** Rounds of COMMANDS commands against the app in `cdkOut`, every operation counted. */
async function measure(cdkOut: string, delivery: Delivery): Promise<PerCommand[]> {
  const probe = new StackProbe();
  let driver: CommandDriver | undefined;
  let subscribes = 0;
  const core = await startLocalCore({
    cdkOut,
    port: 0,
    host: '127.0.0.1',
    tlsDir: '.local/tls',
    onRequest: probe.onRequest,
    onEvent: (line) => {
      if (line.startsWith('subscribe ')) subscribes += 1;
      driver?.serverLine(line);
    },
  });
  const stack = core.stack;
  try {
    // Read models are priced apart: the same for both deliveries.
    let disabled = 0;
    for (const bus of stack.bus.listEventBuses().EventBuses) {
      for (const rule of stack.bus.listRules({ EventBusName: bus.Name }).Rules) {
        const targets = stack.bus.listTargetsByRule({ Rule: rule.Name, EventBusName: bus.Name }).Targets;
        if (targets.some((target) => target.AppSyncParameters?.GraphQLOperation?.includes('applyStoredEvent'))) {
          stack.bus.disableRule({ Name: rule.Name, EventBusName: bus.Name });
          disabled += 1;
        }
      }
    }
    if (disabled !== 1) throw new Error(`expected one rule calling applyStoredEvent to disable, found ${disabled}`);
    probe.attach(stack, { consumedCapacity: true });
    driver = new CommandDriver({ graphqlUrl: `http://127.0.0.1:${stack.port}/graphql`, apiKey: stack.apiKey, caFile: stack.caFile });
    // Until the round's outbox events (and, direct, their publishReservationSaved calls) have happened.
    const settled = async (count: number) => {
      const deadline = performance.now() + 15_000;
      const outbox = () => probe.putEvents.flatMap((call) => call.sources).filter((source) => source === 'app.eventstore').length;
      const published = () => probe.requests.filter((request) => request.fields.includes('Mutation.publishReservationSaved')).length;
      while (outbox() < count || (delivery === 'direct' && published() < count)) {
        if (performance.now() > deadline) throw new Error(`only ${outbox()} of ${count} stored events reached the bus`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    probe.reset();
    const sent = delivery === 'bus' ? 'bus' : 'direct';
    await driver.commands(10, CONCURRENCY, sent);
    await settled(10);

    const rounds: PerCommand[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      probe.reset();
      const messagesBefore = driver.messages;
      const subscribesBefore = subscribes;
      const { wallMs } = await driver.commands(COMMANDS, CONCURRENCY, sent);
      await settled(COMMANDS);
      const unitsByOperation: PerCommand['unitsByOperation'] = {};
      let readUnits = 0;
      let writeUnits = 0;
      let reportedReadUnits = 0;
      let reportedWriteUnits = 0;
      for (const call of probe.dynamoDbCalls) {
        const reported = unitsOf(call);
        readUnits += call.documented.read;
        writeUnits += call.documented.write;
        reportedReadUnits += reported.read;
        reportedWriteUnits += reported.write;
        const entry = (unitsByOperation[call.operation] ??= { read: 0, write: 0, reportedRead: 0, reportedWrite: 0, calls: 0 });
        entry.read += call.documented.read / COMMANDS;
        entry.write += call.documented.write / COMMANDS;
        entry.reportedRead += reported.read / COMMANDS;
        entry.reportedWrite += reported.write / COMMANDS;
        entry.calls += 1 / COMMANDS;
      }
      const sources = probe.putEvents.flatMap((call) => call.sources);
      rounds.push({
        appsyncRequests: probe.requests.length / COMMANDS,
        realtimeUpdates: (driver.messages - messagesBefore + subscribes - subscribesBefore) / COMMANDS,
        // One connection (Amplify shares it) open for the round; direct opens none.
        connectionMinutes: delivery === 'bus' ? wallMs / 60_000 / COMMANDS : 0,
        eventBridgeEvents: sources.length / COMMANDS,
        outboxEvents: sources.filter((source) => source === 'app.eventstore').length / COMMANDS,
        readUnits: readUnits / COMMANDS,
        writeUnits: writeUnits / COMMANDS,
        reportedReadUnits: reportedReadUnits / COMMANDS,
        reportedWriteUnits: reportedWriteUnits / COMMANDS,
        conditionChecks:
          probe.dynamoDbCalls.reduce((sum, call) => sum + call.transactKinds.filter((kind) => kind === 'ConditionCheck').length, 0) /
          COMMANDS,
        unitsByOperation,
      });
    }
    return rounds;
  } finally {
    await core.stop();
  }
}

export async function run(context: BenchContext): Promise<BenchResult> {
  const prices = JSON.parse(readFileSync(new URL('./prices.json', import.meta.url), 'utf8')) as Prices;
  const measured = { bus: await measure(await context.cdkOut(), 'bus') } as Record<Delivery, PerCommand[]>;
  for (const variant of ['direct', 'direct-none'] as const) {
    const out = path.join(tmpdir(), `bench-cdk-out-${variant}-${process.pid}`);
    measured[variant] = await measure((await synthesize(context.projectDir, out, { context: CONTEXT[variant] })).outdir, variant);
  }
  const { bus: busRounds, direct: directRounds, 'direct-none': noneRounds } = measured;
  const p = prices.prices;
  const lines = [
    { service: 'AppSync requests (query/mutation)', key: 'appsyncRequests', price: p.appsyncRequest },
    { service: 'AppSync real-time updates (subscribe + message)', key: 'realtimeUpdates', price: p.appsyncRealtimeMessage },
    { service: 'AppSync connection-minutes', key: 'connectionMinutes', price: p.appsyncConnectionMinute },
    { service: 'EventBridge custom events (decided + outbox)', key: 'eventBridgeEvents', price: p.eventBridgeCustomEvent },
    { service: 'DynamoDB write request units', key: 'writeUnits', price: p.dynamoDbWriteRequestUnit },
    { service: 'DynamoDB read request units', key: 'readUnits', price: p.dynamoDbReadRequestUnit },
  ] as const;
  const totalOf = (rounds: PerCommand[]) =>
    summarize(rounds.map((r) => lines.reduce((sum, line) => sum + r[line.key] * line.price.usdPerMillion, 0)));
  const totals = { bus: totalOf(busRounds), direct: totalOf(directRounds), 'direct-none': totalOf(noneRounds) };
  const rows: Row[] = lines.map((line) => {
    const cells = (rounds: PerCommand[], delivery: Delivery) => {
      const counts = summarize(rounds.map((r) => r[line.key]));
      const usd = summarize(rounds.map((r) => r[line.key] * line.price.usdPerMillion));
      return {
        [`${delivery}: per command`]: spread(counts, line.key === 'connectionMinutes' ? 5 : 2),
        [`${delivery}: USD per million commands`]: spread(usd, 2),
      };
    };
    return {
      service: line.service,
      'USD per million units': fixed(line.price.usdPerMillion, 3),
      ...Object.assign({}, ...DELIVERIES.map((delivery) => cells(measured[delivery], delivery))),
    };
  });
  rows.push({
    service: 'total',
    'USD per million units': '',
    'bus: per command': '',
    'bus: USD per million commands': spread(totals.bus, 2),
    'direct: per command': '',
    'direct: USD per million commands': spread(totals.direct, 2),
    'direct-none: per command': '',
    'direct-none: USD per million commands': spread(totals['direct-none'], 2),
  });

  // What-ifs on the seed's flow, from the same counts: which change of its design would take it lower.
  const base = totals.bus.median;
  const median = (key: keyof Omit<PerCommand, 'unitsByOperation'>) => summarize(busRounds.map((r) => r[key])).median;
  const checks = median('conditionChecks');
  const transactWrite = summarize(busRounds.map((r) => r.unitsByOperation.TransactWriteItems?.write ?? 0)).median;
  const whatIf = (change: string, usd: number): Row => ({
    'design change': change,
    'USD per million commands': fixed(usd, 2),
    'vs bus': `${fixed(usd / base)}×`,
  });
  const oneUpdate = p.appsyncRealtimeMessage.usdPerMillion;
  const sessionSubscription = oneUpdate * (median('realtimeUpdates') - 1);
  const noAnswerCheck = 2 * checks * p.dynamoDbWriteRequestUnit.usdPerMillion;
  const whatIfRows: Row[] = [
    whatIf('bus, as it is (measured)', base),
    whatIf(
      'A. subscribe once per client session (e.g. onReservationSaved by userId, a schema change) instead of once per command',
      base - sessionSubscription,
    ),
    whatIf(
      `F. no ConditionCheck of the command's answer item in the store transaction (${fixed(checks, 0)} per command, 2 WRU each; exactly-one-answer found another way)`,
      base - noAnswerCheck,
    ),
    whatIf('A + F', base - sessionSubscription - noAnswerCheck),
    whatIf('B. direct delivery (measured: appended in the command pipeline, answered in the response)', totals.direct.median),
    whatIf(
      'C. direct-none (measured): subscribers bound to the command mutation itself (onReservationCommandAnswered) instead of publishReservationSaved',
      totals['direct-none'].median,
    ),
    whatIf(
      'C without the outbox event, i.e. counting it with the read models it then alone serves (as applyStoredEvent is)',
      totals['direct-none'].median - p.eventBridgeCustomEvent.usdPerMillion * summarize(noneRounds.map((r) => r.outboxEvents)).median,
    ),
    whatIf(
      'D. room-night claims as plain conditional puts, not a transaction (loses atomicity: not recommended)',
      base - (transactWrite / 2) * p.dynamoDbWriteRequestUnit.usdPerMillion,
    ),
    whatIf(
      'E. eventually consistent reads on the command side (not recommended: decides on a stale stream)',
      base - (median('readUnits') / 2) * p.dynamoDbReadRequestUnit.usdPerMillion,
    ),
  ];
  const unitsRows = (rounds: PerCommand[], delivery: Delivery): Row[] =>
    Object.entries(rounds[Math.floor(rounds.length / 2)]!.unitsByOperation).map(([operation, units]) => ({
      delivery,
      operation,
      'calls per command': fixed(units.calls, 2),
      'read units (AWS rules)': fixed(units.read, 2),
      'write units (AWS rules)': fixed(units.write, 2),
      'read units (DynamoDB Local reports)': fixed(units.reportedRead, 2),
      'write units (DynamoDB Local reports)': fixed(units.reportedWrite, 2),
    }));
  const target = (delivery: Delivery) => ({
    target: `${delivery}: at most $${TARGET_USD_PER_MILLION[delivery]} per million commands`,
    met: totals[delivery].median <= TARGET_USD_PER_MILLION[delivery],
    measured: `$${fixed(totals[delivery].median, 2)} per million`,
  });
  return {
    name: 'cost',
    title: 'Cost per million createReservation commands on AWS (us-east-1 list prices), bus, direct and direct-none delivery',
    tables: [
      {
        title: `Operations one command causes, counted over ${ROUNDS} rounds of ${COMMANDS} commands per delivery (median (min–max) per round) × list prices checked ${prices.checked} (bench/prices.json)`,
        rows,
      },
      { title: 'Which design choice would take the seed’s flow lower (same counts, changed design)', rows: whatIfRows },
      {
        title: 'DynamoDB units per command by operation (median round)',
        rows: DELIVERIES.flatMap((delivery) => unitsRows(measured[delivery], delivery)),
      },
    ],
    targets: [
      target('bus'),
      target('direct'),
      target('direct-none'),
      {
        target: `below the aarts project's published figure ($${fixed(AARTS_USD_PER_MILLION, 0)} per million: 250,000 events for about $40)`,
        met: totals.bus.median < AARTS_USD_PER_MILLION,
        measured:
          DELIVERIES.map((delivery) => `${delivery} ${fixed(totals[delivery].median / AARTS_USD_PER_MILLION, 3)}×`).join(', ') + ' of it',
      },
    ],
    notes: [
      'A ConditionCheck in TransactWriteItems is priced as a transactional write of its item (2 WRU): the AWS pages reached here do not state it explicitly.',
      'One command = createReservation of a 2-night stay. bus: with its onReservationSaved subscription, end to end (SAVED on the subscription). direct: SAVED in the response; publishReservationSaved (the outbox → rule → NONE mutation that tells onReservationSaved subscribers) runs for every stored event and is counted, its real-time messages only when someone subscribes (no one here: add $2 per million commands per listening subscriber). direct-none: SAVED in the response, no publish rule; onReservationCommandAnswered subscribers hear the answer from the command itself, at no AppSync request (again $2 per million per listening subscriber, none here).',
      'The outbox pipe publishes every stored event to the bus in both deliveries (1 EventBridge event per command); the read models it feeds (applyStoredEvent) are left out of both, as they cost the same either way. EventBridge Pipes requests ($0.40 per million after filtering, the same for both) are not in bench/prices.json.',
      'Real-time updates count the subscription start and the data message; AWS also counts connection set-up (amortised here over the run, one shared connection) and may count the unsubscribe.',
      "DynamoDB units are priced by AWS's documented rules applied to the requests and items of the run (strongly consistent read: 1 RRU per 4 KB, at least 1 per Query and per BatchGetItem key; transactional write: 2 WRU per KB per item). DynamoDB Local, asked with ReturnConsumedCapacity TOTAL, reports 0 for reads that find nothing and does not double transactional writes; its figures are shown next to them.",
    ],
    data: { rounds: measured, prices, aartsUsdPerMillion: AARTS_USD_PER_MILLION },
  };
}
