import { describe, expect, it } from 'vitest';
import { loadCode, newEvaluationState } from '../../../local/engine/index.ts';

const code = (source: string) =>
  loadCode(
    `import { util, runtime, extensions } from '@aws-appsync/utils';\n${source}\nexport function response(ctx) { return ctx.result }`,
  );

describe('runtime.earlyReturn', () => {
  it('ends the handler with the given value; code after it does not run', () => {
    const loaded = code(
      'export function request(ctx) { runtime.earlyReturn({ id: ctx.args.id }); ctx.stash.after = true; return { never: true } }',
    );
    const { outcome, stash } = loaded.evaluate('request', { arguments: { id: '1' } });
    expect(outcome).toEqual({ status: 'earlyReturn', value: { id: '1' }, skipTo: undefined });
    expect(stash).toEqual({});
  });

  it('returns null when called without a value', () => {
    expect(code('export function request(ctx) { runtime.earlyReturn() }').evaluate('request', {}).outcome).toEqual({
      status: 'earlyReturn',
      value: null,
      skipTo: undefined,
    });
  });

  it("carries skipTo 'NEXT' or 'END', and refuses anything else", () => {
    const loaded = code('export function request(ctx) { runtime.earlyReturn(1, { skipTo: ctx.args.to }) }');
    expect(loaded.evaluate('request', { arguments: { to: 'NEXT' } }).outcome).toMatchObject({ skipTo: 'NEXT' });
    expect(loaded.evaluate('request', { arguments: { to: 'END' } }).outcome).toMatchObject({ skipTo: 'END' });
    expect(loaded.evaluate('request', { arguments: { to: 'LATER' } }).outcome).toMatchObject({
      status: 'runtimeError',
      error: { message: expect.stringMatching(/skipTo must be 'END' or 'NEXT'/) },
    });
  });

  it('is also available from the runtime global without import', () => {
    const loaded = loadCode('export function request(ctx) { runtime.earlyReturn(2) }\nexport function response(ctx) { return ctx.result }');
    expect(loaded.evaluate('request', {}).outcome).toMatchObject({ status: 'earlyReturn', value: 2 });
  });
});

describe('console', () => {
  it('captures console.log and console.error into the logs, objects as JSON', () => {
    const loaded = code(
      "export function request(ctx) { console.log('args:', ctx.args, 3, null, undefined); console.error('failed', [1]); return {} }",
    );
    const state = newEvaluationState();
    loaded.evaluate('request', { arguments: { id: '1' } }, state);
    expect(state.logs).toEqual(['INFO - args: {"id":"1"} 3 null undefined', 'ERROR - failed [1]']);
  });

  it('offers only log and error, as AWS documents', () => {
    const loaded = code(
      'export function request(ctx) { return { warn: typeof console.warn, info: typeof console.info, log: typeof console.log } }',
    );
    expect(loaded.evaluate('request', {}).outcome).toEqual({
      status: 'returned',
      value: { warn: 'undefined', info: 'undefined', log: 'function' },
    });
  });
});

describe('extensions', () => {
  it('records the subscription filter and invalidation filter a handler sets', () => {
    const loaded = code(
      "export function request(ctx) { extensions.setSubscriptionFilter({ filterGroup: [{ filters: [{ fieldName: 'id', operator: 'eq', value: ctx.args.id }] }] }); extensions.setSubscriptionInvalidationFilter({ filterGroup: [] }); return {} }",
    );
    const state = newEvaluationState();
    loaded.evaluate('request', { arguments: { id: 'r-1' } }, state);
    expect(state.subscriptionFilter).toEqual({ filterGroup: [{ filters: [{ fieldName: 'id', operator: 'eq', value: 'r-1' }] }] });
    expect(state.subscriptionInvalidationFilter).toEqual({ filterGroup: [] });
  });
});
