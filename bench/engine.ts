/**
 * Benchmark: one resolver handler evaluated by the APPSYNC_JS engine (sandboxed, ctx copied in,
 * result and stash copied out as JSON data) against the same handler called directly in Node
 * (compiled in Node's realm, same util library, ctx passed as is: the limit), and against the
 * AppSync simulator's VTL engine rendering an equivalent VTL template (what users of the
 * simulator have today; rendering includes its JSON.parse of the output, as the simulator does).
 *
 *   npm run bench -- engine            # prints the table, writes bench/results/engine.json
 *
 * Each case runs ROUNDS rounds; in a round each side runs a batch of calls sized to about
 * BATCH_MS, sides rotated round by round. Ratios are per round (engine / direct, VTL / engine),
 * shown as median (min–max) over rounds.
 */
import type { GraphQLResolveInfo } from 'graphql';
import { VelocityTemplate, type AmplifyAppSyncSimulator } from '@aws-amplify/amplify-appsync-simulator';
import { checkSource } from '../local/index.ts';
import { loadCode, newEvaluationState, type ContextParts, type EvaluationState } from '../local/index.ts';
import { transformModule } from '../local/index.ts';
import { createDynamoDbModule } from '../local/index.ts';
import { createExtensionsModule } from '../local/index.ts';
import { createRuntimeModule } from '../local/index.ts';
import { createUtil } from '../local/index.ts';
import { fixed, ratioText, ratiosOf, sideBySide, summarize, timePerCallNs, type BenchResult, type Summary } from './measure.ts';

const ROUNDS = 11;
/** Wall time of one side's batch in a round; iterations are calibrated to it. */
const BATCH_MS = 60;

interface BenchCase {
  name: string;
  source: string;
  handler: 'request' | 'response';
  /** An equivalent VTL template, rendered by the simulator's VelocityTemplate. */
  vtl: string;
  context: ContextParts;
}

const FOLD_VTL = `#set($state = {"status":"NONE","version":0,"nights":0})
#set($history = [])
#foreach($event in $ctx.result.items)
  #if($event.type == "ReservationRequested") $util.qr($state.put("status","PENDING")) $util.qr($state.put("nights",$event.data.nights)) $util.qr($state.put("version",$event.version))
  #elseif($event.type == "ReservationConfirmed") $util.qr($state.put("status","CONFIRMED")) $util.qr($state.put("version",$event.version))
  #elseif($event.type == "NightsChanged") $util.qr($state.put("nights",$event.data.nights)) $util.qr($state.put("version",$event.version))
  #end
  $util.qr($history.add({"type":$event.type,"version":$event.version}))
#end
$util.qr($state.put("id",$ctx.args.id))
$util.qr($state.put("history",$history))
$util.toJson($state)`;

/** The fold both fold cases run: the same body, with and without a top-level initial state. */
const FOLD_LOOP = `for (const event of ctx.result.items) {
    switch (event.type) {
      case 'ReservationRequested': state = { ...state, status: 'PENDING', nights: event.data.nights, version: event.version }; break;
      case 'ReservationConfirmed': state = { ...state, status: 'CONFIRMED', version: event.version }; break;
      case 'NightsChanged': state = { ...state, nights: event.data.nights, version: event.version }; break;
      default: break;
    }
  }
  return { id: ctx.args.id, ...state, history: ctx.result.items.map((e) => ({ type: e.type, version: e.version })) };
}`;

const FOLD_CONTEXT = {
  arguments: { id: 'r-1' },
  stash: {},
  result: {
    items: Array.from({ length: 20 }, (_, i) => ({
      type: i === 0 ? 'ReservationRequested' : i === 1 ? 'ReservationConfirmed' : 'NightsChanged',
      version: i + 1,
      data: { nights: 1 + (i % 5) },
    })),
  },
};

