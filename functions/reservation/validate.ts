/**
 * Input shape checks the GraphQL layer cannot express, run before any state is
 * loaded. Each returns every violation found (empty when the input is fine); the step
 * refuses a non-empty list with errorType 'ValidationError' (see domainError).
 */
import type {
  CancelReservationInput,
  CreateReservationInput,
} from '../../schema/generated/types.ts';
import { isCalendarDate } from './calendarDate.ts';
import type { Violation } from './decide.ts';
import { isUlid } from './ulid.ts';

export const MAX_IDENTIFIER_LENGTH = 128;
export const MAX_REASON_LENGTH = 500;

/**
 * Characters allowed in userId, roomId and commandId. No '#': ids are joined with '#'
 * into keys (RoomNight#<roomId>#<night>), so a '#' would let a crafted id collide.
 */
const IDENTIFIER_CHARACTERS =
  'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-';

/** True for 1–128 characters of [A-Za-z0-9._:-]. */
export function isSafeIdentifier(s: unknown): boolean {
  if (typeof s !== 'string' || s.length < 1 || s.length > MAX_IDENTIFIER_LENGTH) {
    return false;
  }
  // split('') + indexOf: no regex in APPSYNC_JS, and its lint denies charCodeAt.
  return s.split('').every((ch) => IDENTIFIER_CHARACTERS.indexOf(ch) >= 0);
}

function isGiven(value: unknown): boolean {
  return value !== null && value !== undefined;
}

function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function identifierViolations(
  field: string,
  value: unknown,
  rule: 'InvalidUserId' | 'InvalidRoomId' | 'InvalidCommandId',
): Violation[] {
  if (isSafeIdentifier(value)) {
    return [];
  }
  return [
    {
      rule,
      message: `${field} (${describe(value)}) must be 1 to ${MAX_IDENTIFIER_LENGTH} characters among letters, digits, '.', '_', ':' and '-'.`,
    },
  ];
}

function ulidViolations(value: unknown): Violation[] {
  if (isUlid(value)) {
    return [];
  }
  return [
    {
      rule: 'InvalidId',
      message: `id (${describe(value)}) must be a ULID: 26 Crockford base32 characters, the first 0-7 (for example 01ARZ3NDEKTSV4RRFFQ69G5FAV).`,
    },
  ];
}

function dateViolations(
  field: 'dateStart' | 'dateEnd',
  value: unknown,
  rule: 'InvalidDateStart' | 'InvalidDateEnd',
): Violation[] {
  if (isCalendarDate(value)) {
    return [];
  }
  return [
    {
      rule,
      message: `${field} (${describe(value)}) must be a calendar date written YYYY-MM-DD, without a time zone (for example 2026-02-28).`,
    },
  ];
}

/** Shape checks of createReservation's input: every violation, or []. */
export function validateCreateReservationInput(input: CreateReservationInput): Violation[] {
  return [
    ...(isGiven(input.id) ? ulidViolations(input.id) : []),
    ...(isGiven(input.commandId)
      ? identifierViolations('commandId', input.commandId, 'InvalidCommandId')
      : []),
    ...identifierViolations('userId', input.userId, 'InvalidUserId'),
    ...identifierViolations('roomId', input.roomId, 'InvalidRoomId'),
    ...dateViolations('dateStart', input.dateStart, 'InvalidDateStart'),
    ...dateViolations('dateEnd', input.dateEnd, 'InvalidDateEnd'),
  ];
}

/** Shape checks of cancelReservation's input: every violation, or []. */
export function validateCancelReservationInput(input: CancelReservationInput): Violation[] {
  const reason = input.reason;
  const reasonTooLong = typeof reason === 'string' && reason.length > MAX_REASON_LENGTH;
  return [
    ...ulidViolations(input.id),
    ...(isGiven(input.commandId)
      ? identifierViolations('commandId', input.commandId, 'InvalidCommandId')
      : []),
    ...(reasonTooLong
      ? [
          {
            rule: 'ReasonTooLong' as const,
            message: `reason is ${reason.length} characters long; at most ${MAX_REASON_LENGTH} are allowed: shorten it.`,
          },
        ]
      : []),
  ];
}
