/**
 * The business rules of a reservation: a command and the current state in, events or
 * a typed error value out. Never throws; the pipeline step turns a refusal into
 * util.error(message, errorType, null, { violations }). Every broken rule is listed.
 */
import { isCalendarDate, nightCount, utcDateOf } from './calendarDate.ts';
import type { NewReservationEvent } from './events.ts';
import type { ReservationState } from './state.ts';

/** Longest stay, in nights. */
export const MAX_NIGHTS = 30;

/** Reserve `roomId` for the nights dateStart (inclusive) to dateEnd (exclusive). */
export interface CreateReservation {
  type: 'CreateReservation';
  /** The stream id: the client's ULID, or one derived from commandId. */
  id: string;
  commandId: string;
  userId: string;
  roomId: string;
  dateStart: string;
  dateEnd: string;
  /** ISO-8601 instant the command is decided at. */
  now: string;
  /** Nights of this room already held by another reservation, read from the constraint items at command time. */
  roomNightsTaken: string[];
}

/** Cancel reservation `id`. */
export interface CancelReservation {
  type: 'CancelReservation';
  id: string;
  commandId: string;
  reason: string | null;
  /** ISO-8601 instant the command is decided at. */
  now: string;
}

export type ReservationCommand = CreateReservation | CancelReservation;

/** The closed set of error types a command can be refused with (GraphQL errorType). */
export type DomainErrorType = 'BusinessRuleViolation' | 'NotFound' | 'ValidationError';

/** The rules a reservation command can break; `Violation.rule` is one of these. */
export type ReservationRule =
  | 'DateRangeInvalid'
  | 'DateStartInPast'
  | 'StayTooLong'
  | 'RoomAlreadyReserved'
  | 'ReservationExists'
  | 'ReservationNotFound'
  | 'ReservationAlreadyCancelled'
  | 'InvalidDate'
  | 'InvalidInstant'
  | 'UnknownCommand'
  | InputRule;

/** Rules of input shape, checked by validate.ts before any state is loaded. */
export type InputRule =
  | 'InvalidId'
  | 'InvalidUserId'
  | 'InvalidRoomId'
  | 'InvalidDateStart'
  | 'InvalidDateEnd'
  | 'InvalidCommandId'
  | 'ReasonTooLong';

export interface Violation {
  rule: ReservationRule;
  message: string;
}

export interface DomainError {
  errorType: DomainErrorType;
  message: string;
  violations: Violation[];
}

export type Decision = { ok: true; events: NewReservationEvent[] } | { ok: false; error: DomainError };

/** The error value for `violations`, with a message that names every broken rule. */
export function domainError(errorType: DomainErrorType, violations: Violation[]): DomainError {
  const rules = violations.map((violation) => violation.rule).join(', ');
  const count = violations.length === 1 ? '1 rule' : `${violations.length} rules`;
  return { errorType, message: `Command refused, ${count} broken: ${rules}.`, violations };
}

function refuse(errorType: DomainErrorType, violations: Violation[]): Decision {
  return { ok: false, error: domainError(errorType, violations) };
}

function decideCreate(state: ReservationState, command: CreateReservation): Decision {
  const { dateStart, dateEnd } = command;
  const invalidDates = [dateStart, dateEnd]
    .filter((date) => !isCalendarDate(date))
    .map(
      (date): Violation => ({
        rule: 'InvalidDate',
        message: `${JSON.stringify(date)} is not a calendar date: write it YYYY-MM-DD, for example 2026-01-31.`,
      }),
    );
  const today = utcDateOf(command.now);
  if (today === null) {
    invalidDates.push({
      rule: 'InvalidInstant',
      message: `now (${JSON.stringify(command.now)}) is not an ISO-8601 instant: the command step must pass util.time.nowISO8601().`,
    });
  }
  if (invalidDates.length > 0 || today === null) {
    return refuse('ValidationError', invalidDates);
  }

  const violations: Violation[] = [];
  const nights = nightCount(dateStart, dateEnd);
  if (nights < 1) {
    violations.push({
      rule: 'DateRangeInvalid',
      message: `dateEnd (${dateEnd}) must be after dateStart (${dateStart}): it is the check-out day. Choose a dateEnd at least one day after dateStart.`,
    });
  }
  if (dateStart < today) {
    violations.push({
      rule: 'DateStartInPast',
      message: `dateStart (${dateStart}) is before today (${today}, UTC): choose a dateStart of today or later.`,
    });
  }
  if (nights > MAX_NIGHTS) {
    violations.push({
      rule: 'StayTooLong',
      message: `The stay from ${dateStart} to ${dateEnd} is ${nights} nights; at most ${MAX_NIGHTS} are allowed. Book a shorter stay, or several reservations.`,
    });
  }
  // 'YYYY-MM-DD' strings order like the dates they name: a night is in the stay when dateStart <= night < dateEnd.
  const clashes = command.roomNightsTaken.filter(
    (night, index, all) => night >= dateStart && night < dateEnd && all.indexOf(night) === index,
  );
  if (clashes.length > 0) {
    violations.push({
      rule: 'RoomAlreadyReserved',
      message: `Room ${command.roomId} is already reserved on ${clashes.join(', ')}: choose other dates or another room.`,
    });
  }
  if (state.status !== 'NONE') {
    violations.push({
      rule: 'ReservationExists',
      message: `Reservation ${command.id} already exists (${state.status}): send the create without an id, or with a new ULID.`,
    });
  }
  if (violations.length > 0) {
    return refuse('BusinessRuleViolation', violations);
  }
  return {
    ok: true,
    events: [
      {
        type: 'ReservationCreated',
        data: { userId: command.userId, roomId: command.roomId, dateStart, dateEnd },
      },
    ],
  };
}

function decideCancel(state: ReservationState, command: CancelReservation): Decision {
  if (state.status === 'NONE') {
    return refuse('NotFound', [
      {
        rule: 'ReservationNotFound',
        message: `No reservation has id ${command.id}: check the id (getReservation returns null for it).`,
      },
    ]);
  }
  if (state.status === 'CANCELLED') {
    return refuse('BusinessRuleViolation', [
      {
        rule: 'ReservationAlreadyCancelled',
        message: `Reservation ${command.id} was already cancelled at ${state.updatedAt}: there is nothing left to cancel.`,
      },
    ]);
  }
  return {
    ok: true,
    events: [
      {
        type: 'ReservationCancelled',
        data: {
          roomId: state.roomId,
          dateStart: state.dateStart,
          dateEnd: state.dateEnd,
          reason: command.reason,
        },
      },
    ],
  };
}

/**
 * Decide a command against the current state: the events to store, or every rule it breaks.
 * @example decide(initialState, createCommand) // { ok: true, events: [{ type: 'ReservationCreated', data }] }
 */
export function decide(state: ReservationState, command: ReservationCommand): Decision {
  switch (command.type) {
    case 'CreateReservation':
      return decideCreate(state, command);
    case 'CancelReservation':
      return decideCancel(state, command);
    default: {
      // Exhaustive at compile time; an unknown command at run time is refused, not thrown.
      const unknown: never = command;
      return refuse('ValidationError', [
        { rule: 'UnknownCommand', message: `Unknown command ${JSON.stringify(unknown)}.` },
      ]);
    }
  }
}
