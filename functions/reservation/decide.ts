/**
 * The business rules of a reservation: a command and the current state in, events or
 * a refusal (functions/shared/errors.ts) out. Never throws; the generic decideCommand
 * step sends a refusal to the client. Every broken rule is listed.
 */
import { isCalendarDate, nightCount, utcDateOf } from '../shared/calendarDate.ts';
import type { Decision as SharedDecision } from '../shared/decider.ts';
import { refusal, type RefusalType, type Violation as SharedViolation } from '../shared/errors.ts';
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

/** A command as its resolver stashes it: without what the pipeline adds (the clock, the facts read at command time). */
export type ReservationCommandRequest = Omit<CreateReservation, 'now' | 'roomNightsTaken'> | Omit<CancelReservation, 'now'>;

/** What the reservation's read step (checkRoomNights) finds at command time, handed to decide with the command. */
export interface ReservationFacts {
  roomNightsTaken: string[];
}

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

export type Violation = SharedViolation<ReservationRule>;

export type Decision = SharedDecision<NewReservationEvent, ReservationRule>;

/** The decision to refuse the command with every violation. */
function refused(errorType: RefusalType, violations: Violation[]): Decision {
  return { ok: false, error: refusal(errorType, violations) };
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
    return refused('ValidationError', invalidDates);
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
    return refused('BusinessRuleViolation', violations);
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
    return refused('NotFound', [
      {
        rule: 'ReservationNotFound',
        message: `No reservation has id ${command.id}: check the id (getReservation returns null for it).`,
      },
    ]);
  }
  if (state.status === 'CANCELLED') {
    return refused('BusinessRuleViolation', [
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
      return refused('ValidationError', [
        { rule: 'UnknownCommand', message: `Unknown command ${JSON.stringify(unknown)}.` },
      ]);
    }
  }
}