const cases: BenchCase[] = [
  {
    name: 'getItem request (ddb.get)',
    handler: 'request',
    vtl: `{"version":"2018-05-29","operation":"GetItem","key":{"id":$util.dynamodb.toDynamoDBJson($ctx.args.id)}}`,
    source: `import * as ddb from '@aws-appsync/utils/dynamodb';
export function request(ctx) { return ddb.get({ key: { id: ctx.args.id } }); }
export function response(ctx) { return ctx.result; }`,
    context: { arguments: { id: 'r-123' }, identity: null, stash: {} },
  },
  {
    name: 'validate + conditional put (request)',
    handler: 'request',
    vtl: `#set($input = $ctx.args.input)
#set($violations = [])
#if(!$input.guestName || $input.guestName.length() > 100) $util.qr($violations.add({"field":"guestName","rule":"length"})) #end
#if($input.nights < 1 || $input.nights > 30) $util.qr($violations.add({"field":"nights","rule":"range"})) #end
#foreach($room in $input.rooms) #if($room.beds < 1) $util.qr($violations.add({"field":"rooms","rule":"beds"})) #end #end
#if(!$violations.isEmpty()) $util.error("Invalid reservation", "ValidationError", null, {"violations":$violations}) #end
#set($id = $util.defaultIfNull($input.id, $ctx.stash.commandId))
$util.qr($ctx.stash.put("reservationId", $id))
{
  "version": "2018-05-29",
  "operation": "PutItem",
  "key": {"pk": $util.dynamodb.toDynamoDBJson("Reservation#$id"), "sk": $util.dynamodb.toDynamoDBJson(1)},
  "attributeValues": $util.dynamodb.toMapValuesJson({"type":"ReservationRequested","data":$input,"commandId":$ctx.stash.commandId,"actor":$ctx.identity.username}),
  "condition": {"expression":"attribute_not_exists(#pk)","expressionNames":{"#pk":"pk"}}
}`,
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
      arguments: {
        input: {
          id: 'r-1',
          guestName: 'Ada Lovelace',
          nights: 3,
          rooms: [
            { number: 101, beds: 2 },
            { number: 102, beds: 1 },
          ],
        },
      },
      identity: {
        sub: 'u-1',
        issuer: 'https://cognito',
        username: 'ada',
        claims: {},
        sourceIp: ['127.0.0.1'],
        defaultAuthStrategy: 'ALLOW',
        groups: null,
      },
      stash: { commandId: 'c-42' },
    },
  },
  {
    name: 'fold events (response)',
    handler: 'response',
    vtl: FOLD_VTL,
    source: `export function request(ctx) { return {}; }
export function response(ctx) {
  let state = { status: 'NONE', version: 0, nights: 0 };
  ${FOLD_LOOP}`,
    context: FOLD_CONTEXT,
  },
  {
    // Same fold, with its initial state as a top-level object: the engine re-runs the module body
    // per evaluation (fresh module, as AWS); the direct baseline does not.
    name: 'fold events, top-level state (response)',
    handler: 'response',
    vtl: FOLD_VTL,
    source: `const initialState = { status: 'NONE', version: 0, nights: 0 };
export function request(ctx) { return {}; }
export function response(ctx) {
  let state = initialState;
  ${FOLD_LOOP}`,
    context: FOLD_CONTEXT,
  },
];

/** The same module compiled in Node's own realm, with the same util library: the direct baseline. */
function loadDirect(source: string): {
  call: (handler: 'request' | 'response', ctx: Record<string, unknown>) => unknown;
  state: () => EvaluationState;
} {
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
  const ctx: Record<string, unknown> = {
    arguments: args,
    args,
    identity: parts.identity ?? null,
    source: null,
    request: { headers: {}, domainName: null },
    info: {},
    stash: { ...(parts.stash ?? {}) },
  };
  if (parts.result !== undefined) ctx.result = parts.result;
  return ctx;
}

/** The simulator's VTL engine on one template: a render per call, with a fresh context (as per request). */
function loadVtl(template: string, parts: ContextParts): () => unknown {
  // A Cognito caller, as in the JS cases' identity; the simulator reads only its default auth type.
  const simulator = { appSyncConfig: { defaultAuthenticationType: { authenticationType: 'AMAZON_COGNITO_USER_POOLS' } } };
  const velocity = new VelocityTemplate({ content: template } as never, simulator as unknown as AmplifyAppSyncSimulator);
  // The simulator builds `ctx.info` from graphql-js's resolve info; a one-field query is enough.
  const info = {
    fieldName: 'bench',
    fieldNodes: [{ kind: 'Field', name: { value: 'bench' } }],
    parentType: 'Query',
    variableValues: {},
    fragments: {},
  } as unknown as GraphQLResolveInfo;
  const requestContext = {
    requestAuthorizationMode: 'AMAZON_COGNITO_USER_POOLS',
    jwt: { sub: 'u-1', iss: 'https://cognito', 'cognito:username': 'ada' },
    headers: {},
    sourceIp: ['127.0.0.1'],
  } as never;
  return () => {
    const rendered = velocity.render(
      { arguments: parts.arguments ?? {}, source: {}, stash: { ...(parts.stash ?? {}) }, result: parts.result },
      requestContext,
      info,
    );
    if (rendered.hadException) throw new Error(`VTL render failed: ${JSON.stringify(rendered.errors)}`);
    return rendered.result;
  };
}

