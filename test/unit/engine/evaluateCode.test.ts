import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../local/bin/evaluateCodeCli.ts';
import { BadRequestError, evaluateCode, type EvaluateCodeInput } from '../../../local/engine/index.ts';

const runtime = { name: 'APPSYNC_JS', runtimeVersion: '1.0.0' };
const getItem = `import { util } from '@aws-appsync/utils';
export function request(ctx) {
  console.log('getting', ctx.args.id);
  ctx.stash.requestedAt = 'now';
  return { operation: 'GetItem', key: util.dynamodb.toMapValues({ id: ctx.args.id }) };
}
export function response(ctx) {
  if (ctx.error) util.error(ctx.error.message, ctx.error.type);
  if (!ctx.result) util.appendError('not found', 'NotFound');
  return ctx.result;
}
`;
const input = (overrides: Partial<EvaluateCodeInput>): EvaluateCodeInput => ({
  runtime,
  code: getItem,
  context: '{}',
  function: 'request',
  ...overrides,
});

describe('evaluateCode, the offline EvaluateCode API', () => {
  it('returns the request handler result as JSON text, with logs and the stash', () => {
    const output = evaluateCode(input({ context: JSON.stringify({ arguments: { id: '42' } }) }));
    expect(output).toEqual({
      evaluationResult: '{"operation":"GetItem","key":{"id":{"S":"42"}}}',
      logs: ['INFO - getting 42'],
      stash: '{"requestedAt":"now"}',
      outErrors: '[]',
    });
    expect(Object.keys(output)).toEqual(['evaluationResult', 'logs', 'stash', 'outErrors']);
  });

  it('runs the response handler against ctx.result and reports appended errors in outErrors', () => {
    const output = evaluateCode(
      input({ function: 'response', context: JSON.stringify({ arguments: { id: '1' }, result: null, stash: { a: 1 } }) }),
    );
    expect(output.evaluationResult).toBe('null');
    expect(output.stash).toBe('{"a":1}');
    expect(JSON.parse(output.outErrors ?? '')).toEqual([{ message: 'not found', errorType: 'NotFound', data: null, errorInfo: null }]);
  });

  it('reports util.error as error.message, without an evaluation result', () => {
    const output = evaluateCode(
      input({
        function: 'response',
        context: JSON.stringify({ error: { message: 'Access denied', type: 'DynamoDB:AccessDeniedException' } }),
      }),
    );
    expect(output.error).toEqual({ message: 'Access denied' });
    expect(output.evaluationResult).toBeUndefined();
  });

  it('reports code AWS would refuse as error.codeErrors with line and column', () => {
    const code =
      'export function request(ctx) {\n  for (let i = 0; i < 2; i += 1) {}\n  return {};\n}\nexport function response(ctx) { return ctx.result }\n';
    const output = evaluateCode(input({ code }));
    expect(output.error?.message).toBe('The code contains one or more errors.');
    expect(output.error?.codeErrors).toEqual([
      { errorType: 'LINT_ERROR', value: expect.stringMatching(/^for\(initialization/), location: { line: 2, column: 3, span: 3 } },
    ]);
    expect(output.evaluationResult).toBeUndefined();
  });

  it('reports a runtime error with where it happened', () => {
    const output = evaluateCode(
      input({
        code: 'export function request(ctx) {\n  return ctx.args.a.b;\n}\nexport function response(ctx) { return ctx.result }',
        context: '{"arguments":{}}',
      }),
    );
    expect(output.error?.message).toBe("code.js:2:21: TypeError: Cannot read properties of undefined (reading 'b')");
  });

  it('returns the early value of runtime.earlyReturn as the evaluation result', () => {
    const code =
      "import { runtime } from '@aws-appsync/utils';\nexport function request(ctx) { runtime.earlyReturn({ early: true }) }\nexport function response(ctx) { return ctx.result }";
    expect(evaluateCode(input({ code })).evaluationResult).toBe('{"early":true}');
  });

  it('rejects what AWS rejects as BadRequestException: another runtime, a context that is not JSON', () => {
    expect(() => evaluateCode(input({ runtime: { name: 'VTL', runtimeVersion: '1.0.0' } }))).toThrow(BadRequestError);
    expect(() => evaluateCode(input({ context: '{nope' }))).toThrow(/context is not valid JSON/);
  });
});

describe('the evaluate-code command', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'evaluate-code-'));
    await writeFile(join(dir, 'Query.getThing.js'), getItem);
    await writeFile(
      join(dir, 'Query.getThing.ts'),
      `import { util, type Context } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import { keyOf } from './keys.ts';
export function request(ctx: Context<{ id: string }>) {
  return ddb.get({ key: keyOf(ctx.args.id) });
}
export function response(ctx: Context) {
  return ctx.result as unknown;
}
void util;
`,
    );
    await writeFile(join(dir, 'keys.ts'), 'export const keyOf = (id: string): { pk: string } => ({ pk: `THING#${id}` });\n');
    await writeFile(join(dir, 'ctx.json'), JSON.stringify({ arguments: { id: '7' } }));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const run = async (argv: string[]) => {
    let out = '';
    let err = '';
    const code = await main(argv, { out: (t) => (out += t), err: (t) => (err += t) });
    return { code, out, err };
  };

  it('evaluates a .js file as is and prints the EvaluateCode output as JSON', async () => {
    const { code, out } = await run([
      '--code',
      join(dir, 'Query.getThing.js'),
      '--function',
      'request',
      '--context',
      join(dir, 'ctx.json'),
    ]);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({
      evaluationResult: '{"operation":"GetItem","key":{"id":{"S":"7"}}}',
      logs: ['INFO - getting 7'],
    });
  });

  it('bundles a .ts file with esbuild first, @aws-appsync/utils left external', async () => {
    const { code, out } = await run([
      '--code',
      join(dir, 'Query.getThing.ts'),
      '--function',
      'request',
      '--context',
      join(dir, 'ctx.json'),
    ]);
    expect(code).toBe(0);
    expect(JSON.parse(JSON.parse(out).evaluationResult)).toMatchObject({ operation: 'GetItem', key: { pk: { S: 'THING#7' } } });
  });

  it('takes an inline JSON context too, and fails with usage on a missing --code', async () => {
    const inline = await run(['--code', join(dir, 'Query.getThing.js'), '--function', 'response', '--context', '{"result":{"id":"1"}}']);
    expect(JSON.parse(inline.out).evaluationResult).toBe('{"id":"1"}');
    const missing = await run(['--function', 'request']);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/--code is required/);
  });

  it('runs as the package bin on Node 20 through the tsx shim', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['local/bin/evaluate-code.mjs', '--code', join(dir, 'Query.getThing.js'), '--context', join(dir, 'ctx.json')],
      {
        cwd: join(import.meta.dirname, '../../..'),
      },
    );
    expect(JSON.parse(stdout)).toMatchObject({ evaluationResult: '{"operation":"GetItem","key":{"id":{"S":"7"}}}' });
  });
});
