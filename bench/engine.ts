/**
 * Benchmark: one resolver handler evaluated by the APPSYNC_JS engine (sandboxed, ctx copied in,
 * result and stash copied out as JSON data) against the same handler called directly in Node
 * (compiled in Node's realm, same util library, ctx passed as is).
 *
 *   npx tsx bench/engine.ts            # prints a table, writes bench/results/engine.json
 *
 * Each case runs ROUNDS rounds of ITERATIONS calls per side, alternating sides within a round so
 * drift (GC, CPU frequency) hits both; the table shows the median time per call over rounds and
 * the spread (min–max of the per-round medians), and the ratio engine/direct of the medians.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkSource } from '../local/engine/check/checkCode.ts';
import { loadCode, newEvaluationState, type ContextParts, type EvaluationState } from '../local/engine/index.ts';
import { transformModule } from '../local/engine/load/transformModule.ts';
import { createDynamoDbModule } from '../local/engine/runtime/dynamodbModule.ts';
import { createExtensionsModule } from '../local/engine/runtime/extensions.ts';
import { createRuntimeModule } from '../local/engine/runtime/runtimeModule.ts';
import { createUtil } from '../local/engine/runtime/util/index.ts';

const ROUNDS = 15;
const ITERATIONS = 20_000;
const WARMUP = 20_000;

interface BenchCase {
  name: string;
  source: string;
  handler: 'request' | 'response';
  context: ContextParts;
}

const cases: BenchCase[] = [
  {
    name: 'getItem request (ddb.get)',
    handler: 'request',
    source: `import * as ddb from '@aws-appsync/utils/dynamodb';
export function request(ctx) { return ddb.get({ key: { id: ctx.args.id } }); }
export function response(ctx) { return ctx.result; }`,
    context: { arguments: { id: 'r-123' }, identity: null, stash: {} },
  },
  {
    name: 'validate + conditional put (request)',
    handler: 'request',
    source: `import { util } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
export function request(ctx) {
  const { input } = ctx.args;
  const violations = [];
  if (!input.guestName || input.guestName.length > 100) violations.push({ field: 'guestName', rule: 'length' });
  if (input.nights < 1 || input.nights > 30) violations.push({ field: 'nights', rule: 'range' });
  for (const room of input.rooms) { if (room.beds < 1) violations.push({ field: 'rooms', rule: 'beds' }); }
  if (violations.length > 0) util.error('Invalid reservation', 'ValidationError', null, { violations });
  const id = input.id ?? ctx.stash.commandId;
  ctx.stash.reservationId = id;
  return ddb.put({
    key: { pk: 'Reservation#' + id, sk: 1 },
    item: { type: 'ReservationRequested', data: input, commandId: ctx.stash.commandId, actor: ctx.identity?.username ?? null },
    condition: { pk: { attributeExists: false } },
  });
}
export function response(ctx) { return ctx.result; }`,
    context: {
      arguments: { input: { id: 'r-1', guestName: 'Ada Lovelace', nights: 3, rooms: [{ number: 101, beds: 2 }, { number: 102, beds: 1 }] } },
      identity: { sub: 'u-1', issuer: 'https://cognito', username: 'ada', claims: {}, sourceIp: ['127.0.0.1'], defaultAuthStrategy: 'ALLOW', groups: null },
      stash: { commandId: 'c-42' },
    },
  },
  {
    name: 'fold events (response)',
    handler: 'response',
    source: `export function request(ctx) { return {}; }
export function response(ctx) {
  let state = { status: 'NONE', version: 0, nights: 0 };
  for (const event of ctx.result.items) {
    switch (event.type) {
      case 'ReservationRequested': state = { ...state, status: 'PENDING', nights: event.data.nights, version: event.version }; break;
      case 'ReservationConfirmed': state = { ...state, status: 'CONFIRMED', version: event.version }; break;
      case 'NightsChanged': state = { ...state, nights: event.data.nights, version: event.version }; break;
      default: break;
    }
  }
  return { id: ctx.args.id, ...state, history: ctx.result.items.map((e) => ({ type: e.type, version: e.version })) };
}`,
    context: {
      arguments: { id: 'r-1' },
      stash: {},
      result: {
        items: Array.from({ length: 20 }, (_, i) => ({
          type: i === 0 ? 'ReservationRequested' : i === 1 ? 'ReservationConfirmed' : 'NightsChanged',
          version: i + 1,
          data: { nights: 1 + (i % 5) },
        })),
      },
    },
  },
  {
    // Same fold, with its initial state as a top-level object: the engine re-runs the module body
    // per evaluation (fresh module, as AWS); the direct baseline does not.
    name: 'fold events, top-level state (response)',
    handler: 'response',
    source: `const initialState = { status: 'NONE', version: 0, nights: 0 };
export function request(ctx) { return {}; }
export function response(ctx) {
  let state = initialState;
  for (const event of ctx.result.items) {
    switch (event.type) {
      case 'ReservationRequested': state = { ...state, status: 'PENDING', nights: event.data.nights, version: event.version }; break;
      case 'ReservationConfirmed': state = { ...state, status: 'CONFIRMED', version: event.version }; break;
      case 'NightsChanged': state = { ...state, nights: event.data.nights, version: event.version }; break;
      default: break;
    }
  }
  return { id: ctx.args.id, ...state, history: ctx.result.items.map((e) => ({ type: e.type, version: e.version })) };
}`,
    context: {
      arguments: { id: 'r-1' },
      stash: {},
      result: {
        items: Array.from({ length: 20 }, (_, i) => ({
          type: i === 0 ? 'ReservationRequested' : i === 1 ? 'ReservationConfirmed' : 'NightsChanged',
          version: i + 1,
          data: { nights: 1 + (i % 5) },
        })),
      },
    },
  },
];

/** The same module compiled in Node's own realm, with the same util library: the direct baseline. */
function loadDirect(source: string): { call: (handler: 'request' | 'response', ctx: Record<string, unknown>) => unknown; state: () => EvaluationState } {
  const { program } = checkSource(source);
  if (!program) throw new Error('bench case does not parse');
  const { wrapped } = transformModule(source, program);
  let state = newEvaluationState();
  const current = () => state;
  const util = createUtil(current);
  const modules: Record<string, unknown> = {
    '@aws-appsync/utils': { util, runtime: createRuntimeModule(), extensions: createExtensionsModule(current) },
    '@aws-appsync/utils/dynamodb': createDynamoDbModule(util),
  };
  // Indirect eval: compile in Node's global scope, as a plain module function would be.
  const factory = (0, eval)(wrapped) as (load: (name: string) => unknown) => Record<string, (ctx: unknown) => unknown>;
  const exports = factory((name) => modules[name]);
  return {
    call: (handler, ctx) => {
      state = newEvaluationState();
      return (exports[handler] as (ctx: unknown) => unknown)(ctx);
    },
    state: () => state,
  };
}

