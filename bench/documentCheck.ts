/**
 * Benchmark: the document check of the local server (issue 16). The document of the issue, `{ __typename }`
 * repeated N times, validated as graphql-js 15 did it (every specified rule on the document as sent) and as the
 * document check does it (repeats removed first, local/server/documentCheck/); then the whole request over HTTP
 * on the local server, first sight (checked in the worker, parsed once) and cached, with the event loop's
 * longest stall meanwhile, which is what another client waits.
 *
 *   npm run bench -- documentCheck
 *
 * Our side is a bench-only, CDK-free API model (a one-field schema), served by the classes the local stack uses.
 */
import { appSyncSchemaDefinition } from '../infra/schema.ts';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Source, parse, specifiedRules, validate } from 'graphql';
import { generateResolvers } from '@aws-amplify/amplify-appsync-simulator/lib/schema/index.js';
import { checkDocument } from '../local/index.ts';
import { LocalGraphqlApi } from '../local/index.ts';
import { LocalAppSyncServer } from '../local/index.ts';
import { DEFAULT_SERVER_LIMITS } from '../local/index.ts';
import { fixed, ratiosOf, ratioText, sideBySide, spread, summarize, type BenchResult } from './measure.ts';

const ROUNDS = 5;
/** graphql-js 15 on the document as sent is quadratic: 40 000 repeats take it about 20 s, measured once. */
const SIZES = [2_000, 10_000, 40_000];
const QUADRATIC_ROUNDS: Record<number, number> = { 2_000: ROUNDS, 10_000: ROUNDS, 40_000: 1 };
const API_KEY = 'da2-benchdocumentcheck';
const ACCOUNT = '123456789012';

const repeated = (count: number) => `{ ${'__typename '.repeat(count)}}`;

function timedMs(fn: () => unknown): number {
  const started = performance.now();
  fn();
  return performance.now() - started;
}

export async function run(): Promise<BenchResult> {
  const schema = generateResolvers(new Source(appSyncSchemaDefinition()), [], {} as never);
  const limits = { documentTokens: DEFAULT_SERVER_LIMITS.documentTokens, overlapComparisons: DEFAULT_SERVER_LIMITS.overlapComparisons };
  const validationRows = [];
  const validation: Record<number, { before: number[]; after: number[] }> = {};
  for (const size of SIZES) {
    const query = repeated(size);
    const rounds = QUADRATIC_ROUNDS[size]!;
    const perRound = await sideBySide(rounds, {
      before: () => timedMs(() => validate(schema, parse(query), specifiedRules)),
      after: () => timedMs(() => checkDocument(schema, query, limits)),
    });
    validation[size] = perRound;
    validationRows.push({
      document: `{ __typename } × ${size.toLocaleString('en')} (${Math.round(query.length / 1024)} KB)`,
      'graphql-js 15, as sent, ms': spread(summarize(perRound.before), 0),
      'document check, ms': spread(summarize(perRound.after), 1),
      'as sent / check': ratioText(summarize(ratiosOf(perRound.before, perRound.after))),
    });
  }

  const api = new LocalGraphqlApi(
    {
      logicalId: 'BenchApi',
      apiId: 'benchapi',
      name: 'bench',
      arn: `arn:aws:appsync:us-east-1:${ACCOUNT}:apis/benchapi`,
      schema: 'type Query { ping: String }',
      defaultAuthentication: 'API_KEY',
      additionalAuthentications: [],
      hasApiKey: true,
      environment: {},
      dataSources: {},
      functions: {},
      resolvers: [],
    },
    { apiKey: API_KEY, accountId: ACCOUNT, dataSources: {} },
  );
  const server = new LocalAppSyncServer({
    api,
    auth: { modes: ['API_KEY'], apiKey: API_KEY, accountId: ACCOUNT },
    port: 0,
    host: '127.0.0.1',
  });
  try {
    const url = `http://127.0.0.1:${await server.start()}/graphql`;
    const ask = async (query: string) => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
        body: JSON.stringify({ query }),
      });
      const body = await response.text();
      if (body !== '{"data":{"__typename":"Query"}}') throw new Error(`Unexpected answer: ${body.slice(0, 200)}`);
    };
    await ask('{ __typename }');
    const requestRows = [];
    const requests: Record<string, { ms: number[]; stallMs: number[] }> = {
      'first sight': { ms: [], stallMs: [] },
      cached: { ms: [], stallMs: [] },
    };
    for (let round = 0; round < ROUNDS; round += 1) {
      // A new text each round (a trailing comment), so that the first request of the round is a first sight.
      const query = `${repeated(40_000)} # round ${round}`;
      for (const phase of ['first sight', 'cached'] as const) {
        const stalls = monitorEventLoopDelay({ resolution: 1 });
        stalls.enable();
        const started = performance.now();
        await ask(query);
        requests[phase]!.ms.push(performance.now() - started);
        stalls.disable();
        requests[phase]!.stallMs.push(stalls.max / 1e6);
      }
    }
    for (const [phase, { ms, stallMs }] of Object.entries(requests)) {
      requestRows.push({
        request: `{ __typename } × 40 000 over HTTP, ${phase}`,
        'answered in ms': spread(summarize(ms), 0),
        'longest event-loop stall, ms': spread(summarize(stallMs), 1),
      });
    }
    const firstSight = summarize(requests['first sight']!.ms);
    const stall = summarize(requests['first sight']!.stallMs);
    return {
      name: 'documentCheck',
      title: 'Document check: the repeated-field document of issue 16, validated and served',
      tables: [
        {
          title: `Validation of { __typename } × N: median (min–max) over ${ROUNDS} rounds (graphql-js 15 on 40 000 repeats: 1 round); ratio per round`,
          rows: validationRows,
        },
        {
          title: `The 40 000-repeat query (440 KB) on the local server, one request at a time: median (min–max) over ${ROUNDS} rounds`,
          rows: requestRows,
        },
      ],
      targets: [
        {
          target: 'the 40 000-repeat query answered within 1 s',
          met: firstSight.max <= 1_000,
          measured: `${fixed(firstSight.median, 0)} ms median, ${fixed(firstSight.max, 0)} ms at most (23 s before)`,
        },
        {
          target: 'no event-loop stall over 50 ms while it is answered',
          met: stall.max <= 50,
          measured: `${fixed(stall.median, 1)} ms median, ${fixed(stall.max, 1)} ms at most`,
        },
      ],
      notes: [
        'graphql-js 15 on the document as sent: every specified rule, as the server ran them before; its OverlappingFieldsCanBeMergedRule compares every pair of same-named fields.',
        'Document check: token count, parse, exact repeats removed, every rule on the rest (what the document-check worker runs); in the server it runs off the event loop.',
        'Event-loop stall: the longest delay of a 1 ms timer in the server process while the request is answered (monitorEventLoopDelay).',
      ],
      data: { rounds: ROUNDS, validationMs: validation, requests },
    };
  } finally {
    await server.stop();
  }
}
