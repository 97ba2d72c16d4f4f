/**
 * The business rules of a reservation: a command and the current state in, events or
 * a refusal (functions/shared/errors.ts) out. Never throws; the generic decideCommand
 * step sends a refusal to the client. Every broken rule is listed.
 */
import { nightRangeViolations, nightsWithin, unreadableDates } from '../shared/nightRange.ts';
import type { Decision as SharedDecision } from '../shared/decider.ts';
import { refusal, type RefusalType, type Violation as SharedViolation } from '../shared/errors.ts';
import { MAX_STAY_NIGHTS, STAY_LIMITS } from '../shared/stay.ts';
import type { NewReservationEvent } from './events.ts';
import type { ReservationState } from './state.ts';

/** Longest stay, in nights (shared with the booking: shared/stay.ts). */
export const MAX_NIGHTS = MAX_STAY_NIGHTS;

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
  /** Nights of this room closed (held by the room's closure), read with them. */
  roomNightsClosed: string[];
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
export type ReservationCommandRequest = Omit<CreateReservation, 'now' | keyof ReservationFacts> | Omit<CancelReservation, 'now'>;

/** What the reservation's read step (checkRoomNights) finds at command time, handed to decide with the command. */
export type ReservationFacts = Pick<CreateReservation, 'roomNightsTaken' | 'roomNightsClosed'>;

/** The rules a reservation command can break; `Violation.rule` is one of these. */
export type ReservationRule =
  | 'DateRangeInvalid'
  | 'DateStartInPast'
  | 'StayTooLong'
  | 'RoomAlreadyReserved'
  | 'RoomClosed'
  | 'ReservationExists'
  | 'ReservationNotFound'
  | 'ReservationAlreadyCancelled'
  | 'InvalidDate'
  | 'InvalidInstant'
  | 'UnknownCommand'
  | InputRule;

/** Rules of input shape, checked by validate.ts before any state is loaded. */
export type InputRule =
  'InvalidId' | 'InvalidUserId' | 'InvalidRoomId' | 'InvalidDateStart' | 'InvalidDateEnd' | 'InvalidCommandId' | 'ReasonTooLong';

export type Violation = SharedViolation<ReservationRule>;

export type Decision = SharedDecision<NewReservationEvent, ReservationRule>;

/** The decision to refuse the command with every violation. */
function refused(errorType: RefusalType, violations: Violation[]): Decision {
  return { ok: false, error: refusal(errorType, violations) };
}

function decideCreate(state: ReservationState, command: CreateReservation): Decision {
  const { dateStart, dateEnd } = command;
  const unreadable = unreadableDates(command);
  if (unreadable.length > 0) {
    return refused('ValidationError', unreadable);
  }
  const violations: Violation[] = nightRangeViolations(command, STAY_LIMITS);
  const clashes = nightsWithin(command.roomNightsTaken, dateStart, dateEnd);
  if (clashes.length > 0) {
    violations.push({
      rule: 'RoomAlreadyReserved',
      message: `Room ${command.roomId} is already reserved on ${clashes.join(', ')}: choose other dates or another room.`,
    });
  }
  // A room closed on a night (closeRoom) holds the same claim a reservation would: a rule across aggregates.
  const closed = nightsWithin(command.roomNightsClosed, dateStart, dateEnd);
  if (closed.length > 0) {
    violations.push({
      rule: 'RoomClosed',
      message: `Room ${command.roomId} is closed on ${closed.join(', ')}: choose other dates or another room.`,
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
      return refused('ValidationError', [{ rule: 'UnknownCommand', message: `Unknown command ${JSON.stringify(unknown)}.` }]);
    }
  }
}
