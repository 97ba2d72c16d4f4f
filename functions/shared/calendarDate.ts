/**
 * Calendar dates ('YYYY-MM-DD', proleptic Gregorian, years 0000–9999) as pure
 * integer arithmetic. APPSYNC_JS has no safe Date arithmetic to rely on, so
 * day numbers follow Howard Hinnant's `days_from_civil` / `civil_from_days`.
 * Digits are read with indexOf on a constant string: APPSYNC_JS has no regex and
 * AWS's lint denies String.charCodeAt / padStart.
 */

const DIGITS = '0123456789';

/** Days between 0000-03-01 and 1970-01-01 in Hinnant's shifted calendar. */
const UNIX_EPOCH_SHIFT = 719468;
const DAYS_PER_ERA = 146097;

/** Value of the decimal digits s[from, to), or -1 when any character is not a digit. */
function digitsValue(s: string, from: number, to: number): number {
  let value = 0;
  for (const ch of s.slice(from, to).split('')) {
    const digit = DIGITS.indexOf(ch);
    if (digit < 0) {
      return -1;
    }
    value = value * 10 + digit;
  }
  return value;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) {
    return isLeapYear(year) ? 29 : 28;
  }
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * True for a real calendar date written exactly 'YYYY-MM-DD' (leap years counted).
 * A time-zone suffix, which AWSDate also accepts ('2026-01-01Z'), is refused:
 * a night is a local calendar day of the hotel, not an instant.
 */
export function isCalendarDate(s: unknown): boolean {
  if (typeof s !== 'string' || s.length !== 10 || s.charAt(4) !== '-' || s.charAt(7) !== '-') {
    return false;
  }
  const year = digitsValue(s, 0, 4);
  const month = digitsValue(s, 5, 7);
  const day = digitsValue(s, 8, 10);
  if (year < 0 || month < 1 || month > 12 || day < 1) {
    return false;
  }
  return day <= daysInMonth(year, month);
}

/**
 * Days since 1970-01-01 of a 'YYYY-MM-DD' date (negative before 1970).
 * Returns NaN when `date` is not a calendar date: check `isCalendarDate` first.
 * @example toDayNumber('1970-01-02') // 1
 */
export function toDayNumber(date: string): number {
  if (!isCalendarDate(date)) {
    return NaN;
  }
  const month = digitsValue(date, 5, 7);
  const day = digitsValue(date, 8, 10);
  // The year starts on March 1 so that the leap day is the last day of the year.
  const year = digitsValue(date, 0, 4) - (month <= 2 ? 1 : 0);
  const era = Math.floor(year / 400);
  const yearOfEra = year - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * DAYS_PER_ERA + dayOfEra - UNIX_EPOCH_SHIFT;
}

function twoDigits(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}

function fourDigits(n: number): string {
  if (n < 10) {
    return `000${n}`;
  }
  if (n < 100) {
    return `00${n}`;
  }
  return n < 1000 ? `0${n}` : `${n}`;
}

/**
 * The 'YYYY-MM-DD' date `dayNumber` days after 1970-01-01. Meaningful for
 * 0000-01-01 (-719528) to 9999-12-31 (2932896); other integers give no valid date.
 * @example fromDayNumber(19723) // '2024-01-01'
 */
export function fromDayNumber(dayNumber: number): string {
  const z = dayNumber + UNIX_EPOCH_SHIFT;
  const era = Math.floor(z / DAYS_PER_ERA);
  const dayOfEra = z - era * DAYS_PER_ERA;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1;
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return `${fourDigits(year)}-${twoDigits(month)}-${twoDigits(day)}`;
}

/** The date `days` days after `date` (before it when negative). */
export function addDays(date: string, days: number): string {
  return fromDayNumber(toDayNumber(date) + days);
}

/**
 * Number of nights from dateStart (check-in) to dateEnd (check-out, exclusive).
 * Zero or negative when dateEnd is not after dateStart; NaN for a non-date.
 */
export function nightCount(dateStart: string, dateEnd: string): number {
  return toDayNumber(dateEnd) - toDayNumber(dateStart);
}

/**
 * One power of two per step: enough doublings to cover 0000-01-01..9999-12-31
 * (3,652,424 days < 2^22). for…of over a constant list: APPSYNC_JS has no while.
 */
const DOUBLINGS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22];

/** [0, 1, …, count - 1] without a classic for loop or Array.from (neither is APPSYNC_JS). */
function indices(count: number): number[] {
  if (!(count > 0)) {
    return [];
  }
  let range = [0];
  for (const _doubling of DOUBLINGS) {
    if (range.length >= count) {
      break;
    }
    const offset = range.length;
    range = range.concat(range.map((i) => i + offset));
  }
  return range.slice(0, count);
}

/**
 * Every night of a stay: dateStart inclusive to dateEnd exclusive, in order; only the
 * first `limit` nights when given (bound it on unvalidated input: 2026→9999 is millions).
 * Empty when dateEnd is not after dateStart or either is not a calendar date.
 * @example nightsOf('2024-02-28', '2024-03-01') // ['2024-02-28', '2024-02-29']
 */
export function nightsOf(dateStart: string, dateEnd: string, limit?: number): string[] {
  const first = toDayNumber(dateStart);
  const count = nightCount(dateStart, dateEnd);
  const bounded = limit !== undefined && limit < count ? limit : count;
  return indices(bounded).map((i) => fromDayNumber(first + i));
}

/**
 * The UTC calendar date of an ISO-8601 instant ('2026-01-03T23:30:00.000Z', or with an
 * offset such as '2026-01-04T01:30:00+02:00'), or null when it cannot be read.
 * @example utcDateOf('2026-01-04T01:30:00+02:00') // '2026-01-03'
 */
export function utcDateOf(instant: string): string | null {
  if (typeof instant !== 'string' || instant.length < 17 || instant.charAt(10) !== 'T') {
    return null;
  }
  const date = instant.slice(0, 10);
  if (!isCalendarDate(date) || instant.charAt(13) !== ':') {
    return null;
  }
  const hours = digitsValue(instant, 11, 13);
  const minutes = digitsValue(instant, 14, 16);
  if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59) {
    return null;
  }
  const last = instant.charAt(instant.length - 1);
  if (last === 'Z' || last === 'z') {
    return date;
  }
  const zone = instant.slice(instant.length - 6);
  const sign = zone.charAt(0);
  const offsetHours = digitsValue(zone, 1, 3);
  const offsetMinutes = digitsValue(zone, 4, 6);
  if (
    (sign !== '+' && sign !== '-') ||
    zone.charAt(3) !== ':' ||
    offsetHours < 0 ||
    offsetHours > 23 ||
    offsetMinutes < 0 ||
    offsetMinutes > 59
  ) {
    return null;
  }
  const offset = (offsetHours * 60 + offsetMinutes) * (sign === '+' ? 1 : -1);
  const minuteOfDayUtc = hours * 60 + minutes - offset;
  return addDays(date, Math.floor(minuteOfDayUtc / 1440));
}
