/**
 * Synthesizes the CDK app once per test run, for the suites that serve the
 * template locally (resolvers, integration, e2e). Runs that select only
 * unit or infra tests skip it. Every project is told where it is.
 */
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { synthesize } from '../local/index.ts';

const NEEDS_TEMPLATE = ['test/integration', 'test/e2e', 'test/resolvers'];

declare module 'vitest' {
  export interface ProvidedContext {
    cdkOut: string;
  }
}

export default async function setup(project: TestProject): Promise<void> {
  const filters = project.vitest.config.project?.length ? [] : process.argv.slice(2).filter((arg) => arg.startsWith('test'));
  const outdir = path.resolve('.local/cdk.out.test');
  project.provide('cdkOut', outdir);
  const needed =
    filters.length === 0 ||
    filters.some((filter) => NEEDS_TEMPLATE.some((folder) => filter.startsWith(folder) || folder.startsWith(filter)));
  // Called once per project (vitest.config.ts) and once for the root, one after another before any test: synthesize once.
  if (needed && project.isRootProject()) {
    await synthesize(process.cwd(), outdir);
  }
}