/** Iterations that take about BATCH_MS for `fn`. */
function calibrate(fn: () => unknown): number {
  const perCallNs = timePerCallNs(200, fn);
  return Math.max(50, Math.round((BATCH_MS * 1e6) / perCallNs));
}

interface CaseResult {
  name: string;
  engineNs: Summary;
  directNs: Summary;
  vtlNs: Summary;
  engineOverDirect: Summary;
  vtlOverEngine: Summary;
  iterations: { engine: number; direct: number; vtl: number };
}

export async function run(): Promise<BenchResult> {
  const results: CaseResult[] = [];
  for (const benchCase of cases) {
    const engine = loadCode(benchCase.source, { file: `${benchCase.name}.js` });
    const direct = loadDirect(benchCase.source);
    const runEngine = () => engine.evaluate(benchCase.handler, benchCase.context).outcome;
    const runDirect = () => direct.call(benchCase.handler, directContext(benchCase.context));
    const runVtl = loadVtl(benchCase.vtl, benchCase.context);

    // Same answer on both JS sides, or the comparison means nothing; the VTL side must render.
    const a = JSON.stringify(runEngine());
    const b = JSON.stringify({ status: 'returned', value: runDirect() });
    if (a !== b) throw new Error(`${benchCase.name}: engine and direct disagree\n${a}\n${b}`);
    runVtl();

    // Warm up (JIT) and size each side's batch.
    for (const fn of [runEngine, runDirect, runVtl]) timePerCallNs(2_000, fn);
    const iterations = { engine: calibrate(runEngine), direct: calibrate(runDirect), vtl: calibrate(runVtl) };
    const samples = await sideBySide(ROUNDS, {
      engine: () => timePerCallNs(iterations.engine, runEngine),
      direct: () => timePerCallNs(iterations.direct, runDirect),
      vtl: () => timePerCallNs(iterations.vtl, runVtl),
    });
    results.push({
      name: benchCase.name,
      engineNs: summarize(samples.engine),
      directNs: summarize(samples.direct),
      vtlNs: summarize(samples.vtl),
      engineOverDirect: summarize(ratiosOf(samples.engine, samples.direct)),
      vtlOverEngine: summarize(ratiosOf(samples.vtl, samples.engine)),
      iterations,
    });
  }

  const us = (ns: number) => fixed(ns / 1000);
  const rows = results.map((r) => ({
    case: r.name,
    'engine µs': `${us(r.engineNs.median)} (${us(r.engineNs.min)}–${us(r.engineNs.max)})`,
    'direct µs': `${us(r.directNs.median)} (${us(r.directNs.min)}–${us(r.directNs.max)})`,
    'VTL µs': `${us(r.vtlNs.median)} (${us(r.vtlNs.min)}–${us(r.vtlNs.max)})`,
    'engine / direct': ratioText(r.engineOverDirect),
    'VTL / engine': ratioText(r.vtlOverEngine),
  }));
  const within2 = results.filter((r) => r.engineOverDirect.median <= 2);
  return {
    name: 'engine',
    title: "APPSYNC_JS engine: evaluate a handler in the sandbox vs call it directly in Node vs the simulator's VTL",
    tables: [{ title: `Per call, median (min–max) over ${ROUNDS} rounds; ratios per round`, rows }],
    targets: [
      {
        target: 'engine / direct within 2× on every case',
        met: within2.length === results.length,
        measured: results.map((r) => `${r.name}: ${fixed(r.engineOverDirect.median)}×`).join('; '),
      },
    ],
    notes: [
      "direct = the same bundled module compiled in Node's realm with the same util library, ctx passed as is (no copy in, no copy out): the limit.",
      'VTL = @aws-amplify/amplify-appsync-simulator VelocityTemplate.render on an equivalent template, including its JSON.parse of the rendered text (a Cognito caller, as the JS cases).',
    ],
    data: { rounds: ROUNDS, batchMs: BATCH_MS, cases: results },
  };
}
