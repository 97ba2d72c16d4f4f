/**
 * Expensive and hostile clients against the local stack (test/fixtures/hostileScenarios.ts), each while
 * a probe client sends `{ __typename }` every 50 ms. Both clients run in processes of their own (the
 * hostile one at a lower CPU priority: it stands for another machine), so the server's event loop is what
 * the probe measures. Every request is answered, or refused with AppSync's error, the server keeps
 * serving, and nothing is stored but what the scenarios' own commands store.
 *
 * The probe's bound, per scenario: its 99th percentile while the scenario runs stays within 50 ms of its
 * baseline, measured side by side: the second just before it, or the run's baseline so far (every quiet
 * second before, pooled), whichever is higher.
 *
 * What it proves: no scenario holds the event loop for long. A request whose parse, validation, resolvers
 * or deliveries ran as one block would stop every probe sent meanwhile, on every attempt (the 40 000-repeat
 * query held the loop for 23 s). What it cannot tell apart from such a block is a busy machine: on two cores
 * shared with other work, the server's own CPU time (a garbage collection, a burst of handshakes) stretches
 * several-fold when the machine is loaded, in some windows and not others. So a scenario whose window lands
 * over the bound is measured again, side by side, up to three times: a blocking server fails all three,
 * a busy second does not repeat. It does not prove a scenario is cheap: work moved to the document-check
 * worker still takes a core.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOSTILE_SCENARIOS } from '../../fixtures/hostileScenarios.ts';
import { HostileClient } from '../../helpers/hostileClient.ts';
import { useLocalStack } from '../../helpers/localStack.ts';
import { ProbeClient, percentile, type ProbeSample } from '../../helpers/probeClient.ts';
import { scanTable } from '../../load/storeAudit.ts';

const serverLog: string[] = [];
// A client that never reads is closed once 256 KB wait for it (8 MB by default: shrunk to reach it in a test).
const local = useLocalStack({ limits: { realtimeUnreadBytes: 256 * 1024 }, onEvent: (line) => serverLog.push(line) });

const BASELINE_MS = 1_000;
const HOSTILE_MS = 1_500;
const PROBE_BOUND_MS = 50;
const ATTEMPTS = 3;

let probe: ProbeClient;
let hostile: HostileClient;
/** Every attempt's figures, for the report at the end (docs/guarantees.md quotes it). */
const measured: {
  scenario: string;
  attempt: number;
  baseline: number;
  bound: number;
  during: number;
  probes: number;
  failedProbes: number;
}[] = [];

beforeAll(async () => {
  const { stack } = local;
  [probe, hostile] = await Promise.all([
    ProbeClient.start(stack.graphqlUrl, stack.apiKey),
    HostileClient.start({ graphqlUrl: stack.graphqlUrl, realtimeUrl: stack.realtimeUrl, port: stack.port, apiKey: stack.apiKey }),
  ]);
}, 60_000);
afterAll(async () => {
  hostile?.stop();
  await probe?.stop().catch(() => undefined);
});

const latencies = (samples: ProbeSample[], label: string) => samples.filter((sample) => sample.label === label).map((sample) => sample.ms);

describe('hostile clients', () => {
  for (const scenario of HOSTILE_SCENARIOS) {
    it(`${scenario.name}: answered or refused as AppSync does, with the probe within ${PROBE_BOUND_MS} ms of its baseline`, async () => {
      for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
        const label = `${scenario.name}#${attempt}`;
        probe.phase(`baseline:${label}`);
        await sleep(BASELINE_MS);
        probe.phase(`hostile:${label}`);
        const started = performance.now();
        const { outcome } = await hostile.run(scenario.name, HOSTILE_MS);
        // A scenario that runs once keeps its window open for the rest of the probes.
        await sleep(Math.max(0, HOSTILE_MS - (performance.now() - started)));
        probe.phase('idle');
        expect(outcome).toEqual(scenario.expected);

        const samples = await probe.collect();
        const runBaseline = percentile(
          samples.filter((sample) => sample.label.startsWith('baseline:')).map((sample) => sample.ms),
          99,
        );
        const baseline = percentile(latencies(samples, `baseline:${label}`), 99);
        const during = latencies(samples, `hostile:${label}`);
        const row = {
          scenario: scenario.name,
          attempt,
          baseline,
          bound: Math.max(baseline, runBaseline) + PROBE_BOUND_MS,
          during: percentile(during, 99),
          probes: during.length,
          failedProbes: samples.filter((sample) => sample.label.endsWith(label) && !sample.ok).length,
        };
        measured.push(row);
        expect(row.failedProbes).toBe(0);
        // The probe's own timer runs late on a busy machine; a window still holds most of its 30 probes.
        expect(row.probes).toBeGreaterThanOrEqual(HOSTILE_MS / 50 / 2);
        if (row.during <= row.bound) return;
      }
      const attempts = measured.filter((row) => row.scenario === scenario.name);
      expect.fail(
        `The probe's p99 passed its bound in all ${ATTEMPTS} attempts: ${attempts.map((row) => `${row.during.toFixed(0)} ms over ${row.bound.toFixed(0)} ms`).join('; ')}`,
      );
    }, 180_000);
  }

  it('closed the client that never read once its unread bytes passed the bound, and said so', () => {
    expect(serverLog).toContainEqual(
      expect.stringMatching(/^real-time connection closed: \d+ bytes unread by the client \(more than 262144\)$/),
    );
  });
});

describe('after the hostile clients', () => {
  it('stored nothing but the scenarios’ own commands, and logged no internal error', async () => {
    await local.stack.bus.idle();
    const stores = HOSTILE_SCENARIOS.flatMap((scenario) => scenario.stores ?? []);
    const items = await scanTable(local.stack.dynamoDb.createClient(), local.stack.tables[0]!);
    expect(items.filter((item) => !stores.some((id) => JSON.stringify(item).includes(id)))).toEqual([]);
    expect(items.length).toBeGreaterThan(0);
    expect(serverLog.filter((line) => line.startsWith('internal error'))).toEqual([]);
  });

  it('reports the probe’s figures', () => {
    // The figures docs/guarantees.md reports.
    console.log(
      measured
        .map(
          (row) =>
            `${row.scenario} (attempt ${row.attempt}): baseline p99 ${row.baseline.toFixed(1)} ms, during p99 ${row.during.toFixed(1)} ms, bound ${row.bound.toFixed(1)} ms (${row.probes} probes)`,
        )
        .join('\n'),
    );
    expect(new Set(measured.map((row) => row.scenario)).size).toBe(HOSTILE_SCENARIOS.length);
  });
});
