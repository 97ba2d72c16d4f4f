/**
 * Input shape checks the GraphQL layer cannot express, shared by every
 * aggregate's command validation. Each returns the violations it finds
 * (empty when the value is fine), so a command reports every problem at once.
 * Valid APPSYNC_JS: no regex, and AWS's lint denies charCodeAt, so characters
 * are looked up with indexOf on constant strings.
 */
import { isCalendarDate } from './calendarDate';
import type { Violation } from './errors';
import { isUlid } from './ulid';

export const MAX_IDENTIFIER_LENGTH = 128;

/**
 * Characters allowed in identifiers chosen outside the core (userId, roomId, commandId). No '#':
 * ids are joined with '#' into keys (RoomNight#<roomId>#<night>), so a '#' would let a crafted id collide.
 */
const IDENTIFIER_CHARACTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-';

/** True for 1–128 characters of [A-Za-z0-9._:-]. */
export function isSafeIdentifier(s: unknown): boolean {
  if (typeof s !== 'string' || s.length < 1 || s.length > MAX_IDENTIFIER_LENGTH) {
    return false;
  }
  return s.split('').every((ch) => IDENTIFIER_CHARACTERS.indexOf(ch) >= 0);
}

export function isGiven(value: unknown): boolean {
  return value !== null && value !== undefined;
}

/** A value as a short JSON text for a message: at most 60 characters. */
export function describeValue(value: unknown): string {
  // Only the start is shown, so no more of a long string is stringified than that: the whole of a
  // 4 MB id took 30–40 ms of the event loop (the hostile-client test's probe saw it on Node 24).
  const shown = typeof value === 'string' && value.length > 60 ? value.slice(0, 60) : value;
  const text = JSON.stringify(shown) ?? String(shown);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** `field` must be a safe identifier (see isSafeIdentifier). */
export function identifierViolations<Rule extends string>(field: string, value: unknown, rule: Rule): Violation<Rule>[] {
  if (isSafeIdentifier(value)) {
    return [];
  }
  return [
    {
      rule,
      message: `${field} (${describeValue(value)}) must be 1 to ${MAX_IDENTIFIER_LENGTH} characters among letters, digits, '.', '_', ':' and '-'.`,
    },
  ];
}

/** `field` must be a ULID: the ids of aggregate streams. */
export function ulidViolations<Rule extends string>(field: string, value: unknown, rule: Rule): Violation<Rule>[] {
  if (isUlid(value)) {
    return [];
  }
  return [
    {
      rule,
      message: `${field} (${describeValue(value)}) must be a ULID: 26 Crockford base32 characters, the first 0-7 (for example 01ARZ3NDEKTSV4RRFFQ69G5FAV).`,
    },
  ];
}

/** `field` must be a calendar date 'YYYY-MM-DD' without a time zone (a night is a local day, not an instant). */
export function calendarDateViolations<Rule extends string>(field: string, value: unknown, rule: Rule): Violation<Rule>[] {
  if (isCalendarDate(value)) {
    return [];
  }
  return [
    {
      rule,
      message: `${field} (${describeValue(value)}) must be a calendar date written YYYY-MM-DD, without a time zone (for example 2026-02-28).`,
    },
  ];
}

/** `field`, when given, must be at most `max` characters long. */
export function maxLengthViolations<Rule extends string>(field: string, value: unknown, max: number, rule: Rule): Violation<Rule>[] {
  if (typeof value !== 'string' || value.length <= max) {
    return [];
  }
  return [{ rule, message: `${field} is ${value.length} characters long; at most ${max} are allowed: shorten it.` }];
}
