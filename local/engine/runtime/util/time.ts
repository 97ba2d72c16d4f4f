/**
 * `util.time`: timestamps, Java `DateTimeFormatter` patterns and time zones, as documented in
 * "Time helpers in util.time" (https://docs.aws.amazon.com/appsync/latest/devguide/time-helpers-in-util-time-js.html).
 *
 * AWS evaluates these with java.time; js-joda is a port of java.time, so patterns such as
 * `yyyy-MM-dd HH:mm:ssZ`, optional sections `[XXX]`, and zone ids (`UTC`, `+08:00`,
 * `Australia/Perth`) behave as they do on AWS, including Java's pitfalls (`YYYY` is the
 * week-based year, `DD` the day of the year).
 */
import {
  ChronoField,
  DateTimeFormatter,
  Instant,
  LocalDate,
  LocalTime,
  TemporalQueries,
  ZonedDateTime,
  ZoneId,
  ZoneOffset,
  type TemporalAccessor,
} from '@js-joda/core';
import '@js-joda/timezone';
import { createRequire } from 'node:module';

/*
 * Required, not imported: the package is CommonJS, one 7 MB file of CLDR data, and an ES import of
 * CommonJS first scans the whole file for its export names (cjs-module-lexer). `require` skips that
 * scan: 330 → 160 ms on every start of the runtime (measured on a quiet 2-core machine, Node 20).
 * It still patches the same `@js-joda/core` instance, which is CommonJS too.
 */
const { Locale } = createRequire(import.meta.url)('@js-joda/locale_en') as typeof import('@js-joda/locale_en');

/** Pattern → formatter; resolvers format with a handful of patterns, so compile each once. */
const formatterCache = new Map<string, DateTimeFormatter>();

function formatterFor(pattern: string): DateTimeFormatter {
  let formatter = formatterCache.get(pattern);
  if (formatter === undefined) {
    // Locale.US: AWS formats month and day names in English.
    formatter = DateTimeFormatter.ofPattern(String(pattern)).withLocale(Locale.US);
    formatterCache.set(pattern, formatter);
  }
  return formatter;
}

function zoneFor(timezone: string | undefined): ZoneId {
  return timezone === undefined || timezone === null ? ZoneOffset.UTC : ZoneId.of(String(timezone));
}

function toEpochMilliseconds(value: unknown, functionName: string): number {
  const milliseconds = Number(value);
  if (!Number.isFinite(milliseconds)) {
    throw new TypeError(`util.time.${functionName}: expected epoch milliseconds, got ${String(value)}`);
  }
  return Math.trunc(milliseconds);
}

/**
 * Java prints `z` as the zone's specific short name ("EDT", "PST"), js-joda as a generic one
 * ("ET"). Intl knows Java's names, so unquoted `z` runs are replaced by that name as a quoted
 * literal before js-joda sees the pattern. Offset zones print their id, as Java does.
 */
function withZoneNames(pattern: string, zone: ZoneId, instant: Instant): string {
  if (!pattern.includes('z')) return pattern;
  const zoneNameOf = (letters: number): string => {
    if (zone instanceof ZoneOffset) return zone.id();
    try {
      const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone.id(), timeZoneName: letters >= 4 ? 'long' : 'short' }).formatToParts(
        new Date(instant.toEpochMilli()),
      );
      return parts.find((part) => part.type === 'timeZoneName')?.value ?? zone.id();
    } catch {
      return zone.id();
    }
  };
  let rewritten = '';
  let quoted = false;
  for (let index = 0; index < pattern.length; index += 1) {
    const character = pattern.charAt(index);
    if (character === "'") quoted = !quoted;
    if (quoted || character !== 'z') {
      rewritten += character;
      continue;
    }
    let letters = 1;
    while (pattern.charAt(index + letters) === 'z') letters += 1;
    index += letters - 1;
    rewritten += `'${zoneNameOf(letters).replace(/'/g, "''")}'`;
  }
  return rewritten;
}

/**
 * Format epoch milliseconds with a Java pattern in a zone (UTC when none is given).
 *
 * @example formatEpochMilliseconds(1517943695758, 'yyyy-MM-dd HH:mm:ssZ', '+08:00') // "2018-02-07 03:01:35+0800"
 */
export function formatEpochMilliseconds(milliseconds: number, pattern: string, timezone?: string): string {
  const instant = Instant.ofEpochMilli(toEpochMilliseconds(milliseconds, 'epochMilliSecondsToFormatted'));
  const zone = zoneFor(timezone);
  return formatterFor(withZoneNames(String(pattern), zone, instant)).format(ZonedDateTime.ofInstant(instant, zone));
}

