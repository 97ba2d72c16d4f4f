/**
 * Drives the latency probe (latencyProbe.ts) from a test: start it against a server, label phases,
 * and read the 99th percentile of each phase.
 *
 * @example
 * const probe = await ProbeClient.start(stack.graphqlUrl, stack.apiKey);
 * probe.phase('baseline'); await sleep(1_000); probe.phase('hostile'); await sendHostile();
 * const samples = await probe.collect(); percentile(samples.filter((s) => s.label === 'hostile').map((s) => s.ms), 99);
 */
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { forkClient } from './forkedClient.ts';

export interface ProbeSample {
  label: string;
  ms: number;
  ok: boolean;
}

export class ProbeClient {
  private constructor(private readonly child: ChildProcess) {}

  static async start(graphqlUrl: string, apiKey: string): Promise<ProbeClient> {
    return new ProbeClient(await forkClient(path.join(import.meta.dirname, 'latencyProbe.ts'), [graphqlUrl, apiKey]));
  }

  /** Label the probes sent from now on. */
  phase(label: string): void {
    this.child.send({ label });
  }

  /** Every sample so far, each answered or failed; probing goes on. */
  collect(): Promise<ProbeSample[]> {
    return this.ask({ collect: true });
  }

  /** Stop probing; every sample, each answered or failed. */
  stop(): Promise<ProbeSample[]> {
    return this.ask({ report: true });
  }

  private ask(message: { collect?: true; report?: true }): Promise<ProbeSample[]> {
    return new Promise((resolve, reject) => {
      const exited = (code: number | null) => reject(new Error(`The latency probe exited (${code}) without its report.`));
      this.child.once('exit', exited);
      this.child.once('message', (answer: { samples: ProbeSample[] }) => {
        this.child.off('exit', exited);
        resolve(answer.samples);
      });
      this.child.send(message);
    });
  }
}

/** The nearest-rank percentile (`p` of 100) of `values`. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
