// Expected values are AWS's examples in "DynamoDB helpers in util.dynamodb"
// (https://docs.aws.amazon.com/appsync/latest/devguide/dynamodb-helpers-in-util-dynamodb-js.html).
import { describe, expect, it } from 'vitest';
import { makeUtil } from './utilFixture.ts';

const { util } = makeUtil();
const DOCUMENTED_MAP = { foo: 'bar', baz: 1234, beep: ['boop'] };
const DOCUMENTED_MAP_VALUES = { foo: { S: 'bar' }, baz: { N: 1234 }, beep: { L: [{ S: 'boop' }] } };

describe('util.dynamodb documented examples', () => {
  it.each([
    { name: 'toDynamoDB string', call: () => util.dynamodb.toDynamoDB('foo'), expected: { S: 'foo' } },
    { name: 'toDynamoDB number stays a number', call: () => util.dynamodb.toDynamoDB(12345), expected: { N: 12345 } },
    { name: 'toDynamoDB boolean', call: () => util.dynamodb.toDynamoDB(true), expected: { BOOL: true } },
    {
      name: 'toDynamoDB list',
      call: () => util.dynamodb.toDynamoDB(['foo', 123, { bar: 'baz' }]),
      expected: { L: [{ S: 'foo' }, { N: 123 }, { M: { bar: { S: 'baz' } } }] },
    },
    { name: 'toDynamoDB map', call: () => util.dynamodb.toDynamoDB(DOCUMENTED_MAP), expected: { M: DOCUMENTED_MAP_VALUES } },
    { name: 'toString', call: () => util.dynamodb.toString('foo'), expected: { S: 'foo' } },
    { name: 'toStringSet', call: () => util.dynamodb.toStringSet(['foo', 'bar', 'baz']), expected: { SS: ['foo', 'bar', 'baz'] } },
    { name: 'toNumber', call: () => util.dynamodb.toNumber(12345), expected: { N: 12345 } },
    { name: 'toNumberSet', call: () => util.dynamodb.toNumberSet([1, 23, 4.56]), expected: { NS: [1, 23, 4.56] } },
    { name: 'toBinary', call: () => util.dynamodb.toBinary('foo'), expected: { B: 'foo' } },
    { name: 'toBinarySet', call: () => util.dynamodb.toBinarySet(['foo', 'bar', 'baz']), expected: { BS: ['foo', 'bar', 'baz'] } },
    { name: 'toBoolean', call: () => util.dynamodb.toBoolean(true), expected: { BOOL: true } },
    { name: 'toNull', call: () => util.dynamodb.toNull(), expected: { NULL: null } },
    {
      name: 'toList',
      call: () => util.dynamodb.toList(['foo', 123, { bar: 'baz' }]),
      expected: { L: [{ S: 'foo' }, { N: 123 }, { M: { bar: { S: 'baz' } } }] },
    },
    { name: 'toMap', call: () => util.dynamodb.toMap(DOCUMENTED_MAP), expected: { M: DOCUMENTED_MAP_VALUES } },
    { name: 'toMapValues', call: () => util.dynamodb.toMapValues(DOCUMENTED_MAP), expected: DOCUMENTED_MAP_VALUES },
    {
      name: 'fromS3ObjectJson of the documented attribute value',
      call: () => util.dynamodb.fromS3ObjectJson({ S: '{"s3":{"key":"foo","bucket":"bar","region":"baz","version":"beep"}}' }),
      expected: { key: 'foo', bucket: 'bar', region: 'baz', version: 'beep' },
    },
  ])('$name', ({ call, expected }) => {
    expect(call()).toEqual(expected);
  });

  it('toMapValues(obj) is toMap(obj).M, as the page states', () => {
    expect(util.dynamodb.toMapValues(DOCUMENTED_MAP)).toEqual(util.dynamodb.toMap(DOCUMENTED_MAP)?.M);
  });
});

describe('util.dynamodb S3 objects', () => {
  // AWS's page prints this JSON with spaces and a typo ("version" = "beep"); compact JSON is what
  // fromS3ObjectJson and AppSync's S3 linking read.
  it.each([
    { args: ['foo', 'bar', 'baz'] as const, expected: { S: '{"s3":{"key":"foo","bucket":"bar","region":"baz"}}' } },
    {
      args: ['foo', 'bar', 'baz', 'beep'] as const,
      expected: { S: '{"s3":{"key":"foo","bucket":"bar","region":"baz","version":"beep"}}' },
    },
  ])('toS3Object$args', ({ args, expected }) => {
    expect(util.dynamodb.toS3Object(...(args as unknown as [string, string, string, string]))).toEqual(expected);
  });

  it('fromS3ObjectJson reads back what toS3Object wrote, from the string alone', () => {
    const written = util.dynamodb.toS3Object('k', 'b', 'eu-west-1');
    expect(util.dynamodb.fromS3ObjectJson(written.S)).toEqual({ key: 'k', bucket: 'b', region: 'eu-west-1' });
  });

  it.each([['not json'], ['{"notS3":{}}'], [42], [null]])('fromS3ObjectJson(%j) is null', (input) => {
    expect(util.dynamodb.fromS3ObjectJson(input)).toBeNull();
  });
});

describe('util.dynamodb edge cases', () => {
  it.each([
    { name: 'null is NULL', call: () => util.dynamodb.toDynamoDB(null), expected: { NULL: null } },
    {
      name: 'nested nulls',
      call: () => util.dynamodb.toDynamoDB({ a: null, b: [null] }),
      expected: { M: { a: { NULL: null }, b: { L: [{ NULL: null }] } } },
    },
    {
      name: 'undefined members vanish, as in JSON',
      call: () => util.dynamodb.toMapValues({ a: 1, b: undefined }),
      expected: { a: { N: 1 } },
    },
    { name: 'empty list', call: () => util.dynamodb.toDynamoDB([]), expected: { L: [] } },
    { name: 'empty map', call: () => util.dynamodb.toDynamoDB({}), expected: { M: {} } },
    { name: 'fractional and negative numbers', call: () => util.dynamodb.toList([-1.5, 0]), expected: { L: [{ N: -1.5 }, { N: 0 }] } },
    { name: 'toString of null is null (typings: result | null)', call: () => util.dynamodb.toString(null), expected: null },
    { name: 'toNumber of undefined is null', call: () => util.dynamodb.toNumber(undefined), expected: null },
    { name: 'toStringSet of null is null', call: () => util.dynamodb.toStringSet(null), expected: null },
    { name: 'toList of a non-list is null', call: () => util.dynamodb.toList('x'), expected: null },
    { name: 'toMap of a non-map is null', call: () => util.dynamodb.toMap(['x']), expected: null },
    {
      name: 'toMapValues of a non-map is null',
      call: () => util.dynamodb.toMapValues('x' as unknown as Record<string, unknown>),
      expected: null,
    },
  ])('$name', ({ call, expected }) => {
    expect(call()).toEqual(expected);
  });

  it('refuses a value JSON cannot hold', () => {
    expect(() => util.dynamodb.toDynamoDB(10n)).toThrow(TypeError);
  });

  it('returns plain data that survives a JSON round trip unchanged', () => {
    const converted = util.dynamodb.toDynamoDB({ a: [1, 'x', true, null, { b: 2 }] });
    expect(JSON.parse(JSON.stringify(converted))).toEqual(converted);
  });
});