/**
 * Epoch milliseconds as ISO 8601 in UTC, always with milliseconds: `2018-02-06T19:01:35.758Z`.
 * AWS's docs only show instants with non-zero milliseconds; whether a whole second prints as
 * `…:35Z` or `…:35.000Z` is not documented, and a fixed width is what callers sort and compare.
 */
export function epochMillisecondsToIso8601(milliseconds: number): string {
  return new Date(toEpochMilliseconds(milliseconds, 'epochMilliSecondsToISO8601')).toISOString();
}

/** The instant a parsed text names: its own offset or zone, else `fallbackZone`; midnight when it has no time. */
function instantOf(parsed: TemporalAccessor, fallbackZone: ZoneId): Instant {
  if (parsed.isSupported(ChronoField.INSTANT_SECONDS)) {
    const seconds = parsed.getLong(ChronoField.INSTANT_SECONDS);
    const nanos = parsed.isSupported(ChronoField.NANO_OF_SECOND) ? parsed.getLong(ChronoField.NANO_OF_SECOND) : 0;
    return Instant.ofEpochSecond(seconds, nanos);
  }
  const zone = parsed.query(TemporalQueries.zone()) ?? fallbackZone;
  const date = parsed.query(TemporalQueries.localDate()) ?? LocalDate.of(1970, 1, 1);
  const time = parsed.query(TemporalQueries.localTime()) ?? LocalTime.MIDNIGHT;
  return ZonedDateTime.of(date, time, zone).toInstant();
}

/**
 * Parse a timestamp written with a Java pattern to epoch milliseconds. The zone argument applies
 * when the text carries no offset; without either, UTC (AWS's docs only describe the two cases
 * "format containing a time zone" and "format and time zone").
 *
 * @example parseFormattedToEpochMilliseconds('2018-02-02 01:19:22', 'yyyy-MM-dd HH:mm:ss', '+08:00') // 1517505562000
 */
export function parseFormattedToEpochMilliseconds(timestamp: string, pattern: string, timezone?: string): number {
  const parsed = formatterFor(pattern).parse(String(timestamp));
  return instantOf(parsed, zoneFor(timezone)).toEpochMilli();
}

/**
 * Parse an ISO 8601 date-time (`2018-02-01T17:21:05.180+08:00`, `…Z`, or with a zone id) to epoch
 * milliseconds. A date-time without offset is read as UTC: AWS's docs are silent on that case.
 */
export function parseIso8601ToEpochMilliseconds(timestamp: string): number {
  const parsed = DateTimeFormatter.ISO_DATE_TIME.parse(String(timestamp));
  return instantOf(parsed, ZoneOffset.UTC).toEpochMilli();
}

/** `util.time` as APPSYNC_JS code sees it. */
export interface TimeUtils {
  nowISO8601(): string;
  nowEpochSeconds(): number;
  nowEpochMilliSeconds(): number;
  nowFormatted(pattern: string, timezone?: string): string;
  parseFormattedToEpochMilliSeconds(timestamp: string, pattern: string, timezone?: string): number;
  parseISO8601ToEpochMilliSeconds(timestamp: string): number;
  epochMilliSecondsToSeconds(milliseconds: number): number;
  epochMilliSecondsToISO8601(milliseconds: number): string;
  epochMilliSecondsToFormatted(milliseconds: number, pattern: string, timezone?: string): string;
}

/**
 * Create `util.time`. `now` is injectable so tests can pin the clock.
 *
 * @example
 * createTimeUtils(() => 1517943695758).nowFormatted('yyyy-MM-dd HH:mm:ssZ', 'Australia/Perth');
 * // "2018-02-07 03:01:35+0800"
 */
export function createTimeUtils(now: () => number = Date.now): TimeUtils {
  return {
    nowISO8601: () => epochMillisecondsToIso8601(now()),
    nowEpochSeconds: () => Math.floor(now() / 1000),
    nowEpochMilliSeconds: () => now(),
    nowFormatted: (pattern, timezone) => formatEpochMilliseconds(now(), pattern, timezone),
    parseFormattedToEpochMilliSeconds: parseFormattedToEpochMilliseconds,
    parseISO8601ToEpochMilliSeconds: parseIso8601ToEpochMilliseconds,
    epochMilliSecondsToSeconds: (milliseconds) => Math.floor(toEpochMilliseconds(milliseconds, 'epochMilliSecondsToSeconds') / 1000),
    epochMilliSecondsToISO8601: epochMillisecondsToIso8601,
    epochMilliSecondsToFormatted: formatEpochMilliseconds,
  };
}
