import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CodeLoadError, loadFile } from '../../../local/engine/index.ts';

describe('loading a TypeScript resolver file', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'engine-load-file-'));
    await writeFile(
      join(dir, 'Query.counter.ts'),
      `import type { Context } from '@aws-appsync/utils';
import { nextOf } from './counting.ts';

type Args = { n: number };
export function request(ctx: Context<Args>) {
  return { payload: nextOf(ctx.args.n) };
}
export function response(ctx: Context) {
  return (ctx.result as { value: { deep: number } }).value.deep;
}
`,
    );
    await writeFile(
      join(dir, 'counting.ts'),
      `export function nextOf(n: number): number {\n  let m: number = n;\n  m++;\n  return m;\n}\n`,
    );
    await writeFile(
      join(dir, 'Query.ok.ts'),
      `import type { Context } from '@aws-appsync/utils';\n\ninterface Item { id: string }\nexport function request(ctx: Context) {\n  return { payload: null };\n}\nexport function response(ctx: Context) {\n  const item = ctx.result as Item;\n  return item.id;\n}\n`,
    );
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('bundles it and points code errors at the TypeScript source, helper modules included', async () => {
    const error = await loadFile(join(dir, 'Query.counter.ts')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CodeLoadError);
    expect((error as CodeLoadError).message).toContain(
      `${relative(process.cwd(), join(dir, 'counting.ts'))}:3:3: LINT_ERROR The operator ++ is not supported.`,
    );
  });

  it('points runtime errors at the TypeScript source', async () => {
    const code = await loadFile(join(dir, 'Query.ok.ts'));
    const { outcome } = code.evaluate('response', { result: null });
    expect(outcome).toMatchObject({
      status: 'runtimeError',
      error: { name: 'TypeError', location: `${relative(process.cwd(), join(dir, 'Query.ok.ts'))}:9:15` },
    });
  });
});
