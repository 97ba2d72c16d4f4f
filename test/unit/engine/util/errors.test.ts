// Behaviour documented in "Built-in utilities" (https://docs.aws.amazon.com/appsync/latest/devguide/built-in-util-js.html).
import { describe, expect, it } from 'vitest';
import { UtilErrorSignal } from '../../../../local/engine/runtime/evaluation.ts';
import { makeUtil, thrownBy } from './utilFixture.ts';

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

describe('util.error argument edge cases', () => {
  it('keeps an explicit null errorType, as AppSync reports it', () => {
    const { util } = makeUtil();
    const thrown = thrownBy(() => util.error('boom', null as unknown as string));
    expect((thrown as UtilErrorSignal).error).toEqual({ message: 'boom', errorType: null });
  });
  it('turns a non-string message into text', () => {
    const { util } = makeUtil();
    const thrown = thrownBy(() => util.error(42 as unknown as string));
    expect((thrown as UtilErrorSignal).message).toBe('42');
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
  it('autoId never repeats', () => {
    const { util } = makeUtil();
    const ids = new Set(Array.from({ length: 1000 }, () => util.autoId()));
    expect(ids.size).toBe(1000);
  });
  it('autoUlid sorts by time: its first 10 characters encode the clock', () => {
    let now = 1_700_000_000_000;
    const { util } = makeUtil({ now: () => now });
    const earlier = util.autoUlid();
    now += 1;
    const later = util.autoUlid();
    expect(earlier.slice(0, 10) < later.slice(0, 10)).toBe(true);
  });
  it('autoKsuid sorts by time across seconds', () => {
    let now = 1_700_000_000_000;
    const { util } = makeUtil({ now: () => now });
    const earlier = util.autoKsuid();
    now += 1000;
    expect(earlier < util.autoKsuid()).toBe(true);
  });
  it('autoKsuid encodes the KSUID epoch (2014-05-13T16:53:20Z) as timestamp 0', () => {
    const { util } = makeUtil({ now: () => 1_400_000_000_000 });
    // 4 zero timestamp bytes followed by 16 random bytes stay below 62^22: the first characters are '0'.
    expect(util.autoKsuid().slice(0, 4)).toBe('0000');
  });
});
