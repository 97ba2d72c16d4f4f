/**
 * The rules of a range of nights (a stay, a closure): dateStart inclusive,
 * dateEnd exclusive, both calendar dates, dateEnd after dateStart, not
 * starting in the past (UTC), at most a number of nights. Shared by every
 * decider that takes such a range, so each states them the same way. Pure.
 */
import { isCalendarDate, nightCount, utcDateOf } from './calendarDate';
import type { Violation } from './errors';

export type NightRangeRule = 'InvalidDate' | 'InvalidInstant' | 'DateRangeInvalid' | 'DateStartInPast';

export interface NightRange {
  dateStart: string;
  dateEnd: string;
  /** ISO-8601 instant the command is decided at. */
  now: string;
}

export interface NightRangeLimits<TooLong extends string> {
  /** What dateEnd is, for the message: "the check-out day". */
  dateEndMeans: string;
  /** Whether a range may start before today (a reopening may; a stay may not). */
  mayStartInPast: boolean;
  maxNights: number;
  tooLongRule: TooLong;
  /** What to do instead, for the message: "Book a shorter stay, or several reservations." */
  tooLongAdvice: string;
  /** What the range is, for the message: "The stay". */
  name: string;
}

/** Dates that cannot be read (a ValidationError: the command cannot be decided at all), or []. */
export function unreadableDates(range: NightRange): Violation<NightRangeRule>[] {
  const violations: Violation<NightRangeRule>[] = [range.dateStart, range.dateEnd]
    .filter((date) => !isCalendarDate(date))
    .map((date) => ({
      rule: 'InvalidDate' as const,
      message: `${JSON.stringify(date)} is not a calendar date: write it YYYY-MM-DD, for example 2026-01-31.`,
    }));
  if (utcDateOf(range.now) === null) {
    violations.push({
      rule: 'InvalidInstant',
      message: `now (${JSON.stringify(range.now)}) is not an ISO-8601 instant: the command step must pass util.time.nowISO8601().`,
    });
  }
  return violations;
}

/** The business rules the range breaks (check unreadableDates first), or []. */
export function nightRangeViolations<TooLong extends string>(
  range: NightRange,
  limits: NightRangeLimits<TooLong>,
): Violation<NightRangeRule | TooLong>[] {
  const { dateStart, dateEnd } = range;
  const today = utcDateOf(range.now) ?? '';
  const violations: Violation<NightRangeRule | TooLong>[] = [];
  const nights = nightCount(dateStart, dateEnd);
  if (nights < 1) {
    violations.push({
      rule: 'DateRangeInvalid',
      message: `dateEnd (${dateEnd}) must be after dateStart (${dateStart}): it is ${limits.dateEndMeans}. Choose a dateEnd at least one day after dateStart.`,
    });
  }
  if (!limits.mayStartInPast && dateStart < today) {
    violations.push({
      rule: 'DateStartInPast',
      message: `dateStart (${dateStart}) is before today (${today}, UTC): choose a dateStart of today or later.`,
    });
  }
  if (nights > limits.maxNights) {
    violations.push({
      rule: limits.tooLongRule,
      message: `${limits.name} from ${dateStart} to ${dateEnd} is ${nights} nights; at most ${limits.maxNights} are allowed. ${limits.tooLongAdvice}`,
    });
  }
  return violations;
}

/** The distinct nights of `nights` within the range; 'YYYY-MM-DD' strings order like the dates they name. */
export function nightsWithin(nights: string[], dateStart: string, dateEnd: string): string[] {
  return nights.filter((night, index, all) => night >= dateStart && night < dateEnd && all.indexOf(night) === index);
}
