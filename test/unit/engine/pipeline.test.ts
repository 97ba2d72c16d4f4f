import { describe, expect, it } from 'vitest';
import {
  createResolver,
  loadCode,
  noneDataSource,
  type DataSource,
  type DataSourceCall,
  type LoadedCode,
} from '../../../local/engine/index.ts';

/** A module with these two handler bodies. */
function handlers(request: string, response: string, file?: string): LoadedCode {
  return loadCode(
    `import { util, runtime, extensions } from '@aws-appsync/utils';\nexport function request(ctx) {\n${request}\n}\nexport function response(ctx) {\n${response}\n}\n`,
    file ? { file } : {},
  );
}

/** A data source that records its calls and answers with `answer(request)`. */
function recordingDataSource(
  answer: (request: unknown) => { result?: unknown; error?: { message: string; type: string } } = (r) => ({ result: r }),
) {
  const calls: { request: unknown; call: DataSourceCall }[] = [];
  const dataSource: DataSource = {
    invoke(request, call) {
      calls.push({ request, call });
      return Promise.resolve(answer(request));
    },
  };
  return { dataSource, calls };
}

const passThroughResolver = () => handlers('return {};', 'return ctx.prev.result;', 'Mutation.pipeline.js');

describe('a unit resolver', () => {
  it('runs request, then the data source with its return value, then response with ctx.result', async () => {
    const code = handlers("return { payload: { id: ctx.args.id, by: 'request' } };", "return { ...ctx.result, seen: 'response' };");
    const resolver = createResolver(
      { kind: 'UNIT', typeName: 'Query', fieldName: 'getThing', code, dataSource: 'NONE' },
      { NONE: noneDataSource },
    );

    const result = await resolver.resolve({ arguments: { id: '7' } });

    expect(result.data).toEqual({ id: '7', by: 'request', seen: 'response' });
    expect(result.errors).toEqual([]);
  });

  it('hands a data source error to the response handler as ctx.error, without failing the field', async () => {
    const { dataSource } = recordingDataSource(() => ({
      error: { message: 'The conditional request failed', type: 'DynamoDB:ConditionalCheckFailedException' },
    }));
    const code = handlers('return { operation: "PutItem" };', 'return { saw: ctx.error, result: ctx.result };');
    const resolver = createResolver(
      { kind: 'UNIT', typeName: 'Mutation', fieldName: 'put', code, dataSource: 'table' },
      { table: dataSource },
    );

    const result = await resolver.resolve({});

    expect(result.data).toEqual({
      saw: { message: 'The conditional request failed', type: 'DynamoDB:ConditionalCheckFailedException' },
      result: null,
    });
    expect(result.errors).toEqual([]);
  });

  it('fails the field with the GraphQL error AppSync returns when the response calls util.error', async () => {
    const { dataSource } = recordingDataSource(() => ({
      error: { message: 'The conditional request failed', type: 'DynamoDB:ConditionalCheckFailedException' },
    }));
    const code = handlers(
      'return { operation: "PutItem" };',
      'if (ctx.error) { util.error(ctx.error.message, ctx.error.type, { id: 1 }, { retry: false }); }\nreturn ctx.result;',
    );
    const resolver = createResolver(
      { kind: 'UNIT', typeName: 'Mutation', fieldName: 'put', code, dataSource: 'table' },
      { table: dataSource },
    );

    const result = await resolver.resolve({ path: ['put'], locations: [{ line: 2, column: 3 }] });

    expect(result.data).toBeNull();
    expect(result.errors).toEqual([
      {
        message: 'The conditional request failed',
        errorType: 'DynamoDB:ConditionalCheckFailedException',
        data: { id: 1 },
        errorInfo: { retry: false },
        path: ['put'],
        locations: [{ line: 2, column: 3, sourceName: null }],
      },
    ]);
  });

  it('returns the data and the appended errors when the code calls util.appendError', async () => {
    const code = handlers(
      "util.appendError('first', 'Warning');\nreturn { payload: 1 };",
      "util.appendError('second', 'Warning', null, { hint: 'x' });\nreturn ctx.result;",
    );
    const resolver = createResolver(
      { kind: 'UNIT', typeName: 'Query', fieldName: 'n', code, dataSource: 'NONE' },
      { NONE: noneDataSource },
    );

    const result = await resolver.resolve({});

    expect(result.data).toBe(1);
    expect(result.errors.map((e) => [e.message, e.errorType, e.data, e.errorInfo, e.path])).toEqual([
      ['first', 'Warning', null, null, ['n']],
      ['second', 'Warning', null, { hint: 'x' }, ['n']],
    ]);
  });

  it('returns the early value from request and skips the data source and response', async () => {
    const { dataSource, calls } = recordingDataSource();
    const code = handlers('runtime.earlyReturn({ cached: true });\nreturn { never: true };', "util.error('response must not run');");
    const resolver = createResolver(
      { kind: 'UNIT', typeName: 'Query', fieldName: 'cached', code, dataSource: 'table' },
      { table: dataSource },
    );

    const result = await resolver.resolve({});

    expect(result).toMatchObject({ data: { cached: true }, errors: [] });
    expect(calls).toEqual([]);
  });

  it('fails the field with errorType Code when the code itself throws', async () => {
    const code = handlers('return ctx.args.missing.field;', 'return ctx.result;', 'Query.broken.js');
    const resolver = createResolver(
      { kind: 'UNIT', typeName: 'Query', fieldName: 'broken', code, dataSource: 'NONE' },
      { NONE: noneDataSource },
    );

    const result = await resolver.resolve({});

    expect(result.data).toBeNull();
    expect(result.errors).toEqual([
      expect.objectContaining({
        errorType: 'Code',
        message: "Query.broken.js:3:25: TypeError: Cannot read properties of undefined (reading 'field')",
      }),
    ]);
  });

  it('answers util.unauthorized with the message AppSync gives', async () => {
    const code = handlers('util.unauthorized();', 'return ctx.result;');
    const resolver = createResolver(
      { kind: 'UNIT', typeName: 'Mutation', fieldName: 'saveReservationEvent', code, dataSource: 'NONE' },
      { NONE: noneDataSource },
    );

    const result = await resolver.resolve({});

    expect(result.errors).toEqual([
      expect.objectContaining({ message: 'Not Authorized to access saveReservationEvent on type Mutation', errorType: 'Unauthorized' }),
    ]);
  });
});

