import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  fromDayNumber,
  isCalendarDate,
  nightCount,
  nightsOf,
  toDayNumber,
  utcDateOf,
} from '../../../functions/shared/calendarDate.ts';

const DAY_MS = 86_400_000;
/** Day numbers of 0000-01-01 and 9999-12-31. */
const FIRST_DAY = -719_528;
const LAST_DAY = 2_932_896;

/** Oracle: the platform's proleptic Gregorian calendar (tests may use Date; the domain may not). */
function isoDateOf(dayNumber: number): string {
  const date = new Date(0);
  date.setUTCFullYear(1970, 0, 1 + dayNumber);
  const year = String(date.getUTCFullYear()).padStart(4, '0');
  return `${year}-${String(date.getUTCMonth() + 1).padStart(2, '0')}-${String(date.getUTCDate()).padStart(2, '0')}`;
}

describe('isCalendarDate', () => {
  it.each([
    ['2024-02-29', 'a leap day of a year divisible by 4'],
    ['2000-02-29', 'a leap day of a year divisible by 400'],
    ['2026-01-31', 'the last day of January'],
    ['2026-04-30', 'the last day of April'],
    ['2026-12-31', 'the last day of the year'],
    ['0000-01-01', 'the first representable date'],
    ['9999-12-31', 'the last representable date'],
  ])('accepts %s (%s)', (date) => {
    expect(isCalendarDate(date)).toBe(true);
  });

  it.each([
    ['2023-02-29', 'a leap day of a common year'],
    ['1900-02-29', 'a leap day of a century not divisible by 400'],
    ['2026-04-31', 'April 31'],
    ['2026-06-31', 'June 31'],
    ['2026-13-01', 'month 13'],
    ['2026-00-10', 'month 0'],
    ['2026-01-00', 'day 0'],
    ['2026-01-32', 'day 32'],
    ['2026-1-01', 'a one-digit month'],
    ['2026-01-01Z', 'a time-zone suffix, which AWSDate allows'],
    ['2026-01-01+05:30', 'an offset suffix'],
    ['2026/01/01', 'slashes'],
    ['2026-0a-01', 'a letter'],
    ['+026-01-01', 'a sign'],
    ['', 'the empty string'],
  ])('refuses %j (%s)', (date) => {
    expect(isCalendarDate(date)).toBe(false);
  });

  it('refuses what is not a string', () => {
    expect(isCalendarDate(20260101)).toBe(false);
    expect(isCalendarDate(null)).toBe(false);
    expect(isCalendarDate(undefined)).toBe(false);
  });

  it('agrees with the platform calendar on every formatted date', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 31 }),
        (year, month, day) => {
          const text = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
          const date = new Date(0);
          date.setUTCFullYear(year, month - 1, day);
          const real = date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
          expect(isCalendarDate(text)).toBe(real);
        },
      ),
    );
  });
});

describe('toDayNumber and fromDayNumber', () => {
  it('counts days from 1970-01-01', () => {
    expect(toDayNumber('1970-01-01')).toBe(0);
    expect(toDayNumber('1970-01-02')).toBe(1);
    expect(toDayNumber('1969-12-31')).toBe(-1);
    expect(toDayNumber('2000-03-01')).toBe(11_017);
    expect(toDayNumber('0000-01-01')).toBe(FIRST_DAY);
    expect(toDayNumber('9999-12-31')).toBe(LAST_DAY);
  });

  it('is NaN for what is not a calendar date', () => {
    expect(toDayNumber('2023-02-29')).toBeNaN();
  });

  it('writes years before 1000 with four digits', () => {
    expect(fromDayNumber(toDayNumber('0042-07-04'))).toBe('0042-07-04');
  });

  it('agrees with the platform calendar over the whole range', () => {
    fc.assert(
      fc.property(fc.integer({ min: FIRST_DAY, max: LAST_DAY }), (dayNumber) => {
        const date = fromDayNumber(dayNumber);
        expect(date).toBe(isoDateOf(dayNumber));
        expect(toDayNumber(date)).toBe(dayNumber);
      }),
    );
  });

  it('agrees with Date.UTC for modern dates', () => {
    fc.assert(
      fc.property(fc.integer({ min: toDayNumber('1900-01-01'), max: toDayNumber('2200-12-31') }), (dayNumber) => {
        expect(new Date(dayNumber * DAY_MS).toISOString().slice(0, 10)).toBe(fromDayNumber(dayNumber));
      }),
    );
  });
});

