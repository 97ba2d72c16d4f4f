import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { configDefaults, defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);
/** Measures the server's responsiveness with a probe client: it runs alone, after every other test file. */
const RUNS_ALONE = ['test/integration/badInput/expensiveRequests.test.ts'];

export default defineConfig({
  resolve: {
    // graphql 15 ships CommonJS (.js) and ESM (.mjs) copies. The AppSync simulator requires the CommonJS
    // one; Vite would hand our imports the .mjs one, and two copies refuse each other's schema
    // ("another module or realm"). Node itself (npm start) picks .js for both.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    globalSetup: ['test/globalSetup.ts'],
    // Integration suites start servers (DynamoDB Local, the GraphQL server): give them room on a 2-core machine.
    testTimeout: 30_000,
    // On Node 20 the AWS SDK warns once per process that its 2027 releases need Node 22 (README,
    // "Node.js versions"); `npm start` silences it the same way (local/cli.ts).
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    hookTimeout: 60_000,
    // Vitest's default is one worker less than the cores: one worker on this 2-core machine, where the
    // suites mostly wait on DynamoDB Local and sockets. Two workers took the whole suite from 734 s to
    // 495 s here (CI runs it twice, on Node 20 and 24, within 20 minutes); larger machines keep the default.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // Test files of one worker share its loaded modules instead of loading the runtime, the AWS SDK and
    // the simulator again per file: module loading fell from 245 s to 33 s of the run (the whole suite
    // from 543 s to 412 s on this machine, 1 809 tests passing both ways). Tests keep no module-level
    // state of their own: each file starts and stops its own stack, DynamoDB Local and clients.
    isolate: false,
    // .only must never reach main: fail the run instead of silently skipping the rest.
    allowOnly: false,
    projects: [
      { extends: true, test: { name: 'tests', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, ...RUNS_ALONE] } },
      // groupOrder 1: starts once every file of group 0 has finished, so no other suite's load is in its measurements.
      { extends: true, test: { name: 'alone', include: RUNS_ALONE, sequence: { groupOrder: 1 } } },
    ],
    // CI reads the counts from this file for its closing line (.ci/run).
    reporters: process.env.CI ? ['default', ['json', { outputFile: '.vitest-results.json' }]] : ['default'],
  },
});