describe('a pipeline resolver', () => {
  it("passes the resolver request's result to the first function, each result to the next, the last to the response", async () => {
    const before = handlers("return { step: 'before' };", 'return { final: ctx.prev.result };');
    const first = handlers("return { payload: { saw: ctx.prev.result, step: 'first' } };", 'return ctx.result;');
    const second = handlers("return { payload: { saw: ctx.prev.result, step: 'second' } };", 'return ctx.result;');
    const resolver = createResolver(
      {
        kind: 'PIPELINE',
        typeName: 'Mutation',
        fieldName: 'chain',
        code: before,
        functions: [
          { name: 'first', code: first, dataSource: 'NONE' },
          { name: 'second', code: second, dataSource: 'NONE' },
        ],
      },
      { NONE: noneDataSource },
    );

    const result = await resolver.resolve({});

    expect(result.data).toEqual({ final: { saw: { saw: { step: 'before' }, step: 'first' }, step: 'second' } });
  });

  it('shares one stash between every handler', async () => {
    const before = handlers(
      "ctx.stash.trail = ['before.request'];\nreturn {};",
      "ctx.stash.trail.push('before.response');\nreturn ctx.stash.trail;",
    );
    const step = handlers(
      "ctx.stash.trail.push('fn.request');\nreturn { payload: null };",
      "ctx.stash.trail.push('fn.response');\nreturn ctx.result;",
    );
    const resolver = createResolver(
      {
        kind: 'PIPELINE',
        typeName: 'Query',
        fieldName: 'trail',
        code: before,
        functions: [{ name: 'fn', code: step, dataSource: 'NONE' }],
      },
      { NONE: noneDataSource },
    );

    const result = await resolver.resolve({});

    expect(result.data).toEqual(['before.request', 'fn.request', 'fn.response', 'before.response']);
    expect(result.stash).toEqual({ trail: ['before.request', 'fn.request', 'fn.response', 'before.response'] });
  });

  it('stops at util.error: later functions do not run and the field is null with that error', async () => {
    const { dataSource, calls } = recordingDataSource();
    const validate = handlers(
      "if (!ctx.args.name) { util.error('name is required', 'ValidationError', null, { field: 'name' }); }\nreturn { payload: ctx.args };",
      'return ctx.result;',
    );
    const save = handlers("return { operation: 'PutItem' };", 'return ctx.result;');
    const resolver = createResolver(
      {
        kind: 'PIPELINE',
        typeName: 'Mutation',
        fieldName: 'create',
        code: passThroughResolver(),
        functions: [
          { name: 'validate', code: validate, dataSource: 'NONE' },
          { name: 'save', code: save, dataSource: 'table' },
        ],
      },
      { NONE: noneDataSource, table: dataSource },
    );

    const result = await resolver.resolve({ arguments: {} });

    expect(result.data).toBeNull();
    expect(result.errors).toEqual([
      {
        message: 'name is required',
        errorType: 'ValidationError',
        data: null,
        errorInfo: { field: 'name' },
        path: ['create'],
        locations: [],
      },
    ]);
    expect(calls).toEqual([]);
  });

  it('collects util.appendError from every step and still returns the data', async () => {
    const warn = handlers(
      "util.appendError('from ' + ctx.stash.n, 'Warning');\nctx.stash.n = (ctx.stash.n ?? 0) + 1;\nreturn { payload: ctx.stash.n };",
      'return ctx.result;',
    );
    const resolver = createResolver(
      {
        kind: 'PIPELINE',
        typeName: 'Query',
        fieldName: 'warned',
        code: passThroughResolver(),
        functions: [
          { name: 'a', code: warn, dataSource: 'NONE' },
          { name: 'b', code: warn, dataSource: 'NONE' },
        ],
      },
      { NONE: noneDataSource },
    );

    const result = await resolver.resolve({});

    expect(result.data).toBe(2);
    expect(result.errors.map((e) => e.message)).toEqual(['from undefined', 'from 1']);
  });

  it("on earlyReturn in a function's request, skips that function's data source and response, and goes on with its value", async () => {
    const { dataSource, calls } = recordingDataSource();
    const cached = handlers("runtime.earlyReturn({ from: 'cache' });", "util.error('response must not run');");
    const next = handlers('return { payload: { after: ctx.prev.result } };', 'return ctx.result;');
    const resolver = createResolver(
      {
        kind: 'PIPELINE',
        typeName: 'Query',
        fieldName: 'get',
        code: passThroughResolver(),
        functions: [
          { name: 'cached', code: cached, dataSource: 'table' },
          { name: 'next', code: next, dataSource: 'NONE' },
        ],
      },
      { NONE: noneDataSource, table: dataSource },
    );

    const result = await resolver.resolve({});

    expect(result).toMatchObject({ data: { after: { from: 'cache' } }, errors: [] });
    expect(calls).toEqual([]);
  });

  it("on earlyReturn with skipTo END, skips the remaining functions and runs the resolver's response", async () => {
    const end = handlers("runtime.earlyReturn({ done: true }, { skipTo: 'END' });", 'return ctx.result;');
    const never = handlers("util.error('must not run');", 'return ctx.result;');
    const after = handlers('return {};', 'return { wrapped: ctx.prev.result };');
    const resolver = createResolver(
      {
        kind: 'PIPELINE',
        typeName: 'Query',
        fieldName: 'get',
        code: after,
        functions: [
          { name: 'end', code: end, dataSource: 'NONE' },
          { name: 'never', code: never, dataSource: 'NONE' },
        ],
      },
      { NONE: noneDataSource },
    );

    expect((await resolver.resolve({})).data).toEqual({ wrapped: { done: true } });
  });

  it("on earlyReturn in the resolver's request, skips every function and runs the resolver's response with that value", async () => {
    const before = handlers('runtime.earlyReturn({ skipped: true });', 'return { after: ctx.prev.result };');
    const never = handlers("util.error('must not run');", 'return ctx.result;');
    const resolver = createResolver(
      {
        kind: 'PIPELINE',
        typeName: 'Query',
        fieldName: 'get',
        code: before,
        functions: [{ name: 'never', code: never, dataSource: 'NONE' }],
      },
      { NONE: noneDataSource },
    );

    expect(await resolver.resolve({})).toMatchObject({ data: { after: { skipped: true } }, errors: [] });
  });

  it("gives a function's response its data source error in ctx.error, and tells the data source who calls", async () => {
    const { dataSource, calls } = recordingDataSource(() => ({ error: { message: 'boom', type: 'EventBridge:InternalException' } }));
    const publish = handlers(
      "return { operation: 'PutEvents', events: [] };",
      'return { published: !ctx.error, reason: ctx.error?.type };',
    );
    const resolver = createResolver(
      {
        kind: 'PIPELINE',
        typeName: 'Mutation',
        fieldName: 'createReservation',
        code: passThroughResolver(),
        functions: [{ name: 'publishEvents', code: publish, dataSource: 'bus' }],
      },
      { bus: dataSource },
    );

    const result = await resolver.resolve({ identity: null });

    expect(result.data).toEqual({ published: false, reason: 'EventBridge:InternalException' });
    expect(calls).toEqual([
      {
        request: { operation: 'PutEvents', events: [] },
        call: {
          dataSourceName: 'bus',
          typeName: 'Mutation',
          fieldName: 'createReservation',
          functionName: 'publishEvents',
          identity: null,
        },
      },
    ]);
  });

  it('turns a data source that throws into ctx.error', async () => {
    const failing: DataSource = { invoke: () => Promise.reject(new TypeError('socket hang up')) };
    const fn = handlers('return {};', 'return ctx.error;');
    const resolver = createResolver(
      { kind: 'PIPELINE', typeName: 'Query', fieldName: 'q', functions: [{ name: 'fn', code: fn, dataSource: 'http' }] },
      { http: failing },
    );

    expect((await resolver.resolve({})).data).toEqual({ message: 'socket hang up', type: 'TypeError' });
  });

  // AppSync's pipeline docs: the output of the last function "is available in the pipeline resolver
  // mapping template as $ctx.prev.result or $ctx.result" (quoted in aws-amplify/amplify-cli#4303);
  // bboure/serverless-eda-graphql-api's after-handler returns ctx.result and answers the order on AWS.
  it("gives the after-handler the last function's result as ctx.result too, as AppSync does", async () => {
    const after = handlers('return {};', 'return ctx.result;');
    const fn = handlers("return { payload: { id: 'order-1' } };", 'return ctx.result;');
    const resolver = createResolver(
      {
        kind: 'PIPELINE',
        typeName: 'Mutation',
        fieldName: 'createOrder',
        code: after,
        functions: [{ name: 'fn', code: fn, dataSource: 'NONE' }],
      },
      { NONE: noneDataSource },
    );

    expect((await resolver.resolve({})).data).toEqual({ id: 'order-1' });
  });

  it('gives each stage the ctx AppSync documents: prev.result from the stage before, result and error in response handlers only', async () => {
    const seen = (stage: string) =>
      `ctx.stash.seen = (ctx.stash.seen || []).concat([{ stage: '${stage}', prev: ctx.prev ? ctx.prev.result : 'absent', result: ctx.result === undefined ? 'absent' : ctx.result, error: ctx.error ? ctx.error.type : 'absent' }]);`;
    const after = handlers(`${seen('before.request')}\nreturn 'B';`, `${seen('after.response')}\nreturn ctx.stash.seen;`);
    const first = handlers(`${seen('first.request')}\nreturn { payload: 'F' };`, `${seen('first.response')}\nreturn ctx.result;`);
    const second = handlers(`${seen('second.request')}\nreturn {};`, `${seen('second.response')}\nreturn 'S';`);
    const failing = recordingDataSource(() => ({ error: { message: 'no', type: 'Failed' } }));
    const resolver = createResolver(
      {
        kind: 'PIPELINE',
        typeName: 'Query',
        fieldName: 'q',
        code: after,
        functions: [
          { name: 'first', code: first, dataSource: 'NONE' },
          { name: 'second', code: second, dataSource: 'failing' },
        ],
      },
      { NONE: noneDataSource, failing: failing.dataSource },
    );

    expect((await resolver.resolve({})).data).toEqual([
      { stage: 'before.request', prev: 'absent', result: 'absent', error: 'absent' },
      { stage: 'first.request', prev: 'B', result: 'absent', error: 'absent' },
      { stage: 'first.response', prev: 'B', result: 'F', error: 'absent' },
      { stage: 'second.request', prev: 'F', result: 'absent', error: 'absent' },
      { stage: 'second.response', prev: 'F', result: null, error: 'Failed' },
      { stage: 'after.response', prev: 'S', result: 'S', error: 'absent' },
    ]);
  });

  it("without resolver code, starts from {} and returns the last function's result", async () => {
    const fn = handlers('return { payload: ctx.prev.result };', 'return ctx.result;');
    const resolver = createResolver(
      { kind: 'PIPELINE', typeName: 'Query', fieldName: 'q', functions: [{ name: 'fn', code: fn, dataSource: 'NONE' }] },
      { NONE: noneDataSource },
    );

    expect((await resolver.resolve({})).data).toEqual({});
  });

  it('collects console logs and extension calls of every handler, in order', async () => {
    const before = handlers(
      "console.log('before', ctx.args.id);\nreturn {};",
      "extensions.evictFromApiCache('Query', 'get', { 'ctx.args.id': ctx.args.id });\nreturn ctx.prev.result;",
    );
    const fn = handlers(
      "console.error('fn', { n: 1 });\nreturn { payload: 'ok' };",
      "extensions.invalidateSubscriptions({ subscriptionField: 'onSaved', payload: { id: ctx.args.id } });\nreturn ctx.result;",
    );
    const resolver = createResolver(
      {
        kind: 'PIPELINE',
        typeName: 'Mutation',
        fieldName: 'save',
        code: before,
        functions: [{ name: 'fn', code: fn, dataSource: 'NONE' }],
      },
      { NONE: noneDataSource },
    );

    const result = await resolver.resolve({ arguments: { id: '9' } });

    expect(result.logs).toEqual(['INFO - before 9', 'ERROR - fn {"n":1}']);
    expect(result.extensions.invalidateSubscriptions).toEqual([{ subscriptionField: 'onSaved', payload: { id: '9' } }]);
    expect(result.extensions.evictFromApiCache).toEqual([{ typeName: 'Query', fieldName: 'get', keyValuePair: { 'ctx.args.id': '9' } }]);
  });

  it('refuses a data source name that is not registered', () => {
    const fn = handlers('return {};', 'return ctx.result;');
    expect(() =>
      createResolver(
        { kind: 'PIPELINE', typeName: 'Query', fieldName: 'q', functions: [{ name: 'fn', code: fn, dataSource: 'missing' }] },
        { NONE: noneDataSource },
      ),
    ).toThrow(/fn uses data source 'missing', which is not registered \(NONE\)/);
  });

  it('refuses a function that does not export both handlers', () => {
    const onlyRequest = loadCode('export function request(ctx) { return {} }', { file: 'fn.js' });
    expect(() =>
      createResolver(
        { kind: 'PIPELINE', typeName: 'Query', fieldName: 'q', functions: [{ name: 'fn', code: onlyRequest, dataSource: 'NONE' }] },
        { NONE: noneDataSource },
      ),
    ).toThrow('fn.js must export response.');
  });
});