describe('nightsOf and nightCount', () => {
  it('lists each night from check-in to the night before check-out', () => {
    expect(nightsOf('2026-03-10', '2026-03-13')).toEqual(['2026-03-10', '2026-03-11', '2026-03-12']);
    expect(nightCount('2026-03-10', '2026-03-13')).toBe(3);
  });

  it('crosses a leap day', () => {
    expect(nightsOf('2024-02-28', '2024-03-01')).toEqual(['2024-02-28', '2024-02-29']);
  });

  it('crosses the end of February of a common year', () => {
    expect(nightsOf('2023-02-27', '2023-03-02')).toEqual(['2023-02-27', '2023-02-28', '2023-03-01']);
  });

  it('crosses the end of a 30-day month and of the year', () => {
    expect(nightsOf('2026-04-29', '2026-05-02')).toEqual(['2026-04-29', '2026-04-30', '2026-05-01']);
    expect(nightsOf('2026-12-30', '2027-01-02')).toEqual(['2026-12-30', '2026-12-31', '2027-01-01']);
    expect(nightCount('2026-12-30', '2027-01-02')).toBe(3);
  });

  it('counts 366 nights in a leap year and 365 in a common one', () => {
    expect(nightCount('2024-01-01', '2025-01-01')).toBe(366);
    expect(nightCount('2025-01-01', '2026-01-01')).toBe(365);
    expect(nightsOf('2024-01-01', '2025-01-01')).toHaveLength(366);
  });

  it('is empty when check-out is not after check-in', () => {
    expect(nightsOf('2026-03-10', '2026-03-10')).toEqual([]);
    expect(nightsOf('2026-03-10', '2026-03-09')).toEqual([]);
    expect(nightCount('2026-03-10', '2026-03-09')).toBe(-1);
  });

  it('lists only the first nights when given a limit', () => {
    expect(nightsOf('2026-03-10', '9999-12-31', 2)).toEqual(['2026-03-10', '2026-03-11']);
    expect(nightsOf('2026-03-10', '2026-03-12', 30)).toEqual(['2026-03-10', '2026-03-11']);
    expect(nightsOf('2026-03-10', '2026-03-12', 0)).toEqual([]);
  });

  it('is empty for a non-date', () => {
    expect(nightsOf('2026-02-30', '2026-03-02')).toEqual([]);
  });

  it('has nightCount consecutive nights for any stay', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: toDayNumber('1990-01-01'), max: toDayNumber('2100-01-01') }),
        fc.integer({ min: 0, max: 400 }),
        (start, length) => {
          const nights = nightsOf(fromDayNumber(start), fromDayNumber(start + length));
          expect(nights).toHaveLength(length);
          expect(nights.map((night) => toDayNumber(night))).toEqual(Array.from({ length }, (_, i) => start + i));
        },
      ),
    );
  });
});

describe('addDays', () => {
  it('moves across month and year ends', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });
});

describe('utcDateOf', () => {
  it('reads the date of a UTC instant', () => {
    expect(utcDateOf('2026-01-03T23:59:59.999Z')).toBe('2026-01-03');
    expect(utcDateOf('2026-01-03T00:00:00Z')).toBe('2026-01-03');
  });

  it('moves to the UTC date of an instant written with an offset', () => {
    expect(utcDateOf('2026-01-04T01:30:00+02:00')).toBe('2026-01-03');
    expect(utcDateOf('2025-12-31T22:00:00-05:00')).toBe('2026-01-01');
    expect(utcDateOf('2024-02-29T23:00:00.123-01:00')).toBe('2024-03-01');
  });

  it('agrees with Date on any instant', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1971, 0, 1), max: Date.UTC(2200, 0, 1) }),
        fc.integer({ min: -(14 * 60), max: 14 * 60 }),
        (ms, offsetMinutes) => {
          const local = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 19);
          const sign = offsetMinutes < 0 ? '-' : '+';
          const abs = Math.abs(offsetMinutes);
          const zone = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
          expect(utcDateOf(`${local}${zone}`)).toBe(new Date(ms).toISOString().slice(0, 10));
        },
      ),
    );
  });

  it('is null for what it cannot read', () => {
    expect(utcDateOf('2026-01-03')).toBeNull();
    expect(utcDateOf('2026-01-03T25:00:00Z')).toBeNull();
    expect(utcDateOf('2026-02-30T10:00:00Z')).toBeNull();
    expect(utcDateOf('2026-01-03T10:00:00')).toBeNull();
    expect(utcDateOf('yesterday')).toBeNull();
  });
});
