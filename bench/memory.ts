/**
 * Benchmark 5, memory: resident set size of the dev server (`npm start`'s Node process, run as
 * `node --import tsx local/cli.ts`) and of its DynamoDB Local (Java), at idle and under the load
 * of benchmark 2 (aws-amplify v6 commands at concurrency 8, driven from this process).
 *
 *   npm run bench -- memory
 *
 * The server runs in a child process so its RSS is its own (no client, no benchmark code in it).
 * RSS is read from /proc/<pid>/status every SAMPLE_MS. Ratios: RSS under load / RSS at idle.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { CommandDriver } from './commandDriver.ts';
import { fixed, percentiles, ratioText, ratiosOf, spread, summarize, within, type BenchResult, type Row } from './measure.ts';
import type { BenchContext } from './run.ts';

const SAMPLE_MS = 250;
const IDLE_MS = 4_000;
const LOAD_ROUNDS = 3;
const LOAD_MS = 10_000;
const CONCURRENCY = 8;

/** RSS in MiB of a process, or NaN when it is gone. */
function rssMiB(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** The DynamoDB Local Java process started under `ancestor`. */
function javaUnder(ancestor: number): number | undefined {
  const parentOf = (pid: number): number | undefined => {
    try {
      return Number(
        readFileSync(`/proc/${pid}/stat`, 'utf8')
          .replace(/^.*\) /s, '')
          .split(' ')[1],
      );
    } catch {
      return undefined;
    }
  };
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    let cmdline = '';
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    // The Java process itself, not its shell watchdog (whose command line names the jar too).
    if (!cmdline.includes('DynamoDBLocal.jar') || !/(^|\/)java$/.test(cmdline.split('\0')[0] ?? '')) continue;
    for (let p: number | undefined = pid, depth = 0; p && p > 1 && depth < 10; p = parentOf(p), depth += 1) {
      if (p === ancestor) return pid;
    }
  }
  return undefined;
}

/** Samples both processes until `stop` resolves. */
async function sample(pids: { node: number; java: number }, stop: Promise<unknown>): Promise<{ node: number[]; java: number[] }> {
  const out = { node: [] as number[], java: [] as number[] };
  let done = false;
  void stop.finally(() => (done = true));
  while (!done) {
    out.node.push(rssMiB(pids.node));
    out.java.push(rssMiB(pids.java));
    await new Promise((resolve) => setTimeout(resolve, SAMPLE_MS));
  }
  return out;
}

export async function run(context: BenchContext): Promise<BenchResult> {
  const cdkOut = await context.cdkOut();
  let driver: CommandDriver | undefined;
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'local/cli.ts', '--port', '0', '--cdk-out', cdkOut], {
    cwd: context.projectDir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  let port = 0;
  let caFile = '';
  const ready = new Promise<void>((resolve, reject) => {
    void exited.then(() => reject(new Error('the dev server exited before it was ready')));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const url = /GraphQL\s+http:\/\/localhost:(\d+)\/graphql/.exec(line);
      if (url) port = Number(url[1]);
      const ca = /CA file\s+(\S+)/.exec(line);
      if (ca) caFile = ca[1]!;
      if (ca && port) resolve();
      driver?.serverLine(line);
    });
  });
  child.stderr!.resume();
  let javaPid: number | undefined;
  try {
    await within(120_000, ready, 'dev server start');
    javaPid = javaUnder(child.pid!);
    if (!javaPid) throw new Error('DynamoDB Local (Java) of the dev server not found');
    const pids = { node: child.pid!, java: javaPid };
    driver = new CommandDriver({ graphqlUrl: `http://127.0.0.1:${port}/graphql`, apiKey: 'da2-fakeApiId123456', caFile });

    const idleStart = await sample(pids, new Promise((resolve) => setTimeout(resolve, IDLE_MS)));
    const loads: { node: number[]; java: number[]; commands: number }[] = [];
    for (let round = 0; round < LOAD_ROUNDS; round += 1) {
      let commands = 0;
      const until = performance.now() + LOAD_MS;
      const load = (async () => {
        while (performance.now() < until) commands += (await driver.commands(CONCURRENCY * 4, CONCURRENCY)).timings.length;
      })();
      const samples = await sample(pids, load);
      await load;
      loads.push({ ...samples, commands });
    }
    const idleAfter = await sample(pids, new Promise((resolve) => setTimeout(resolve, IDLE_MS)));

    const idleNode = summarize(idleStart.node);
    const idleJava = summarize(idleStart.java);
    const loadNodeMedians = loads.map((l) => summarize(l.node).median);
    const loadJavaMedians = loads.map((l) => summarize(l.java).median);
    const row = (phase: string, node: number[], java: number[], extra = ''): Row => ({
      phase,
      'dev server (Node) RSS MiB: median (min–max)': spread(summarize(node), 0),
      'DynamoDB Local (Java) RSS MiB: median (min–max)': spread(summarize(java), 0),
      'Node / idle': ratioText(summarize(ratiosOf([summarize(node).median], [idleNode.median]))),
      'Java / idle': ratioText(summarize(ratiosOf([summarize(java).median], [idleJava.median]))),
      commands: extra,
    });
    const rows: Row[] = [
      row('idle after start', idleStart.node, idleStart.java),
      ...loads.map((l, index) => row(`under load, round ${index + 1} (${CONCURRENCY} in flight)`, l.node, l.java, String(l.commands))),
      row('idle after load', idleAfter.node, idleAfter.java),
    ];
    const loadNodeRatio = summarize(
      ratiosOf(
        loadNodeMedians,
        loadNodeMedians.map(() => idleNode.median),
      ),
    );
    const loadJavaRatio = summarize(
      ratiosOf(
        loadJavaMedians,
        loadJavaMedians.map(() => idleJava.median),
      ),
    );
    const peakNode = Math.max(...loads.flatMap((l) => l.node));
    const peakJava = Math.max(...loads.flatMap((l) => l.java));
    return {
      name: 'memory',
      title: 'Memory: RSS of the dev server (Node) and of DynamoDB Local (Java), idle and under benchmark 2',
      tables: [
        { title: `RSS sampled every ${SAMPLE_MS} ms; ${LOAD_ROUNDS} load rounds of ${LOAD_MS / 1000} s; ratios to idle after start`, rows },
      ],
      // The issue sets no memory target: the figures are reported, not judged.
      targets: [],
      notes: [
        `Node ${fixed(idleNode.median, 0)} MiB idle, ${fixed(loadNodeRatio.median)}× under load (peak ${fixed(peakNode, 0)}); Java ${fixed(idleJava.median, 0)} MiB idle, ${fixed(loadJavaRatio.median)}× under load (peak ${fixed(peakJava, 0)}).`,
        'The dev server is `node --import tsx local/cli.ts --cdk-out <synthesized app> --port 0` (what `npm start` runs, minus synthesis), logging a line per request as it does by default.',
        `p99 RSS under load: Node ${fixed(percentiles(loads.flatMap((l) => l.node)).p99, 0)} MiB, Java ${fixed(percentiles(loads.flatMap((l) => l.java)).p99, 0)} MiB.`,
      ],
      data: { sampleMs: SAMPLE_MS, idleStart, loads, idleAfter },
    };
  } finally {
    child.kill('SIGTERM');
    await within(20_000, exited, 'dev server stop').catch(() => {
      child.kill('SIGKILL');
      if (javaPid) {
        try {
          process.kill(javaPid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    });
  }
}
