/**
 * The Lambda handler host: each function in child processes, with the Node.js runtime's handler contract
 * (https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html, .../nodejs-context.html) and its
 * failures as the Invoke API reports them. Handlers are written into a temporary code directory.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FunctionRunner } from '../../../local/lambda/functionRunner.ts';
import type { LambdaFunctionDefinition } from '../../../local/lambda/functionDefinitions.ts';

const runners: FunctionRunner[] = [];
afterEach(() => {
  for (const runner of runners.splice(0)) runner.stop();
});

function functionWith(
  files: Record<string, string>,
  overrides: Partial<LambdaFunctionDefinition> = {},
  logs: string[] = [],
  parent = tmpdir(),
): FunctionRunner {
  const codeDirectory = mkdtempSync(path.join(parent, 'lambda-unit-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(codeDirectory, name), text);
  const runner = new FunctionRunner(
    {
      logicalId: 'Fn',
      name: 'Stack-Fn',
      arn: 'arn:aws:lambda:us-east-1:123456789012:function:Stack-Fn',
      runtime: 'nodejs20.x',
      handler: 'index.handler',
      codeDirectory,
      environment: {},
      timeoutSeconds: 3,
      memoryMB: 128,
      ...overrides,
    },
    { region: 'us-east-1', accountId: '123456789012', onLog: (line) => logs.push(line) },
  );
  runners.push(runner);
  return runner;
}

describe('the handler contract', () => {
  it('answers with an async CommonJS handler’s result, the event and context as documented', async () => {
    const runner = functionWith(
      {
        'index.js': `exports.handler = async (event, context) => ({
          event, name: context.functionName, arn: context.invokedFunctionArn, memory: context.memoryLimitInMB,
          requestId: context.awsRequestId, group: context.logGroupName, remaining: context.getRemainingTimeInMillis(),
          table: process.env.TABLE, region: process.env.AWS_REGION });`,
      },
      { environment: { TABLE: 'Stack-Notes' } },
    );
    const result = await runner.invoke({ id: 1 });
    expect(result.functionError).toBeUndefined();
    expect(result.payload).toMatchObject({
      event: { id: 1 },
      name: 'Stack-Fn',
      arn: 'arn:aws:lambda:us-east-1:123456789012:function:Stack-Fn',
      memory: '128',
      requestId: result.requestId,
      group: '/aws/lambda/Stack-Fn',
      table: 'Stack-Notes',
      region: 'us-east-1',
    });
    const remaining = (result.payload as { remaining: number }).remaining;
    expect(remaining).toBeGreaterThan(2000);
    expect(remaining).toBeLessThanOrEqual(3000);
  });

  it('answers with what a callback-style handler passes to its callback', async () => {
    const runner = functionWith({
      'index.js': `exports.handler = (event, context, callback) => { setTimeout(() => callback(null, { doubled: event.n * 2 }), 5); };`,
    });
    expect((await runner.invoke({ n: 21 })).payload).toEqual({ doubled: 42 });
  });

  it('runs an ES module handler (.mjs) and a nested handler path', async () => {
    const runner = functionWith(
      { 'app.mjs': `export const handlers = { main: async (event) => ({ esm: true, event }) };` },
      { handler: 'app.handlers.main' },
    );
    expect((await runner.invoke('x')).payload).toEqual({ esm: true, event: 'x' });
  });

  it('reads .js as CommonJS unless a package.json inside the code directory says "type": "module" (as in /var/task)', async () => {
    const parent = mkdtempSync(path.join(tmpdir(), 'lambda-scope-'));
    writeFileSync(path.join(parent, 'package.json'), '{ "type": "module" }');
    const commonJs = functionWith(
      { 'index.js': `const lib = require('./lib.js'); exports.handler = async () => lib.kind;`, 'lib.js': `exports.kind = 'cjs';` },
      {},
      [],
      parent,
    );
    expect((await commonJs.invoke({})).payload).toBe('cjs');
    const esm = functionWith({ 'package.json': '{ "type": "module" }', 'index.js': `export const handler = async () => typeof require;` });
    expect((await esm.invoke({})).payload).toBe('undefined');
  });

  it('answers null for a handler that returns nothing', async () => {
    const runner = functionWith({ 'index.js': `exports.handler = async () => {};` });
    expect((await runner.invoke({})).payload).toBeNull();
  });

  it('keeps the environment warm: module state survives between invocations', async () => {
    const runner = functionWith({ 'index.js': `let count = 0; exports.handler = async () => ++count;` });
    expect((await runner.invoke({})).payload).toBe(1);
    expect((await runner.invoke({})).payload).toBe(2);
  });
});

describe('function errors, as the Invoke API reports them', () => {
  it('answers a thrown error with its errorType, errorMessage and trace', async () => {
    const runner = functionWith({
      'index.js': `class NotFound extends Error { constructor(m) { super(m); this.name = 'NotFound'; } }
        exports.handler = async () => { throw new NotFound('no such note'); };`,
    });
    const result = await runner.invoke({});
    expect(result.functionError).toMatchObject({ errorType: 'NotFound', errorMessage: 'no such note' });
    expect(result.functionError?.trace?.[0]).toBe('NotFound: no such note');
    expect(result.payload).toEqual(result.functionError);
  });

  it('answers an error passed to the callback', async () => {
    const runner = functionWith({ 'index.js': `exports.handler = (e, c, callback) => callback(new TypeError('bad input'));` });
    expect((await runner.invoke({})).functionError).toMatchObject({ errorType: 'TypeError', errorMessage: 'bad input' });
  });

  it('times out after the function’s Timeout with "Task timed out after N seconds" (Sandbox.Timedout), and starts afresh', async () => {
    const logs: string[] = [];
    const runner = functionWith(
      { 'index.js': `let calls = 0; exports.handler = async (event) => { calls += 1; if (event.loop) for (;;) {} return calls; };` },
      { timeoutSeconds: 1 },
      logs,
    );
    const started = performance.now();
    const result = await runner.invoke({ loop: true });
    expect(performance.now() - started).toBeGreaterThanOrEqual(990);
    expect(result.functionError).toEqual({
      errorType: 'Sandbox.Timedout',
      errorMessage: `RequestId: ${result.requestId} Error: Task timed out after 1.00 seconds`,
    });
    expect(logs.some((line) => line.endsWith(`${result.requestId} Task timed out after 1.00 seconds`))).toBe(true);
    // A new environment: the module's state starts over.
    expect((await runner.invoke({})).payload).toBe(1);
  });

  it('answers Runtime.ExitError when the process exits mid-invocation, and the next invocation runs', async () => {
    const runner = functionWith({ 'index.js': `exports.handler = async (event) => { if (event.exit) process.exit(3); return 'alive'; };` });
    const crashed = await runner.invoke({ exit: true });
    expect(crashed.functionError).toEqual({
      errorType: 'Runtime.ExitError',
      errorMessage: `RequestId: ${crashed.requestId} Error: Runtime exited with error: exit status 3`,
    });
    expect((await runner.invoke({})).payload).toBe('alive');
  });

  it('answers an unhandled promise rejection as Runtime.UnhandledPromiseRejection', async () => {
    const runner = functionWith({
      'index.js': `exports.handler = (e, c, callback) => { Promise.reject(new Error('forgotten')); };`,
    });
    expect((await runner.invoke({})).functionError).toMatchObject({
      errorType: 'Runtime.UnhandledPromiseRejection',
      errorMessage: 'forgotten',
    });
  });

  it('names a missing handler export (Runtime.HandlerNotFound) and a missing module (Runtime.ImportModuleError)', async () => {
    const noExport = functionWith({ 'index.js': `exports.other = async () => 1;` });
    expect((await noExport.invoke({})).functionError).toMatchObject({
      errorType: 'Runtime.HandlerNotFound',
      errorMessage: 'index.handler is undefined or not exported',
    });
    const noModule = functionWith({}, { handler: 'missing.handler' });
    expect((await noModule.invoke({})).functionError).toMatchObject({
      errorType: 'Runtime.ImportModuleError',
      errorMessage: "Error: Cannot find module 'missing'",
    });
  });
});

describe('logs', () => {
  it('tags console output with the function name, request id and level, between START and REPORT lines', async () => {
    const logs: string[] = [];
    const runner = functionWith(
      { 'index.js': `exports.handler = async () => { console.log('hello %s', 'world'); console.error('oops'); };` },
      {},
      logs,
    );
    const { requestId } = await runner.invoke({});
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(logs[0]).toBe(`lambda Stack-Fn: START RequestId: ${requestId} Version: $LATEST`);
    expect(logs).toContainEqual(expect.stringMatching(new RegExp(`^lambda Stack-Fn: \\S+Z\\t${requestId}\\tINFO\\thello world$`)));
    expect(logs).toContainEqual(expect.stringMatching(new RegExp(`^lambda Stack-Fn: \\S+Z\\t${requestId}\\tERROR\\toops$`)));
    expect(logs).toContainEqual(expect.stringMatching(new RegExp(`^lambda Stack-Fn: REPORT RequestId: ${requestId}\\tDuration: `)));
  });
});
