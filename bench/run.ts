/**
 * `npm run bench`: every benchmark in turn, one table each, `bench/results/<name>.json` each, and
 * the tables of docs/benchmarks.md refreshed (between its `<!-- bench:<name> -->` markers; the
 * prose around them is written by hand).
 *
 *   npm run bench                    # all, in under 10 minutes on 2 cores
 *   npm run bench -- append fold     # only these
 *
 * The CDK app is synthesized once, into a directory of its own (not the shared cdk.out).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { synthesize } from '../local/index.ts';
import { machine, markdownTable, printResult, writeResult, type BenchResult } from './measure.ts';

/** What a benchmark may ask of the runner. */
export interface BenchContext {
  /** The synthesized app (synthesized on first ask, once per run). */
  cdkOut(): Promise<string>;
  projectDir: string;
}

interface BenchModule {
  run(context: BenchContext): Promise<BenchResult>;
}

const BENCHMARKS: Record<string, () => Promise<BenchModule>> = {
  append: () => import('./append.ts'),
  commandToSubscription: () => import('./commandToSubscription.ts'),
  documentCheck: () => import('./documentCheck.ts'),
  engine: () => import('./engine.ts'),
  graphqlPath: () => import('./graphqlPath.ts'),
  fold: () => import('./fold.ts'),
  memory: () => import('./memory.ts'),
  cost: () => import('./cost.ts'),
  stepFunctions: () => import('./stepFunctions.ts'),
  pipes: () => import('./pipes.ts'),
  dynamoDbLocalJvm: () => import('./dynamoDbLocalJvm.ts'),
  booking: () => import('./booking.ts'),
  startUp: () => import('./startUp.ts'),
  projectionLag: () => import('./projectionLag.ts'),
};

const projectDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const docsFile = path.join(projectDir, 'docs', 'benchmarks.md');

async function main(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  // Each kind of warning once: the simulator's PubSub warns per subscription past 10 listeners.
  const warned = new Set<string>();
  process.removeAllListeners('warning');
  process.on('warning', (warning) => {
    if (warned.has(warning.name)) return;
    warned.add(warning.name);
    console.warn(`(warning, shown once) ${warning.name}: ${warning.message}`);
  });
  const asked = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
  const unknown = asked.filter((name) => !(name in BENCHMARKS));
  if (unknown.length > 0) {
    console.error(`Unknown benchmark(s): ${unknown.join(', ')}. Known: ${Object.keys(BENCHMARKS).join(', ')}.`);
    process.exit(2);
  }
  const names = asked.length > 0 ? asked : Object.keys(BENCHMARKS);
  const command = `npm run bench${asked.length > 0 ? ` -- ${asked.join(' ')}` : ''}`;

  const outdir = path.join(tmpdir(), `bench-cdk-out-${process.pid}`);
  let synthesized: Promise<string> | undefined;
  const context: BenchContext = {
    projectDir,
    cdkOut: () => {
      synthesized ??= synthesize(projectDir, outdir).then((result) => {
        console.log(`synthesized the app into ${result.outdir} in ${(result.durationMs / 1000).toFixed(1)} s`);
        return result.outdir;
      });
      return synthesized;
    },
  };

  const started = performance.now();
  const failed: string[] = [];
  try {
    for (const name of names) {
      const benchStarted = performance.now();
      console.log(`\n▶ ${name}`);
      try {
        const module = await BENCHMARKS[name]!();
        const result = await module.run(context);
        const durationMs = performance.now() - benchStarted;
        printResult(result, durationMs);
        console.log(`wrote ${path.relative(projectDir, await writeResult(result, durationMs, command))}`);
        updateDocs(result, command);
      } catch (error) {
        failed.push(name);
        console.error(`✗ ${name} failed:`, error);
      }
    }
  } finally {
    await rm(outdir, { recursive: true, force: true });
  }
  console.log(
    `\n${names.length - failed.length}/${names.length} benchmark(s) in ${((performance.now() - started) / 1000).toFixed(0)} s${failed.length > 0 ? `; failed: ${failed.join(', ')}` : ''}`,
  );
  // Servers, sockets and DynamoDB Local are stopped by each benchmark; nothing else should hold us.
  process.exit(failed.length > 0 ? 1 : 0);
}

/** Replace the generated block of one benchmark in docs/benchmarks.md, keeping the prose. */
function updateDocs(result: BenchResult, command: string): void {
  if (!existsSync(docsFile)) return;
  const start = `<!-- bench:${result.name} -->`;
  const end = `<!-- /bench:${result.name} -->`;
  const doc = readFileSync(docsFile, 'utf8');
  const from = doc.indexOf(start);
  const to = doc.indexOf(end);
  if (from < 0 || to < from) return;
  const m = machine();
  const block = [
    start,
    `_\`${command}\`, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, Node ${String(m.node)}, ${String(m.cpus)} CPUs (${String(m.cpuModel)})._`,
    '',
    ...result.tables.flatMap((table) => [`**${table.title}**`, '', markdownTable(table.rows), '']),
    ...result.targets.map((target) => `- ${target.met ? '✅ met' : '❌ missed'}: ${target.target} — ${target.measured}`),
    ...(result.targets.length > 0 ? [''] : []),
    end,
  ].join('\n');
  writeFileSync(docsFile, doc.slice(0, from) + block + doc.slice(to + end.length));
}

await main();