/** A fresh ctx per call, as the direct caller would build it (no copying: Node code trusts itself). */
function directContext(parts: ContextParts): Record<string, unknown> {
  const args = parts.arguments ?? {};
  const ctx: Record<string, unknown> = { arguments: args, args, identity: parts.identity ?? null, source: null, request: { headers: {}, domainName: null }, info: {}, stash: { ...(parts.stash ?? {}) } };
  if (parts.result !== undefined) ctx.result = parts.result;
  return ctx;
}

function timePerCall(iterations: number, fn: () => unknown): number {
  let sink: unknown;
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i += 1) sink = fn();
  const elapsed = Number(process.hrtime.bigint() - start);
  if (sink === Symbol.for('never')) console.log(sink);
  return elapsed / iterations;
}

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1)))] as number;
  return { medianNs: at(0.5), minNs: sorted[0] as number, maxNs: sorted.at(-1) as number, p25Ns: at(0.25), p75Ns: at(0.75) };
}

const round1 = (n: number) => Math.round(n * 10) / 10;

async function main(): Promise<void> {
  const results = [];
  for (const benchCase of cases) {
    const engine = loadCode(benchCase.source, { file: `${benchCase.name}.js` });
    const direct = loadDirect(benchCase.source);
    const runEngine = () => engine.evaluate(benchCase.handler, benchCase.context).outcome;
    const runDirect = () => direct.call(benchCase.handler, directContext(benchCase.context));

    // Same answer on both sides, or the comparison means nothing.
    const a = JSON.stringify(runEngine());
    const b = JSON.stringify({ status: 'returned', value: runDirect() });
    if (a !== b) throw new Error(`${benchCase.name}: engine and direct disagree\n${a}\n${b}`);

    timePerCall(WARMUP, runEngine);
    timePerCall(WARMUP, runDirect);
    const engineSamples: number[] = [];
    const directSamples: number[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      if (round % 2 === 0) {
        engineSamples.push(timePerCall(ITERATIONS, runEngine));
        directSamples.push(timePerCall(ITERATIONS, runDirect));
      } else {
        directSamples.push(timePerCall(ITERATIONS, runDirect));
        engineSamples.push(timePerCall(ITERATIONS, runEngine));
      }
    }
    const engineStats = stats(engineSamples);
    const directStats = stats(directSamples);
    results.push({ name: benchCase.name, engine: engineStats, direct: directStats, ratio: engineStats.medianNs / directStats.medianNs });
  }

  const us = (ns: number) => (ns / 1000).toFixed(2);
  const rows = results.map((r) => ({
    case: r.name,
    'engine median µs': us(r.engine.medianNs),
    'engine spread µs': `${us(r.engine.minNs)}–${us(r.engine.maxNs)}`,
    'direct median µs': us(r.direct.medianNs),
    'direct spread µs': `${us(r.direct.minNs)}–${us(r.direct.maxNs)}`,
    'engine / direct': `${r.ratio.toFixed(2)}×`,
  }));
  console.table(rows);

  const out = join(dirname(fileURLToPath(import.meta.url)), 'results', 'engine.json');
  await mkdir(dirname(out), { recursive: true });
  await writeFile(
    out,
    `${JSON.stringify(
      {
        benchmark: 'APPSYNC_JS engine: evaluate a handler in the sandbox vs call it directly in Node',
        date: new Date().toISOString(),
        node: process.version,
        platform: `${process.platform} ${process.arch}`,
        rounds: ROUNDS,
        iterationsPerRound: ITERATIONS,
        target: 'engine / direct within 2x',
        cases: results.map((r) => ({
          name: r.name,
          engine: Object.fromEntries(Object.entries(r.engine).map(([k, v]) => [k, round1(v)])),
          direct: Object.fromEntries(Object.entries(r.direct).map(([k, v]) => [k, round1(v)])),
          ratio: Math.round(r.ratio * 100) / 100,
        })),
      },
      null,
      2,
    )}\n`,
  );
  console.log(`wrote ${out}`);
}

await main();
