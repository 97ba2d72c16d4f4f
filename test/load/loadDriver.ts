/**
 * The load driver shared by the scaled-down load test and `npm run test:load`:
 * sends a mix of reservation commands at a fixed concurrency against a running
 * local stack, watching each aggregate on onReservationSaved before sending,
 * and afterwards accounts for every command: its synchronous answer, every
 * message it got (kept watched past its deadline, so a late tombstone would
 * show), and what the store holds for it. Samples the RSS of this process
 * (which hosts the server) and of DynamoDB Local's Java.
 *
 * The mix (seeded, so runs repeat): about 3 in 4 commands create a reservation
 * of 1–3 nights in a small pool of rooms and dates, so some are refused at once
 * (RoomAlreadyReserved) and some race to the store (REJECTED); the rest cancel
 * a SAVED reservation, one in five of them a reservation already being
 * cancelled (ReservationAlreadyCancelled, or a version conflict).
 *
 * @example
 * const report = await runLoad({ stack, commands: 400, concurrency: 16, commandTimeoutSeconds: 2 });
 * expect(report.lost).toBe(0);
 */
import { readFileSync } from 'node:fs';
import { ulid } from 'ulid';
import type { LocalStack } from '../../local/index.ts';
import { sendCancel, sendCreate, type CommandAnswer } from './commands.ts';
import { OutcomeWatch, type SaveStatus } from './outcomeWatch.ts';
import { auditEventStore } from './storeAudit.ts';

export interface LoadOptions {
  stack: LocalStack;
  commands: number;
  concurrency: number;
  /** The API's COMMAND_TIMEOUT_SECONDS: each command is watched until this deadline plus a margin. */
  commandTimeoutSeconds: number;
  /** Rooms in the pool; default one per 12 commands (at least 6). */
  rooms?: number;
  /** Days of the calendar the stays fall in; default 60. */
  days?: number;
  seed?: number;
  /** Called every `progressEvery` answered commands. */
  onProgress?: (answered: number, report: { elapsedMs: number; rssMb: number; heapMb: number }) => void;
  progressEvery?: number;
}

export interface MemoryFigures {
  startMb: number;
  peakMb: number;
  endMb: number;
}

export interface LoadReport {
  commands: number;
  concurrency: number;
  commandTimeoutSeconds: number;
  durationMs: number;
  commandsPerSecond: number;
  creates: number;
  cancels: number;
  accepted: number;
  refusedByRule: number;
  refusedRules: Record<string, number>;
  /** Answered with an error that is not a rule (the store unavailable, a transport error). */
  failed: number;
  failedTypes: Record<string, number>;
  saved: number;
  rejected: number;
  timedOut: number;
  /** Accepted commands that got no terminal message. Must be 0. */
  lost: number;
  /** Accepted commands that got more than one message. */
  duplicates: number;
  /** Refused or failed commands that got a message anyway. */
  messagesForUnaccepted: number;
  /** Accepted commands whose message disagrees with the store (SAVED without its event, REJECTED with one, …). */
  storeMismatches: number;
  /** Consistency problems found by the store audit (gaps, claims without events, events without claims). */
  storeProblems: string[];
  /** REJECTED or TIMED_OUT answers the store recorded (`CommandAnswer#` items), when it records them. */
  recordedAnswers: number;
  streams: number;
  storedEvents: number;
  claims: number;
  latencyMs: { p50: number; p99: number; max: number };
  /** Synchronous answer of the command mutation. */
  answerMs: { p50: number; p99: number };
  serverRss: MemoryFigures;
  /** V8 heap in use in this process; after a full GC at start and end when run with --expose-gc. */
  serverHeap: MemoryFigures & { afterGc: boolean };
  dynamoDbRss: MemoryFigures;
  /** Examples of anything that went wrong, for the reader. */
  examples: string[];
}

interface Planned {
  kind: 'create' | 'cancel';
  id: string;
  commandId: string;
  answer?: CommandAnswer;
}

