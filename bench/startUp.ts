/**
 * Benchmark: `npm start` to its first answer. A new user's first wait; the runtime is worth little if
 * it starts slower than the work it cannot avoid. Side by side, each round:
 *
 * - raw limit: what any local run of this app must do, the synthesis (`cdk.json`'s app command, a child
 *   process) and DynamoDB Local's start, side by side, nothing else;
 * - ours, synthesizing: `tsx dev/start.ts --synth` (what `npm start` runs on a fresh clone, without npm's
 *   own 0.6 s) until a GraphQL query is answered on the port it prints;
 * - ours, again: `tsx dev/start.ts` with cdk.out already synthesized from the same sources (every start
 *   after the first);
 * - with START_BASE_DIR=<another checkout of this project>: the same in that tree, to compare a change
 *   (before/after) in one run on this noisy machine.
 *
 *   npm run bench -- startUp
 *   START_BASE_DIR=/path/to/old/tree npm run bench -- startUp
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDbLocal, synthesize } from '../local/index.ts';
import { fixed, ratioText, ratiosOf, sideBySide, spread, summarize, within, type BenchResult } from './measure.ts';

const ROUNDS = 3;
const PROJECT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const API_KEY = 'da2-bench-start';

/** Synthesis and DynamoDB Local's start side by side: the floor under any local start of this app. */
async function rawLimitMs(): Promise<number> {
  const outdir = mkdtempSync(path.join(tmpdir(), 'bench-start-synth-'));
  const started = performance.now();
  try {
    const [, db] = await Promise.all([synthesize(PROJECT_DIR, outdir), DynamoDbLocal.start()]);
    const elapsed = performance.now() - started;
    await db.stop();
    return elapsed;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** `dev/start.ts` in `projectDir` until a query is answered; stopped with SIGINT as Ctrl-C does. */
async function npmStartMs(projectDir: string, extraArgs: string[] = []): Promise<number> {
  const started = performance.now();
  const child = spawn(
    path.join(projectDir, 'node_modules/.bin/tsx'),
    ['dev/start.ts', '--port', '0', '--quiet', '--api-key', API_KEY, ...extraArgs],
    {
      cwd: projectDir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PORT: '', API_KEY: '', PERSIST_DIR: '' },
    },
  );
  let output = '';
  const url = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += String(chunk);
      const found = /GraphQL\s+(http:\/\/\S+)/.exec(output);
      if (found) resolve(found[1]!);
    });
    child.stderr.on('data', (chunk: Buffer) => (output += String(chunk)));
    child.on('exit', (code) => reject(new Error(`npm start exited with ${code} before it was ready:\n${output}`)));
  });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  try {
    const graphqlUrl = await within(120_000, url, 'npm start to print its GraphQL URL');
    const response = await fetch(graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    const body = (await response.json()) as { data?: { __typename?: string } };
    if (body.data?.__typename !== 'Query') throw new Error(`npm start answered ${JSON.stringify(body)}`);
    return performance.now() - started;
  } finally {
    child.kill('SIGINT');
    await within(30_000, exited, 'npm start to stop on SIGINT');
  }
}

export async function run(): Promise<BenchResult> {
  const baseDir = process.env.START_BASE_DIR;
  const sides: Record<string, () => Promise<number>> = {
    rawLimit: rawLimitMs,
    ours: () => npmStartMs(PROJECT_DIR, ['--synth']),
    oursAgain: () => npmStartMs(PROJECT_DIR),
  };
  if (baseDir) sides.base = () => npmStartMs(path.resolve(baseDir));
  const perRound = (await sideBySide(ROUNDS, sides)) as Record<'rawLimit' | 'ours' | 'oursAgain' | 'base', number[]>;
  const ratio = summarize(ratiosOf(perRound.ours, perRound.rawLimit));
  const rows = [
    {
      side: 'raw limit: synthesis ‖ DynamoDB Local start',
      'ms to ready': spread(summarize(perRound.rawLimit), 0),
      'vs raw limit': '1.00×',
    },
    {
      side: 'ours, synthesizing (a fresh clone)',
      'ms to ready': spread(summarize(perRound.ours), 0),
      'vs raw limit': ratioText(ratio),
    },
    {
      side: 'ours, cdk.out from the same sources (later starts)',
      'ms to ready': spread(summarize(perRound.oursAgain), 0),
      'vs raw limit': ratioText(summarize(ratiosOf(perRound.oursAgain, perRound.rawLimit))),
    },
  ];
  if (baseDir) {
    rows.push({
      side: `base: ${baseDir}`,
      'ms to ready': spread(summarize(perRound.base), 0),
      'vs raw limit': ratioText(summarize(ratiosOf(perRound.base, perRound.rawLimit))),
    });
  }
  return {
    name: 'startUp',
    title: '`npm start` to its first answer, against the synthesis and DynamoDB Local it cannot avoid',
    tables: [{ title: `${ROUNDS} rounds, sides rotated, median (min–max)`, rows }],
    targets: [
      {
        target: 'npm start answers within 1.5× the raw limit',
        met: ratio.median <= 1.5,
        measured: `ours / raw limit: ${ratioText(ratio)}`,
      },
      {
        target: 'npm start on a fresh clone answers within 6 s on this machine',
        met: summarize(perRound.ours).median <= 6000,
        measured: `${fixed(summarize(perRound.ours).median / 1000, 1)} s (later starts: ${fixed(summarize(perRound.oursAgain).median / 1000, 1)} s)`,
      },
    ],
    notes: [
      'npm itself adds about 0.6 s before dev/start.ts runs (not measured here).',
      ...(baseDir ? [`base / ours per round: ${ratioText(summarize(ratiosOf(perRound.base, perRound.ours)))}`] : []),
    ],
    data: { rounds: ROUNDS, perRound },
  };
}
