// Expected values are AWS's examples in "Time helpers in $util.time"
// (https://docs.aws.amazon.com/appsync/latest/devguide/time-helpers-in-util-time.html); the JS page
// (time-helpers-in-util-time-js.html) documents the same functions without examples.
import { describe, expect, it } from 'vitest';
import { makeUtil } from './utilFixture.ts';

const DOCUMENTED_NOW = 1517943695758; // 2018-02-06T19:01:35.758Z

describe('util.time now*', () => {
  const { util } = makeUtil({ now: () => DOCUMENTED_NOW });

  it.each([
    { call: () => util.time.nowISO8601(), expected: '2018-02-06T19:01:35.758Z' },
    { call: () => util.time.nowEpochSeconds(), expected: 1517943695 },
    { call: () => util.time.nowEpochMilliSeconds(), expected: 1517943695758 },
    { call: () => util.time.nowFormatted('yyyy-MM-dd HH:mm:ssZ'), expected: '2018-02-06 19:01:35+0000' },
    { call: () => util.time.nowFormatted('yyyy-MM-dd HH:mm:ssZ', '+08:00'), expected: '2018-02-07 03:01:35+0800' },
    { call: () => util.time.nowFormatted('yyyy-MM-dd HH:mm:ssZ', 'Australia/Perth'), expected: '2018-02-07 03:01:35+0800' },
    // "Usage with AWS AppSync defined scalars": optional sections and second-precision offsets.
    { call: () => util.time.nowFormatted('yyyy-MM-dd[XXX]', '-07:00:30'), expected: '2018-02-06-07:00' },
    { call: () => util.time.nowFormatted("yyyy-MM-dd'T'HH:mm:ss[XXXXX]", '-07:00:30'), expected: '2018-02-06T12:01:05-07:00:30' },
  ])('$expected', ({ call, expected }) => {
    expect(call()).toBe(expected);
  });

  it('reads the real clock by default', () => {
    const before = Date.now();
    const { util: realClockUtil } = makeUtil();
    const now = realClockUtil.time.nowEpochMilliSeconds();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });
});

describe('util.time conversions', () => {
  const { util } = makeUtil();

  it.each([
    { call: () => util.time.epochMilliSecondsToSeconds(DOCUMENTED_NOW), expected: 1517943695 },
    { call: () => util.time.epochMilliSecondsToISO8601(DOCUMENTED_NOW), expected: '2018-02-06T19:01:35.758Z' },
    { call: () => util.time.epochMilliSecondsToFormatted(DOCUMENTED_NOW, 'yyyy-MM-dd HH:mm:ssZ'), expected: '2018-02-06 19:01:35+0000' },
    {
      call: () => util.time.epochMilliSecondsToFormatted(DOCUMENTED_NOW, 'yyyy-MM-dd HH:mm:ssZ', '+08:00'),
      expected: '2018-02-07 03:01:35+0800',
    },
    // Edge cases the docs do not show: whole seconds keep their milliseconds, names are English,
    // and Java's week-based year (YYYY) differs from the year at the turn of the year.
    { call: () => util.time.epochMilliSecondsToISO8601(0), expected: '1970-01-01T00:00:00.000Z' },
    {
      call: () => util.time.epochMilliSecondsToFormatted(DOCUMENTED_NOW, 'EEE, dd MMM yyyy hh:mm a'),
      expected: 'Tue, 06 Feb 2018 07:01 PM',
    },
    { call: () => util.time.epochMilliSecondsToFormatted(Date.UTC(2018, 11, 31), 'YYYY yyyy'), expected: '2019 2018' },
    {
      call: () => util.time.epochMilliSecondsToFormatted(DOCUMENTED_NOW, 'yyyy-MM-dd HH:mm', 'America/New_York'),
      expected: '2018-02-06 14:01',
    },
    { call: () => util.time.epochMilliSecondsToFormatted(Date.UTC(2018, 6, 1, 12), 'HH:mm z', 'America/New_York'), expected: '08:00 EDT' },
    {
      call: () => util.time.epochMilliSecondsToFormatted(Date.UTC(2018, 0, 1, 12), "HH:mm zzzz 'z'", 'America/New_York'),
      expected: '07:00 Eastern Standard Time z',
    },
    { call: () => util.time.epochMilliSecondsToFormatted(DOCUMENTED_NOW, 'HH:mm z', '+08:00'), expected: '03:01 +08:00' },
  ])('$expected', ({ call, expected }) => {
    expect(call()).toBe(expected);
  });
});

describe('util.time parsing', () => {
  const { util } = makeUtil();

  it.each([
    { call: () => util.time.parseISO8601ToEpochMilliSeconds('2018-02-01T17:21:05.180+08:00'), expected: 1517476865180 },
    {
      call: () => util.time.parseFormattedToEpochMilliSeconds('2018-02-02 01:19:22+0800', 'yyyy-MM-dd HH:mm:ssZ'),
      expected: 1517505562000,
    },
    {
      call: () => util.time.parseFormattedToEpochMilliSeconds('2018-02-02 01:19:22', 'yyyy-MM-dd HH:mm:ss', '+08:00'),
      expected: 1517505562000,
    },
    // Not in the docs: Z suffix, zone ids, UTC when nothing names a zone, and dates without time.
    { call: () => util.time.parseISO8601ToEpochMilliSeconds('2018-02-06T19:01:35.758Z'), expected: DOCUMENTED_NOW },
    { call: () => util.time.parseISO8601ToEpochMilliSeconds('2018-02-06T19:01:35Z'), expected: 1517943695000 },
    { call: () => util.time.parseISO8601ToEpochMilliSeconds('2018-02-06T19:01:35.758'), expected: DOCUMENTED_NOW },
    { call: () => util.time.parseFormattedToEpochMilliSeconds('2018-02-06', 'yyyy-MM-dd'), expected: Date.UTC(2018, 1, 6) },
    {
      call: () => util.time.parseFormattedToEpochMilliSeconds('2018-07-01 08:00', 'yyyy-MM-dd HH:mm', 'America/New_York'),
      expected: Date.UTC(2018, 6, 1, 12),
    },
  ])('$expected', ({ call, expected }) => {
    expect(call()).toBe(expected);
  });

  it('round-trips a formatted instant', () => {
    const text = util.time.epochMilliSecondsToFormatted(DOCUMENTED_NOW, 'yyyy-MM-dd HH:mm:ss.SSSZ', 'Asia/Tokyo');
    expect(util.time.parseFormattedToEpochMilliSeconds(text, 'yyyy-MM-dd HH:mm:ss.SSSZ')).toBe(DOCUMENTED_NOW);
  });

  it.each([
    { name: 'text that does not fit the pattern', call: () => util.time.parseFormattedToEpochMilliSeconds('02/06/2018', 'yyyy-MM-dd') },
    { name: 'an unknown zone', call: () => util.time.nowFormatted('yyyy', 'Mars/Olympus') },
    { name: 'a timestamp that is not ISO 8601', call: () => util.time.parseISO8601ToEpochMilliSeconds('yesterday') },
    { name: 'epoch milliseconds that are not a number', call: () => util.time.epochMilliSecondsToISO8601('soon' as unknown as number) },
  ])('throws on $name', ({ call }) => {
    expect(call).toThrow();
  });
});