/** mulberry32: a small seeded PRNG, so a run's mix repeats. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! * 10) / 10;
}

const megabytes = (bytes: number) => Math.round((bytes / 1_048_576) * 10) / 10;

/** Heap in use, after a full collection when the process runs with --expose-gc (so growth is retained memory, not garbage). */
function heapMb(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return megabytes(process.memoryUsage().heapUsed);
}

/** VmRSS of a process from /proc, in MB (0 when unreadable, e.g. not Linux). */
export function processRssMb(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Math.round((Number(match[1]) / 1024) * 10) / 10 : 0;
  } catch {
    return 0;
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runLoad(options: LoadOptions): Promise<LoadReport> {
  const { stack, commands, concurrency, commandTimeoutSeconds } = options;
  const rooms = options.rooms ?? Math.max(6, Math.round(commands / 12));
  const days = options.days ?? 60;
  const next = random(options.seed ?? 7);
  const firstDay = '2034-01-01';
  const watchForMs = (commandTimeoutSeconds + 2.5) * 1000;

  const serverHeap = { startMb: heapMb(), peakMb: 0, endMb: 0, afterGc: typeof (globalThis as { gc?: unknown }).gc === 'function' };
  const serverRss = { startMb: megabytes(process.memoryUsage().rss), peakMb: 0, endMb: 0 };
  const dynamoDbRss = { startMb: processRssMb(stack.dynamoDb.javaPid), peakMb: 0, endMb: 0 };
  const sample = () => {
    const memory = process.memoryUsage();
    serverRss.peakMb = Math.max(serverRss.peakMb, megabytes(memory.rss));
    serverHeap.peakMb = Math.max(serverHeap.peakMb, megabytes(memory.heapUsed));
    dynamoDbRss.peakMb = Math.max(dynamoDbRss.peakMb, processRssMb(stack.dynamoDb.javaPid));
  };
  sample();
  const sampler = setInterval(sample, 250);

  const watch = await OutcomeWatch.connect(stack.realtimeUrl, stack.apiKey);
  const planned: Planned[] = [];
  /** SAVED reservations a cancel may pick; ones already picked stay for a duplicate cancel. */
  const cancellable: string[] = [];
  const beingCancelled: string[] = [];
  const unwatchTimers = new Set<NodeJS.Timeout>();
  const started = performance.now();
  let issued = 0;
  let answered = 0;

  const oneCommand = async (): Promise<void> => {
    const wantsCancel = next() < 0.25 && cancellable.length + beingCancelled.length > 0;
    let command: Planned;
    let send: () => Promise<CommandAnswer>;
    if (wantsCancel) {
      const duplicate = beingCancelled.length > 0 && (cancellable.length === 0 || next() < 0.2);
      const pool = duplicate ? beingCancelled : cancellable;
      const index = Math.floor(next() * pool.length);
      const id = pool[index]!;
      if (!duplicate) {
        cancellable.splice(index, 1);
        beingCancelled.push(id);
      }
      command = { kind: 'cancel', id, commandId: ulid() };
      send = () => sendCancel(stack, { id, commandId: command.commandId, reason: 'load' });
    } else {
      const dateStart = addDays(firstDay, Math.floor(next() * days));
      const input = {
        id: ulid(),
        commandId: ulid(),
        userId: `load-user-${Math.floor(next() * 1000)}`,
        roomId: `load-room-${Math.floor(next() * rooms)}`,
        dateStart,
        dateEnd: addDays(dateStart, 1 + Math.floor(next() * 3)),
      };
      command = { kind: 'create', id: input.id, commandId: input.commandId };
      send = () => sendCreate(stack, input);
    }
    planned.push(command);
    await watch.watch(command.id);
    const answer = await send();
    command.answer = answer;
    answered += 1;
    if (options.onProgress && answered % (options.progressEvery ?? 1000) === 0)
      options.onProgress(answered, {
        elapsedMs: performance.now() - started,
        rssMb: megabytes(process.memoryUsage().rss),
        heapMb: heapMb(),
      });
    // Keep the aggregate watched past the command's deadline: a second message would show.
    const timer = setTimeout(
      () => {
        unwatchTimers.delete(timer);
        watch.unwatch(command.id);
      },
      Math.max(0, answer.sentAt + watchForMs - performance.now()),
    );
    unwatchTimers.add(timer);
    if (answer.kind !== 'accepted') return;
    const outcome = await watch.first(command.commandId, watchForMs + 30_000).catch(() => undefined);
    if (outcome?.status === 'SAVED' && command.kind === 'create') cancellable.push(command.id);
  };

  const worker = async () => {
    while (issued < commands) {
      issued += 1;
      await oneCommand();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const sendingMs = performance.now() - started;

  // Past every deadline: schedules fired, the bus idle, each aggregate watched until its margin ran out.
  const settleBy = Date.now() + watchForMs + 60_000;
  while (stack.scheduler.list().length > 0 || unwatchTimers.size > 0) {
    if (Date.now() > settleBy) break;
    await pause(100);
  }
  await stack.bus.idle();
  await pause(500);
  sample();
  clearInterval(sampler);
  for (const timer of unwatchTimers) clearTimeout(timer);
  watch.close();

  const client = stack.dynamoDb.createClient();
  const audit = await auditEventStore(client, stack.tables[0]!).finally(() => client.destroy());
  serverHeap.endMb = heapMb();
  serverRss.endMb = megabytes(process.memoryUsage().rss);
  dynamoDbRss.endMb = processRssMb(stack.dynamoDb.javaPid);
  // The end is measured after the audit's full scan, which DynamoDB Local pays for in memory too.
  serverRss.peakMb = Math.max(serverRss.peakMb, serverRss.endMb);
  dynamoDbRss.peakMb = Math.max(dynamoDbRss.peakMb, dynamoDbRss.endMb);

  const report: LoadReport = {
    commands,
    concurrency,
    commandTimeoutSeconds,
    durationMs: Math.round(sendingMs),
    commandsPerSecond: Math.round((commands / sendingMs) * 1000 * 10) / 10,
    creates: planned.filter((command) => command.kind === 'create').length,
    cancels: planned.filter((command) => command.kind === 'cancel').length,
    accepted: 0,
    refusedByRule: 0,
    refusedRules: {},
    failed: 0,
    failedTypes: {},
    saved: 0,
    rejected: 0,
    timedOut: 0,
    lost: 0,
    duplicates: 0,
    messagesForUnaccepted: 0,
    storeMismatches: 0,
    storeProblems: audit.problems,
    recordedAnswers: audit.answers.size,
    streams: audit.streams.size,
    storedEvents: audit.eventCount,
    claims: audit.claims.size,
    latencyMs: { p50: 0, p99: 0, max: 0 },
    answerMs: { p50: 0, p99: 0 },
    serverRss,
    serverHeap,
    dynamoDbRss,
    examples: [],
  };
  const example = (text: string) => {
    if (report.examples.length < 10) report.examples.push(text);
  };
  const latencies: number[] = [];
  const answerTimes: number[] = [];
  const counts: Record<SaveStatus, number> = { SAVED: 0, REJECTED: 0, TIMED_OUT: 0 };
  for (const command of planned) {
    const answer = command.answer!;
    answerTimes.push(answer.answeredAt - answer.sentAt);
    const messages = watch.messagesOf(command.commandId);
    const events = audit.eventsByCommand.get(command.commandId) ?? [];
    if (answer.kind !== 'accepted') {
      if (answer.kind === 'refused') {
        report.refusedByRule += 1;
        for (const rule of answer.rules.length > 0 ? answer.rules : [answer.errorType])
          report.refusedRules[rule] = (report.refusedRules[rule] ?? 0) + 1;
      } else {
        report.failed += 1;
        report.failedTypes[answer.errorType] = (report.failedTypes[answer.errorType] ?? 0) + 1;
      }
      if (messages.length > 0) {
        report.messagesForUnaccepted += 1;
        example(
          `${command.kind} ${command.commandId} was ${answer.kind} (${answer.errorType}) but got ${messages.map((message) => message.status).join(', ')}`,
        );
      }
      if (events.length > 0) {
        report.storeMismatches += 1;
        example(`${command.kind} ${command.commandId} was ${answer.kind} but stored ${events[0]!.type}`);
      }
      continue;
    }
    report.accepted += 1;
    if (messages.length === 0) {
      report.lost += 1;
      example(`${command.kind} ${command.commandId} on ${command.id} was accepted and got no message`);
      continue;
    }
    if (messages.length > 1) {
      report.duplicates += 1;
      example(`${command.kind} ${command.commandId} on ${command.id} got ${messages.map((message) => message.status).join(' then ')}`);
    }
    const first = messages[0]!;
    counts[first.status] += 1;
    latencies.push(first.receivedAt - answer.sentAt);
    const recorded = audit.answers.get(command.commandId);
    const agrees =
      first.status === 'SAVED'
        ? events.length === 1 && events[0]!.type !== 'CommandTimedOut' && events[0]!.version === first.version
        : first.status === 'TIMED_OUT'
          ? (events.length === 1 && events[0]!.type === 'CommandTimedOut') || (events.length === 0 && recorded?.status === 'TIMED_OUT')
          : events.length === 0;
    if (!agrees) {
      report.storeMismatches += 1;
      example(
        `${command.kind} ${command.commandId} told ${first.status} v${first.version}, store holds ${events.map((event) => `${event.type} v${event.version}`).join(', ') || 'nothing'}`,
      );
    }
  }
  report.saved = counts.SAVED;
  report.rejected = counts.REJECTED;
  report.timedOut = counts.TIMED_OUT;
  latencies.sort((a, b) => a - b);
  answerTimes.sort((a, b) => a - b);
  report.latencyMs = { p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: Math.round(latencies.at(-1) ?? 0) };
  report.answerMs = { p50: percentile(answerTimes, 50), p99: percentile(answerTimes, 99) };
  for (const problem of audit.problems.slice(0, 5)) example(`store: ${problem}`);
  return report;
}

/** The report as the table `npm run test:load` prints. */
export function formatLoadReport(report: LoadReport): string {
  const rows: [string, string][] = [
    ['commands (creates / cancels)', `${report.commands} (${report.creates} / ${report.cancels}) at concurrency ${report.concurrency}`],
    ['sending time, throughput', `${(report.durationMs / 1000).toFixed(1)} s, ${report.commandsPerSecond} commands/s`],
    ['accepted (PENDING)', String(report.accepted)],
    ['refused by rule', `${report.refusedByRule} ${JSON.stringify(report.refusedRules)}`],
    ['failed (not a rule)', `${report.failed} ${JSON.stringify(report.failedTypes)}`],
    ['SAVED', String(report.saved)],
    ['REJECTED', String(report.rejected)],
    ['TIMED_OUT', String(report.timedOut)],
    ['lost (must be 0)', String(report.lost)],
    ['more than one message', String(report.duplicates)],
    ['messages to refused commands', String(report.messagesForUnaccepted)],
    ['message vs store mismatches', String(report.storeMismatches)],
    ['store problems (gaps, half writes)', String(report.storeProblems.length)],
    [
      'streams / events / claims / recorded answers',
      `${report.streams} / ${report.storedEvents} / ${report.claims} / ${report.recordedAnswers}`,
    ],
    ['command → message p50 / p99 / max', `${report.latencyMs.p50} / ${report.latencyMs.p99} / ${report.latencyMs.max} ms`],
    ['command answer p50 / p99', `${report.answerMs.p50} / ${report.answerMs.p99} ms`],
    ['server RSS start / peak / end', `${report.serverRss.startMb} / ${report.serverRss.peakMb} / ${report.serverRss.endMb} MB`],
    [
      `server heap start / peak / end${report.serverHeap.afterGc ? ' (after GC)' : ''}`,
      `${report.serverHeap.startMb} / ${report.serverHeap.peakMb} / ${report.serverHeap.endMb} MB`,
    ],
    [
      'DynamoDB Local RSS start / peak / end',
      `${report.dynamoDbRss.startMb} / ${report.dynamoDbRss.peakMb} / ${report.dynamoDbRss.endMb} MB`,
    ],
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  return (
    rows.map(([name, value]) => `${name.padEnd(width)}  ${value}`).join('\n') +
    (report.examples.length > 0 ? `\nexamples:\n  ${report.examples.join('\n  ')}` : '')
  );
}
