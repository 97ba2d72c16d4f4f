// util.str, util.math, util.http, util.xml: "String helpers in util.str", "Math helpers in
// util.math", "HTTP helpers in util.http" and "XML helpers in util.xml"
// (https://docs.aws.amazon.com/appsync/latest/devguide/{str-helpers-in-util-str-js,
// math-helpers-in-util-math-js, http-helpers-in-utils-http-js, xml-helpers-in-util-xml-js}.html).
import { describe, expect, it } from 'vitest';
import { makeUtil } from './utilFixture.ts';

describe('util.str.normalize', () => {
  const { util } = makeUtil();
  it.each([
    { value: 'e\u0301', form: 'nfc', expected: 'é' },
    { value: 'é', form: 'nfd', expected: 'e\u0301' },
    { value: 'ﬁ', form: 'nfkc', expected: 'fi' },
    { value: 'ﬁ', form: 'nfc', expected: 'ﬁ' },
    { value: '①', form: 'nfkd', expected: '1' },
  ])('$form of $value', ({ value, form, expected }) => {
    expect(util.str.normalize(value, form as 'nfc')).toBe(expected);
  });
  it('refuses an unknown form', () => {
    expect(() => util.str.normalize('x', 'nfx' as 'nfc')).toThrow(RangeError);
  });
});

describe('util.math', () => {
  it.each([
    { input: 2.5, expected: 3 },
    { input: 2.4, expected: 2 },
    { input: -2.5, expected: -2 }, // Java's Math.round: half up, towards +∞
    { input: -2.6, expected: -3 },
  ])('roundNum($input) is $expected', ({ input, expected }) => {
    expect(makeUtil().util.math.roundNum(input)).toBe(expected);
  });

  it('minVal and maxVal', () => {
    const { util } = makeUtil();
    expect([util.math.minVal(3, -1), util.math.maxVal(3, -1)]).toEqual([-1, 3]);
  });

  it.each([
    { random: 0, expected: 5 },
    { random: 0.999999, expected: 10 },
    { random: 0.5, expected: 8 },
  ])('randomWithinRange(5, 10) with random $random is $expected (both bounds reachable)', ({ random, expected }) => {
    expect(makeUtil({ random: () => random }).util.math.randomWithinRange(5, 10)).toBe(expected);
  });

  it('randomDouble is in [0, 1)', () => {
    const value = makeUtil().util.math.randomDouble();
    expect(value).toBeGreaterThanOrEqual(0);
    expect(value).toBeLessThan(1);
  });
});

describe('util.http', () => {
  it('copyHeaders drops the restricted headers AWS lists, whatever their case', () => {
    const { util } = makeUtil();
    const headers = { Host: 'h', Connection: 'keep-alive', 'content-length': '3', TE: 'x', 'x-api-key': 'k', Authorization: 'a' };
    expect(util.http.copyHeaders(headers)).toEqual({ 'x-api-key': 'k', Authorization: 'a' });
  });

  it('addResponseHeader and addResponseHeaders collect headers, last write wins (AWS examples)', () => {
    const { util, state } = makeUtil();
    util.http.addResponseHeader('itemsCount', 7);
    util.http.addResponseHeaders({ headerInt: 12, headerString: 'stringValue', headerObject: { field1: 7, field2: 'string' } });
    util.http.addResponseHeader('itemsCount', 8);
    expect(state.responseHeaders).toEqual({
      itemsCount: 8,
      headerInt: 12,
      headerString: 'stringValue',
      headerObject: { field1: 7, field2: 'string' },
    });
    expect(state.appendedErrors).toEqual([]);
  });

  it.each([
    { name: '', value: 'v' },
    { name: 'Content-Type', value: 'text/plain' },
    { name: 'vary', value: 'x' },
    { name: 'x-amzn-RequestId', value: 'x' },
    { name: 'X-Amz-Date', value: 'x' },
    { name: 'Host', value: 'x' },
    { name: 'ok-name', value: null },
  ])('ignores $name=$value and reports a ResponseHeaderError', ({ name, value }) => {
    const { util, state } = makeUtil();
    util.http.addResponseHeader(name, value);
    expect(state.responseHeaders).toBeUndefined();
    expect(state.appendedErrors).toEqual([expect.objectContaining({ errorType: 'ResponseHeaderError' })]);
  });

  it('refuses a header that would take the total past 4 KB', () => {
    const { util, state } = makeUtil();
    util.http.addResponseHeader('big', 'x'.repeat(4000));
    util.http.addResponseHeader('more', 'y'.repeat(200));
    expect(Object.keys(state.responseHeaders ?? {})).toEqual(['big']);
    expect(state.appendedErrors).toHaveLength(1);
  });
});

