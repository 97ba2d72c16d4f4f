/**
 * Benchmark 6, cost per million commands on AWS: the operations one `createReservation` really
 * causes in a local run, counted, times AWS's us-east-1 list prices (bench/prices.json, each with
 * its source and the date it was checked), compared with the aarts project's published figure.
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
 */
import { readFileSync } from 'node:fs';
import type { ConsumedCapacity } from '@aws-sdk/client-dynamodb';
import { startLocalCore } from '../dev/localCore.ts';
import { CommandDriver } from './commandDriver.ts';
import { fixed, summarize, spread, type BenchResult, type Row } from './measure.ts';
import type { BenchContext } from './run.ts';
import { StackProbe, type DynamoDbCall } from './stackProbe.ts';

const ROUNDS = 3;
const COMMANDS = 60;
const CONCURRENCY = 4;
/** The aarts project's published figure: 250,000 events for about $40. */
const AARTS_USD_PER_MILLION = (40 / 250_000) * 1e6;
const TARGET_USD_PER_MILLION = 15;

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

export async function run(context: BenchContext): Promise<BenchResult> {
  const prices = JSON.parse(readFileSync(new URL('./prices.json', import.meta.url), 'utf8')) as Prices;
  const probe = new StackProbe();
  let driver: CommandDriver | undefined;
  let subscribes = 0;
  const core = await startLocalCore({
    cdkOut: await context.cdkOut(),
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
    probe.attach(stack, { consumedCapacity: true });
    driver = new CommandDriver({ graphqlUrl: `http://127.0.0.1:${stack.port}/graphql`, apiKey: stack.apiKey, caFile: stack.caFile });
    await driver.commands(10, CONCURRENCY);

    const rounds: PerCommand[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      probe.reset();
      const messagesBefore = driver.messages;
      const subscribesBefore = subscribes;
      const { wallMs } = await driver.commands(COMMANDS, CONCURRENCY);
      // Let the last deliveries' bookkeeping land (they are already answered).
      await new Promise((resolve) => setTimeout(resolve, 50));
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
      rounds.push({
        appsyncRequests: probe.requests.length / COMMANDS,
        realtimeUpdates: (driver.messages - messagesBefore + subscribes - subscribesBefore) / COMMANDS,
        // One connection (Amplify shares it) open for the round.
        connectionMinutes: wallMs / 60_000 / COMMANDS,
        eventBridgeEvents: probe.putEvents.reduce((sum, call) => sum + call.entries, 0) / COMMANDS,
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

    const p = prices.prices;
    const lines = [
      { service: 'AppSync requests (query/mutation)', key: 'appsyncRequests', price: p.appsyncRequest },
      { service: 'AppSync real-time updates (subscribe + message)', key: 'realtimeUpdates', price: p.appsyncRealtimeMessage },
      { service: 'AppSync connection-minutes', key: 'connectionMinutes', price: p.appsyncConnectionMinute },
      { service: 'EventBridge custom events', key: 'eventBridgeEvents', price: p.eventBridgeCustomEvent },
      { service: 'DynamoDB write request units', key: 'writeUnits', price: p.dynamoDbWriteRequestUnit },
      { service: 'DynamoDB read request units', key: 'readUnits', price: p.dynamoDbReadRequestUnit },
    ] as const;
    const perRoundTotal = rounds.map((r) => lines.reduce((sum, line) => sum + r[line.key] * line.price.usdPerMillion, 0));
    const total = summarize(perRoundTotal);
    const rows: Row[] = lines.map((line) => {
      const counts = summarize(rounds.map((r) => r[line.key]));
      const usd = summarize(rounds.map((r) => r[line.key] * line.price.usdPerMillion));
      return {
        service: line.service,
        'per command': spread(counts, line.key === 'connectionMinutes' ? 5 : 2),
        'USD per million units': fixed(line.price.usdPerMillion, 3),
        'USD per million commands': spread(usd, 2),
        share: `${fixed((100 * usd.median) / total.median, 0)}%`,
      };
    });
    rows.push({
      service: 'total',
      'per command': '',
      'USD per million units': '',
      'USD per million commands': spread(total, 2),
      share: '100%',
    });

    // What-ifs from the same counts: which design choice would take it lower.
    const base = total.median;
    const median = (key: keyof Omit<PerCommand, 'unitsByOperation' | 'conditionChecks'>) => summarize(rounds.map((r) => r[key])).median;
    const conditionChecks = (round: (typeof rounds)[number]) => round.conditionChecks;
    const checks = summarize(rounds.map(conditionChecks)).median;
    const transactWrite = summarize(rounds.map((r) => r.unitsByOperation.TransactWriteItems?.write ?? 0)).median;
    const whatIf = (change: string, usd: number): Row => ({
      'design change': change,
      'USD per million commands': fixed(usd, 2),
      'vs today': `${fixed(usd / base)}×`,
    });
    const eventBridge = p.eventBridgeCustomEvent.usdPerMillion * median('eventBridgeEvents');
    const oneRequest = p.appsyncRequest.usdPerMillion;
    const oneUpdate = p.appsyncRealtimeMessage.usdPerMillion;
    const whatIfRows: Row[] = [
      whatIf('today (measured)', base),
      whatIf(
        'A. subscribe once per client session (e.g. onReservationSaved by userId, a schema change) instead of once per command',
        base - oneUpdate * (median('realtimeUpdates') - 1),
      ),
      whatIf(
        'B. append in the command pipeline and publish the outcome with a NONE-source mutation: no EventBridge event (still 2 AppSync requests)',
        base - eventBridge,
      ),
      whatIf('A + B', base - oneUpdate * (median('realtimeUpdates') - 1) - eventBridge),
      whatIf(
        'C. synchronous: createReservation appends and answers SAVED itself, subscribers hear that mutation (1 request, no EventBridge; gives up accepted-before-stored)',
        base - eventBridge - oneRequest * (median('appsyncRequests') - 1),
      ),
      whatIf(
        `F. no ConditionCheck of the command's answer item in the store transaction (${fixed(checks, 0)} per command, 2 WRU each; exactly-one-answer found another way)`,
        base - 2 * checks * p.dynamoDbWriteRequestUnit.usdPerMillion,
      ),
      whatIf(
        'A + B + F',
        base - oneUpdate * (median('realtimeUpdates') - 1) - eventBridge - 2 * checks * p.dynamoDbWriteRequestUnit.usdPerMillion,
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
    const perMillion = total.median;
    return {
      name: 'cost',
      title: 'Cost per million createReservation commands on AWS (us-east-1 list prices)',
      tables: [
        {
          title: `Operations one command causes, counted over ${ROUNDS} rounds of ${COMMANDS} commands (median (min–max) per round) × list prices checked ${prices.checked} (bench/prices.json)`,
          rows,
        },
        { title: 'Which design choice would take it lower (same counts, changed design)', rows: whatIfRows },
        {
          title: 'DynamoDB units per command by operation (median round)',
          rows: Object.entries(rounds[Math.floor(rounds.length / 2)]!.unitsByOperation).map(([operation, units]) => ({
            operation,
            'calls per command': fixed(units.calls, 2),
            'read units (AWS rules)': fixed(units.read, 2),
            'write units (AWS rules)': fixed(units.write, 2),
            'read units (DynamoDB Local reports)': fixed(units.reportedRead, 2),
            'write units (DynamoDB Local reports)': fixed(units.reportedWrite, 2),
          })),
        },
      ],
      targets: [
        {
          target: `under $${TARGET_USD_PER_MILLION} per million commands`,
          met: perMillion < TARGET_USD_PER_MILLION,
          measured: `$${fixed(perMillion, 2)} per million`,
        },
        {
          target: `below the aarts project's published figure ($${fixed(AARTS_USD_PER_MILLION, 0)} per million: 250,000 events for about $40)`,
          met: perMillion < AARTS_USD_PER_MILLION,
          measured: `${fixed(perMillion / AARTS_USD_PER_MILLION, 3)}× of it`,
        },
      ],
      notes: [
        'A ConditionCheck in TransactWriteItems is priced as a transactional write of its item (2 WRU): the AWS pages reached here do not state it explicitly.',
        'One command = createReservation of a 2-night stay with its onReservationSaved subscription, end to end (SAVED).',
        'Real-time updates count the subscription start and the data message; AWS also counts connection set-up (amortised here over the run, one shared connection) and may count the unsubscribe.',
        "DynamoDB units are priced by AWS's documented rules applied to the requests and items of the run (strongly consistent read: 1 RRU per 4 KB, at least 1 per Query and per BatchGetItem key; transactional write: 2 WRU per KB per item). DynamoDB Local, asked with ReturnConsumedCapacity TOTAL, reports 0 for reads that find nothing and does not double transactional writes; its figures are shown next to them.",
      ],
      data: { rounds, prices, aartsUsdPerMillion: AARTS_USD_PER_MILLION },
    };
  } finally {
    await core.stop();
  }
}
