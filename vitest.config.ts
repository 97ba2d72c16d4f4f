import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Integration suites start servers (DynamoDB Local, the GraphQL server): give them room on a 2-core machine.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // .only must never reach main: fail the run instead of silently skipping the rest.
    allowOnly: false,
    // CI reads the counts from this file for its closing line (.ci/run).
    reporters: process.env.CI ? ['default', ['json', { outputFile: '.vitest-results.json' }]] : ['default'],
  },
});