describe('util.xml', () => {
  const { util } = makeUtil();
  const onePost = `<?xml version="1.0" encoding="UTF-8"?>
<posts>
<post>
    <id>1</id>
    <title>Getting started with GraphQL</title>
</post>
</posts>`;
  const twoPosts = `<?xml version="1.0" encoding="UTF-8"?>
<posts>
<post>
  <id>1</id>
  <title>Getting started with GraphQL</title>
</post>
<post>
  <id>2</id>
  <title>Getting started with AppSync</title>
</post>
</posts>`;

  it.each([
    { name: 'AWS example 1', xml: onePost, expected: { posts: { post: { id: 1, title: 'Getting started with GraphQL' } } } },
    {
      name: 'AWS example 2: a repeated element becomes a list',
      xml: twoPosts,
      expected: {
        posts: {
          post: [
            { id: 1, title: 'Getting started with GraphQL' },
            { id: 2, title: 'Getting started with AppSync' },
          ],
        },
      },
    },
    {
      name: 'attributes beside text (org.json rules)',
      xml: '<a lang="en" n="2">hi</a>',
      expected: { a: { lang: 'en', n: 2, content: 'hi' } },
    },
    { name: 'booleans and leading zeros', xml: '<r><b>true</b><z>007</z></r>', expected: { r: { b: true, z: '007' } } },
  ])('toMap: $name', ({ xml, expected }) => {
    expect(util.xml.toMap(xml)).toEqual(expected);
  });

  it('toMap of text that is not XML is null', () => {
    expect(util.xml.toMap('<open><close>')).toBeNull();
  });

  it('toJsonString is toMap as JSON; stringEncode wraps it in a JSON string', () => {
    const json = util.xml.toJsonString(onePost);
    expect(JSON.parse(json)).toEqual(util.xml.toMap(onePost));
    expect(JSON.parse(util.xml.toJsonString(onePost, true))).toBe(json);
  });
});

describe('VTL-only helpers, when the engine asks for them', () => {
  const { util } = makeUtil({ vtlHelpers: true });

  it.each([
    { call: () => util.isNull?.(null), expected: true },
    { call: () => util.isNull?.(0), expected: false },
    { call: () => util.isNullOrEmpty?.(''), expected: true },
    { call: () => util.isNullOrEmpty?.(' '), expected: false },
    { call: () => util.isNullOrBlank?.(' \t'), expected: true },
    { call: () => util.defaultIfNull?.(null, 'd'), expected: 'd' },
    { call: () => util.defaultIfNullOrEmpty?.('', 'd'), expected: 'd' },
    { call: () => util.defaultIfNullOrBlank?.('  ', 'd'), expected: 'd' },
    { call: () => util.defaultIfNullOrBlank?.('x', 'd'), expected: 'x' },
    { call: () => util.isString?.('x'), expected: true },
    { call: () => util.isNumber?.('1'), expected: false },
    { call: () => util.isBoolean?.(false), expected: true },
    { call: () => util.isList?.([]), expected: true },
    { call: () => util.isMap?.([]), expected: false },
    { call: () => util.typeOf?.(null), expected: 'Null' },
    { call: () => util.typeOf?.(1), expected: 'Number' },
    { call: () => util.typeOf?.('s'), expected: 'String' },
    { call: () => util.typeOf?.(true), expected: 'Boolean' },
    { call: () => util.typeOf?.([]), expected: 'List' },
    { call: () => util.typeOf?.({}), expected: 'Map' },
  ])('$expected', ({ call, expected }) => {
    expect(call()).toBe(expected);
  });
});
