// Behaviour documented in "Built-in utilities" (https://docs.aws.amazon.com/appsync/latest/devguide/built-in-util-js.html).
import { describe, expect, it } from 'vitest';
import { newEvaluationState, UtilErrorSignal } from '../../../../local/engine/runtime/evaluation.ts';
import { createUtil } from '../../../../local/engine/runtime/util/index.ts';

function makeUtil() {
  const state = newEvaluationState();
  return { state, util: createUtil(() => state) };
}

function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (thrown) {
    return thrown;
  }
  throw new Error('expected a throw');
}

describe('util.error', () => {
  it.each([
    { args: ['boom'] as const, expected: { message: 'boom' } },
    { args: ['boom', 'Custom'] as const, expected: { message: 'boom', errorType: 'Custom' } },
    {
      args: ['boom', 'Custom', { a: 1 }, { why: 'x' }] as const,
      expected: { message: 'boom', errorType: 'Custom', data: { a: 1 }, errorInfo: { why: 'x' } },
    },
  ])('throws a UtilErrorSignal carrying $expected', ({ args, expected }) => {
    const { util } = makeUtil();
    const thrown = thrownBy(() => util.error(...(args as [string])));
    expect(thrown).toBeInstanceOf(UtilErrorSignal);
    expect((thrown as UtilErrorSignal).error).toEqual(expected);
  });
});

describe('util.appendError', () => {
  it('records the error and lets the handler go on', () => {
    const { util, state } = makeUtil();
    util.appendError('first', 'A');
    util.appendError('second', 'B', { d: 1 }, { i: 2 });
    expect(state.appendedErrors).toEqual([
      { message: 'first', errorType: 'A' },
      { message: 'second', errorType: 'B', data: { d: 1 }, errorInfo: { i: 2 } },
    ]);
  });
});

describe('util.unauthorized', () => {
  it('throws an Unauthorized error', () => {
    const { util } = makeUtil();
    const thrown = thrownBy(() => util.unauthorized());
    expect((thrown as UtilErrorSignal).error.errorType).toBe('Unauthorized');
  });
});

describe('identifiers', () => {
  it('autoId is a UUID v4', () => {
    const { util } = makeUtil();
    expect(util.autoId()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
  it('autoUlid is a 26-character Crockford base32 ULID', () => {
    const { util } = makeUtil();
    expect(util.autoUlid()).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
  });
  it('autoKsuid is 27 base62 characters', () => {
    const { util } = makeUtil();
    expect(util.autoKsuid()).toMatch(/^[0-9A-Za-z]{27}$/);
  });
});
