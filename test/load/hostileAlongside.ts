/**
 * Hostile clients alongside a load run (`npm run test:load -- --hostile`): while the commands run, the
 * hostile client's process cycles through the scenarios of test/fixtures/hostileScenarios.ts that store
 * nothing, and a probe client sends `{ __typename }` every 50 ms. Both run in processes of their own.
 * The load's own accounting then says whether anything was lost under them.
 *
 * @example
 * const hostile = await HostileAlongside.start(stack);
 * const report = await runLoad(...);
 * const figures = await hostile.stop(); // scenarios run, outcomes not as expected, probe p50/p99
 */
import { isDeepStrictEqual } from 'node:util';
import type { LocalStack } from '../../local/index.ts';
import { HOSTILE_SCENARIOS } from '../fixtures/hostileScenarios.ts';
import { HostileClient } from '../helpers/hostileClient.ts';
import { ProbeClient, percentile } from '../helpers/probeClient.ts';

export interface HostileFigures {
  scenarioRuns: number;
  /** Scenarios whose outcome was not what a correct server answers. */
  unexpected: { scenario: string; outcome: unknown }[];
  probes: number;
  failedProbes: number;
  probeP50Ms: number;
  probeP99Ms: number;
}

export class HostileAlongside {
  private stopping = false;
  private scenarioRuns = 0;
  private readonly unexpected: HostileFigures['unexpected'] = [];
  private cycling: Promise<void> = Promise.resolve();

  private constructor(
    private readonly hostile: HostileClient,
    private readonly probe: ProbeClient,
  ) {}

  static async start(stack: LocalStack): Promise<HostileAlongside> {
    const [hostile, probe] = await Promise.all([
      HostileClient.start({ graphqlUrl: stack.graphqlUrl, realtimeUrl: stack.realtimeUrl, port: stack.port, apiKey: stack.apiKey }),
      ProbeClient.start(stack.graphqlUrl, stack.apiKey),
    ]);
    const alongside = new HostileAlongside(hostile, probe);
    probe.phase('load');
    alongside.cycling = alongside.cycle();
    return alongside;
  }

  private async cycle(): Promise<void> {
    const scenarios = HOSTILE_SCENARIOS.filter((scenario) => !scenario.stores);
    for (let index = 0; !this.stopping; index += 1) {
      const scenario = scenarios[index % scenarios.length]!;
      try {
        const { outcome, runs } = await this.hostile.run(scenario.name, 1_000);
        this.scenarioRuns += runs;
        if (!isDeepStrictEqual(outcome, scenario.expected)) this.unexpected.push({ scenario: scenario.name, outcome });
      } catch (error) {
        // A scenario that failed on the client's side (it waited in vain) counts as not answered as expected.
        this.scenarioRuns += 1;
        this.unexpected.push({ scenario: scenario.name, outcome: (error as Error).message });
      }
    }
  }

  async stop(): Promise<HostileFigures> {
    this.stopping = true;
    await this.cycling;
    this.hostile.stop();
    const samples = await this.probe.stop();
    const latencies = samples.map((sample) => sample.ms);
    return {
      scenarioRuns: this.scenarioRuns,
      unexpected: this.unexpected,
      probes: samples.length,
      failedProbes: samples.filter((sample) => !sample.ok).length,
      probeP50Ms: percentile(latencies, 50),
      probeP99Ms: percentile(latencies, 99),
    };
  }
}
