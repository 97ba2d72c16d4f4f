/**
 * Drives the hostile client's process (hostileClientProcess.ts) from a test.
 *
 * @example
 * const hostile = await HostileClient.start({ graphqlUrl, realtimeUrl, port, apiKey });
 * const { outcome, runs } = await hostile.run(scenario.name, 1_500);
 */
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { ServerAddress } from '../fixtures/hostileScenarios.ts';
import { forkClient } from './forkedClient.ts';

export class HostileClient {
  private constructor(private readonly child: ChildProcess) {}

  static async start(server: ServerAddress): Promise<HostileClient> {
    // The attacker's machine is not the server's: its own CPU work (300 handshakes, megabyte bodies) must not be what slows the server.
    return new HostileClient(
      await forkClient(path.join(import.meta.dirname, 'hostileClientProcess.ts'), [JSON.stringify(server)], { niceness: 10 }),
    );
  }

  /** Run a scenario again and again for `forMs` (once, for scenarios marked so): what the first run saw, and the number of runs. */
  run(scenario: string, forMs: number): Promise<{ outcome: unknown; runs: number }> {
    return new Promise((resolve, reject) => {
      this.child.once('message', (message: { outcome: unknown; runs: number } | { error: string }) =>
        'error' in message ? reject(new Error(message.error)) : resolve(message),
      );
      this.child.send({ scenario, forMs });
    });
  }

  stop(): void {
    this.child.kill();
  }
}
