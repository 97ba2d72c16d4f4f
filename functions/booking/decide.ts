/**
 * The business rules of a booking. `BookStay` is the public command: the guest
 * and the room exist, the nights are free and open, and every rule of a
 * reservation's stay holds; all violations at once. `RecordBookingStep` is the
 * state machine's: it records each step reached, in the only order the
 * process can reach them. Never throws.
 */
import type { BookingStatus } from '../../schema/generated/types.ts';
import type { Decision as SharedDecision } from '../shared/decider.ts';
import { nightCount } from '../shared/calendarDate.ts';
import { refusal, type RefusalType, type Violation as SharedViolation } from '../shared/errors.ts';
import { nightRangeViolations, nightsWithin, unreadableDates, type NightRangeRule } from '../shared/nightRange.ts';
import { STAY_LIMITS } from '../shared/stay.ts';
import type { BookingFailureReason, NewBookingEvent } from './events.ts';
import type { BookingState } from './state.ts';

/** The room as bookStay's read step found it: its price, or null when no room has that id. */
export interface RoomFound {
  nightlyRate: number;
  currency: string;
}

/** What the booking's read step (checkStay) finds at command time, handed to decide with the command. */
export interface BookingFacts {
  guestFound: boolean;
  room: RoomFound | null;
  roomNightsTaken: string[];
  roomNightsClosed: string[];
}

/** Book `roomId` for `guestId` from dateStart (inclusive) to dateEnd (exclusive). */
export interface BookStay extends BookingFacts {
  type: 'BookStay';
  id: string;
  commandId: string;
  guestId: string;
  roomId: string;
  dateStart: string;
  dateEnd: string;
  /** The reservation and payment the process will create, chosen now so a retried bookStay names the same ones. */
  reservationId: string;
  paymentId: string;
  now: string;
}

/** The state machine reached `status` (with the reason and what it undid when FAILED). */
export interface RecordBookingStep {
  type: 'RecordBookingStep';
  id: string;
  commandId: string;
  status: BookingStatus;
  reason: string | null;
  compensation: unknown;
  now: string;
}

export type BookingCommand = BookStay | RecordBookingStep;
export type BookingCommandRequest = Omit<BookStay, 'now' | keyof BookingFacts> | Omit<RecordBookingStep, 'now'>;

export type BookingRule =
  | NightRangeRule
  | 'StayTooLong'
  | 'GuestNotFound'
  | 'RoomNotFound'
  | 'RoomAlreadyReserved'
  | 'RoomClosed'
  | 'BookingExists'
  | 'BookingNotFound'
  | 'InvalidBookingStep'
  | 'InvalidFailureReason'
  | 'UnknownCommand';
export type Violation = SharedViolation<BookingRule>;
export type Decision = SharedDecision<NewBookingEvent, BookingRule>;

export const FAILURE_REASONS: BookingFailureReason[] = ['RoomUnavailable', 'PaymentDeclined', 'PaymentFailed', 'TimedOut'];

/** The status each recorded step must follow; FAILED may follow any status but a final one. */
const PREVIOUS_STATUS: Record<Exclude<BookingStatus, 'STARTED' | 'FAILED'>, BookingStatus> = {
  RESERVED: 'STARTED',
  PAYMENT_AUTHORIZED: 'RESERVED',
  CONFIRMED: 'PAYMENT_AUTHORIZED',
};

function refused(errorType: RefusalType, violations: Violation[]): Decision {
  return { ok: false, error: refusal(errorType, violations) };
}

