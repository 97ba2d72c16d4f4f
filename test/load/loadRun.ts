/**
 * `npm run test:load`: the full load run. Synthesizes the app, starts the
 * local stack in this process (so this process's RSS is the server's), sends
 * 10 000 commands at concurrency 32 through the shared driver, prints the
 * table and writes bench/results/load.json. Exits 1 if anything was lost or
 * inconsistent, or if the run took longer than its bound.
 *
 * Run with --expose-gc (the npm script does) to report the heap after a full
 * collection, which tells retained memory from garbage not yet collected.
 *
 * Options: --commands N (10000), --concurrency C (32), --timeout S (the API's
 * COMMAND_TIMEOUT_SECONDS, default 10 as deployed), --bound-minutes M (20),
 * --hostile (hostile clients and a latency probe alongside: hostileAlongside.ts;
 * the run then also fails if a hostile request was not answered as expected).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startLocalCore } from '../../dev/localCore.ts';
import { synthesize } from '../../local/index.ts';
import { HostileAlongside, type HostileFigures } from './hostileAlongside.ts';
import { formatLoadReport, runLoad } from './loadDriver.ts';

const { values } = parseArgs({
  options: {
    commands: { type: 'string', default: '10000' },
    concurrency: { type: 'string', default: '32' },
    timeout: { type: 'string', default: '10' },
    'bound-minutes': { type: 'string', default: '20' },
    out: { type: 'string', default: 'bench/results/load.json' },
    hostile: { type: 'boolean', default: false },
  },
});
const commands = Number(values.commands);
const concurrency = Number(values.concurrency);
const commandTimeoutSeconds = Number(values.timeout);
const boundMs = Number(values['bound-minutes']) * 60_000;

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const started = performance.now();
console.log('synthesizing the CDK app …');
const cdkOut = path.resolve('.local/cdk.out.load');
await synthesize(process.cwd(), cdkOut);
const core = await startLocalCore({
  cdkOut,
  port: 0,
  tlsDir: '.local/tls',
  environment: { COMMAND_TIMEOUT_SECONDS: String(commandTimeoutSeconds) },
});
const stack = core.stack;
let failed = false;
try {
  console.log(`serving ${stack.graphqlUrl}; ${commands} commands at concurrency ${concurrency}, deadline ${commandTimeoutSeconds} s`);
  const bound = setTimeout(() => {
    console.error(`The load run exceeded its bound of ${values['bound-minutes']} minutes.`);
    process.exit(1);
  }, boundMs);
  const hostile = values.hostile ? await HostileAlongside.start(stack) : undefined;
  const report = await runLoad({
    stack,
    commands,
    concurrency,
    commandTimeoutSeconds,
    progressEvery: 1000,
    onProgress: (answered, { elapsedMs, rssMb, heapMb }) =>
      console.log(`  ${answered} answered in ${(elapsedMs / 1000).toFixed(1)} s, server RSS ${rssMb} MB, heap ${heapMb} MB`),
  });
  const hostileFigures: HostileFigures | undefined = await hostile?.stop();
  clearTimeout(bound);
  console.log(`\n${formatLoadReport(report)}`);
  if (hostileFigures) {
    console.log(
      `hostile clients alongside: ${hostileFigures.scenarioRuns} scenario runs, ${hostileFigures.unexpected.length} not answered as expected; probe ${hostileFigures.probes} requests, ${hostileFigures.failedProbes} failed, p50 ${hostileFigures.probeP50Ms.toFixed(1)} ms, p99 ${hostileFigures.probeP99Ms.toFixed(1)} ms`,
    );
  }
  const totalMs = Math.round(performance.now() - started);
  failed =
    report.lost > 0 ||
    report.duplicates > 0 ||
    report.messagesForUnaccepted > 0 ||
    report.storeMismatches > 0 ||
    report.storeProblems.length > 0 ||
    (hostileFigures !== undefined && (hostileFigures.unexpected.length > 0 || hostileFigures.failedProbes > 0));
  mkdirSync(path.dirname(values.out!), { recursive: true });
  writeFileSync(
    values.out!,
    `${JSON.stringify(
      {
        measuredAt: new Date().toISOString(),
        machine: {
          cpus: os.cpus().length,
          cpuModel: os.cpus()[0]?.model,
          totalMemoryMb: Math.round(os.totalmem() / 1_048_576),
          node: process.version,
        },
        totalRunMs: totalMs,
        passed: !failed,
        ...report,
        ...(hostileFigures ? { hostile: hostileFigures } : {}),
      },
      null,
      2,
    )}\n`,
  );
  console.log(
    `\nwrote ${values.out} (whole run ${(totalMs / 1000).toFixed(1)} s)${failed ? '; FAILED: something was lost or inconsistent' : ''}`,
  );
} finally {
  await core.stop();
}
process.exit(failed ? 1 : 0);
