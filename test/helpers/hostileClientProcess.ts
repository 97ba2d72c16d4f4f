/**
 * The hostile client's process: runs the scenarios of test/fixtures/hostileScenarios.ts on request
 * (over IPC from hostileClient.ts) and answers what the first run saw and how many runs it made.
 */
import { HOSTILE_SCENARIOS, type ServerAddress } from '../fixtures/hostileScenarios.ts';

const server = JSON.parse(process.argv[2]!) as ServerAddress;

process.on('message', (message: { scenario: string; forMs: number }) => {
  void (async () => {
    const scenario = HOSTILE_SCENARIOS.find((candidate) => candidate.name === message.scenario);
    if (!scenario) throw new Error(`No hostile scenario named ${message.scenario}.`);
    const started = performance.now();
    const outcome = await scenario.run(server);
    let runs = 1;
    while (!scenario.once && performance.now() - started < message.forMs) {
      await scenario.run(server);
      runs += 1;
    }
    process.send!({ outcome, runs });
  })().catch((error: unknown) => process.send!({ error: (error as Error).stack ?? String(error) }));
});
// The test that forked it is gone (ended, or crashed): so is this client.
process.on('disconnect', () => process.exit(0));
process.send!({ ready: true });