function decideBookStay(state: BookingState, command: BookStay): Decision {
  const unreadable = unreadableDates(command);
  if (unreadable.length > 0) {
    return refused('ValidationError', unreadable);
  }
  const { dateStart, dateEnd, roomId } = command;
  const violations: Violation[] = [];
  if (state.status !== 'NONE') {
    violations.push({
      rule: 'BookingExists',
      message: `Booking ${command.id} already exists (${state.status}): send bookStay without an id, or with a new ULID.`,
    });
  }
  if (!command.guestFound) {
    violations.push({ rule: 'GuestNotFound', message: `No guest has id ${command.guestId}: register the guest first (registerGuest).` });
  }
  if (command.room === null) {
    violations.push({ rule: 'RoomNotFound', message: `No room has id ${roomId}: choose a registered room (listRooms).` });
  }
  violations.push(...nightRangeViolations(command, STAY_LIMITS));
  const reserved = nightsWithin(command.roomNightsTaken, dateStart, dateEnd);
  if (reserved.length > 0) {
    violations.push({
      rule: 'RoomAlreadyReserved',
      message: `Room ${roomId} is already reserved on ${reserved.join(', ')}: choose other dates or another room.`,
    });
  }
  const closed = nightsWithin(command.roomNightsClosed, dateStart, dateEnd);
  if (closed.length > 0) {
    violations.push({
      rule: 'RoomClosed',
      message: `Room ${roomId} is closed on ${closed.join(', ')}: choose other dates or another room.`,
    });
  }
  if (violations.length > 0 || command.room === null) {
    return refused('BusinessRuleViolation', violations);
  }
  const nights = nightCount(dateStart, dateEnd);
  return {
    ok: true,
    events: [
      {
        type: 'BookingStarted',
        data: {
          guestId: command.guestId,
          roomId,
          dateStart,
          dateEnd,
          nights,
          amount: nights * command.room.nightlyRate,
          currency: command.room.currency,
          reservationId: command.reservationId,
          paymentId: command.paymentId,
        },
      },
    ],
  };
}

function stepEvent(state: Exclude<BookingState, { status: 'NONE' }>, command: RecordBookingStep): NewBookingEvent | null {
  switch (command.status) {
    case 'RESERVED':
      return { type: 'BookingReserved', data: { reservationId: state.reservationId } };
    case 'PAYMENT_AUTHORIZED':
      return { type: 'BookingPaymentAuthorized', data: { paymentId: state.paymentId } };
    case 'CONFIRMED':
      return { type: 'BookingConfirmed', data: {} };
    case 'FAILED':
      return { type: 'BookingFailed', data: { reason: command.reason ?? '', compensation: command.compensation ?? null } };
    default:
      return null;
  }
}

function decideStep(state: BookingState, command: RecordBookingStep): Decision {
  if (state.status === 'NONE') {
    return refused('NotFound', [
      { rule: 'BookingNotFound', message: `No booking has id ${command.id}: check the id (getBooking returns null for it).` },
    ]);
  }
  const violations: Violation[] = [];
  const finished = state.status === 'CONFIRMED' || state.status === 'FAILED';
  const follows =
    command.status === 'FAILED' ? !finished : command.status !== 'STARTED' && PREVIOUS_STATUS[command.status] === state.status;
  if (!follows) {
    violations.push({
      rule: 'InvalidBookingStep',
      message: `Booking ${command.id} is ${state.status}; it cannot become ${command.status} from there.`,
    });
  }
  if (command.status === 'FAILED' && !FAILURE_REASONS.some((reason) => reason === command.reason)) {
    violations.push({
      rule: 'InvalidFailureReason',
      message: `A FAILED booking needs a reason among ${FAILURE_REASONS.join(', ')}; got ${JSON.stringify(command.reason)}.`,
    });
  }
  const event = stepEvent(state, command);
  if (violations.length > 0 || event === null) {
    return refused('BusinessRuleViolation', violations);
  }
  return { ok: true, events: [event] };
}

/**
 * Decide a booking command: every broken rule, or the events it makes.
 * @example decide(initialState, bookStay) // { ok: true, events: [{ type: 'BookingStarted', data }] }
 */
export function decide(state: BookingState, command: BookingCommand): Decision {
  switch (command.type) {
    case 'BookStay':
      return decideBookStay(state, command);
    case 'RecordBookingStep':
      return decideStep(state, command);
    default: {
      const unknown: never = command;
      return refused('ValidationError', [{ rule: 'UnknownCommand', message: `Unknown command ${JSON.stringify(unknown)}.` }]);
    }
  }
}
