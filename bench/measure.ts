/**
 * What every benchmark shares: rounds run side by side, median and spread, percentiles, ratios
 * per round, bounded loops, one table per benchmark and its JSON file.
 *
 * The machine is shared and noisy, so no absolute figure stands alone: each one is a ratio to a
 * reference measured in the same round, and a round alternates its sides so drift hits both.
 *
 * @example
 * const perRound = await sideBySide(7, { ours: () => timeAsync(100, append), raw: () => timeAsync(100, put) });
 * const ratio = summarize(ratiosOf(perRound.ours, perRound.raw)); // { median, min, max, ... }
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'results');

/** Median and spread of a set of samples: min–max, and the middle half (p25–p75). */
export interface Summary {
  n: number;
  median: number;
  min: number;
  max: number;
  p25: number;
  p75: number;
}

/** Nearest-rank quantile of sorted samples (q from 0 to 1). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    median: median(sorted),
    min: sorted[0] ?? Number.NaN,
    max: sorted.at(-1) ?? Number.NaN,
    p25: quantile(sorted, 0.25),
    p75: quantile(sorted, 0.75),
  };
}

export function median(samples: readonly number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** p50/p95/p99 of latency samples. */
export function percentiles(samples: readonly number[]): { p50: number; p95: number; p99: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: quantile(sorted, 0.5), p95: quantile(sorted, 0.95), p99: quantile(sorted, 0.99) };
}

/** Round by round a / b: the two sides of one round ran next to each other. */
export function ratiosOf(a: readonly number[], b: readonly number[]): number[] {
  return a.map((value, index) => value / b[index]!);
}

/**
 * Runs `rounds` rounds; in each, every side once, the order rotated round by round so no side
 * always runs first (warm caches, GC debt). Returns each side's per-round samples.
 */
export async function sideBySide<K extends string>(
  rounds: number,
  sides: Record<K, () => Promise<number> | number>,
  options: { deadline?: Deadline } = {},
): Promise<Record<K, number[]>> {
  const names = Object.keys(sides) as K[];
  const samples = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<K, number[]>;
  for (let round = 0; round < rounds; round += 1) {
    if (round > 1 && options.deadline?.passed()) break;
    for (let i = 0; i < names.length; i += 1) {
      const name = names[(round + i) % names.length]!;
      samples[name].push(await sides[name]());
    }
  }
  return samples;
}

/** Nanoseconds per call of a synchronous function, over `iterations` calls. */
export function timePerCallNs(iterations: number, fn: () => unknown): number {
  let sink: unknown;
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i += 1) sink = fn();
  const elapsed = Number(process.hrtime.bigint() - start);
  if (sink === Symbol.for('never')) console.log(sink);
  return elapsed / iterations;
}

/** Milliseconds of each of `count` sequential calls of an async function. */
export async function latenciesMs(count: number, fn: (index: number) => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const start = performance.now();
    await fn(i);
    out.push(performance.now() - start);
  }
  return out;
}

/** Runs `count` calls of `fn` with `concurrency` of them in flight; answers the wall-clock milliseconds. */
export async function inParallel(count: number, concurrency: number, fn: (index: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      for (let index = next; index < count; index = next) {
        next += 1;
        await fn(index);
      }
    }),
  );
  return performance.now() - start;
}

/** Runs `count` calls with `concurrency` workers; answers calls per second. */
export async function throughputPerS(count: number, concurrency: number, fn: (index: number) => Promise<unknown>): Promise<number> {
  return count / ((await inParallel(count, concurrency, fn)) / 1000);
}

/** A time budget: loops stop taking new rounds once it has passed. */
export class Deadline {
  private readonly end: number;
  constructor(readonly budgetMs: number) {
    this.end = performance.now() + budgetMs;
  }
  passed(): boolean {
    return performance.now() > this.end;
  }
  remainingMs(): number {
    return Math.max(0, this.end - performance.now());
  }
}

/** Rejects if `promise` does not settle within `ms`: no wait in a benchmark is unbounded. */
export function within<T>(ms: number, promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      // Not unref'd: a wait on something that died must end in this error, not in a silent exit.
      timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
    }),
  ]);
}

// ---- formatting -------------------------------------------------------------------------------

export const fixed = (value: number, digits = 2): string => (Number.isFinite(value) ? value.toFixed(digits) : '–');
/** `median (min–max)` of a summary. */
export const spread = (s: Summary, digits = 2): string => `${fixed(s.median, digits)} (${fixed(s.min, digits)}–${fixed(s.max, digits)})`;
/** `1.23× (1.10–1.40)` of a ratio summary. */
export const ratioText = (s: Summary): string => `${fixed(s.median)}× (${fixed(s.min)}–${fixed(s.max)})`;

/** Rounds every number of a JSON-able value to `digits` significant decimals, for readable files. */
export function rounded(value: unknown, digits = 4): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? value : Number(value.toPrecision(digits));
  if (Array.isArray(value)) return value.map((item) => rounded(item, digits));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, rounded(item, digits)]));
  return value;
}

// ---- results ----------------------------------------------------------------------------------

export type Row = Record<string, string | number>;

/** One table of a benchmark's result: printed to the console and rendered into docs/benchmarks.md. */
export interface ResultTable {
  title: string;
  rows: Row[];
}

/** What each benchmark's `run()` answers. */
export interface BenchResult {
  /** File name in bench/results and the argument of `npm run bench -- <name>`. */
  name: string;
  title: string;
  tables: ResultTable[];
  /** Targets and whether this run met them. */
  targets: { target: string; met: boolean; measured: string }[];
  /** Notes printed under the tables (what was measured, caveats). */
  notes: string[];
  /** Everything else, for the JSON file: raw per-round samples, settings. */
  data: Record<string, unknown>;
}

export function machine(): Record<string, unknown> {
  return {
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
  };
}

export function printResult(result: BenchResult, durationMs: number): void {
  console.log(`\n## ${result.title}  (${(durationMs / 1000).toFixed(1)} s)`);
  for (const table of result.tables) {
    console.log(`\n${table.title}`);
    console.table(table.rows);
  }
  for (const target of result.targets) console.log(`${target.met ? 'MET   ' : 'MISSED'} ${target.target}: ${target.measured}`);
  for (const note of result.notes) console.log(`- ${note}`);
}

export async function writeResult(result: BenchResult, durationMs: number, command: string): Promise<string> {
  const out = join(RESULTS_DIR, `${result.name}.json`);
  await mkdir(RESULTS_DIR, { recursive: true });
  const body = {
    benchmark: result.title,
    date: new Date().toISOString(),
    command,
    durationS: durationMs / 1000,
    machine: machine(),
    targets: result.targets,
    tables: result.tables,
    notes: result.notes,
    data: result.data,
  };
  await writeFile(out, `${JSON.stringify(rounded(body), null, 2)}\n`);
  return out;
}

/** A Markdown table of rows (same keys in each). */
export function markdownTable(rows: readonly Row[]): string {
  if (rows.length === 0) return '';
  const keys = Object.keys(rows[0]!);
  const line = (cells: readonly (string | number)[]) => `| ${cells.map((cell) => String(cell).replaceAll('|', '\\|')).join(' | ')} |`;
  return [line(keys), line(keys.map(() => '---')), ...rows.map((row) => line(keys.map((key) => row[key] ?? '')))].join('\n');
}
