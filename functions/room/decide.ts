/**
 * The business rules of a room: a command and the current state in, events or
 * a refusal listing every broken rule out. Never throws.
 */
import type { Decision as SharedDecision } from '../shared/decider.ts';
import { refusal, type RefusalType, type Violation as SharedViolation } from '../shared/errors.ts';
import { nightsOf } from '../shared/calendarDate.ts';
import { nightRangeViolations, nightsWithin, unreadableDates, type NightRangeRule } from '../shared/nightRange.ts';
import type { NewRoomEvent } from './events.ts';
import type { RegisteredRoom, RoomState } from './state.ts';

/** Longest closure, in nights, as for a stay: close a room in several periods. */
export const MAX_CLOSED_NIGHTS = 30;
export const MAX_CAPACITY = 10;

export interface RegisterRoom {
  type: 'RegisterRoom';
  id: string;
  commandId: string;
  number: string;
  capacity: number;
  nightlyRate: number;
  currency: string;
  now: string;
  /** The room that holds this number already, read from its claim at command time; null when free. */
  roomNumberHeldBy: string | null;
}

export interface CloseRoom {
  type: 'CloseRoom';
  id: string;
  commandId: string;
  dateStart: string;
  dateEnd: string;
  reason: string;
  now: string;
  /** Nights of the range a reservation holds, read from the room-night claims at command time. */
  roomNightsReserved: string[];
}

export interface ReopenRoom {
  type: 'ReopenRoom';
  id: string;
  commandId: string;
  dateStart: string;
  dateEnd: string;
  now: string;
}

export type RoomCommand = RegisterRoom | CloseRoom | ReopenRoom;

/** What the room's read steps find at command time, handed to decide with the command. */
export type RoomFacts = Partial<Pick<RegisterRoom, 'roomNumberHeldBy'> & Pick<CloseRoom, 'roomNightsReserved'>>;

/** A command as its resolver stashes it: without the clock and the facts. */
export type RoomCommandRequest =
  Omit<RegisterRoom, 'now' | 'roomNumberHeldBy'> | Omit<CloseRoom, 'now' | 'roomNightsReserved'> | Omit<ReopenRoom, 'now'>;

export type RoomRule =
  | 'RoomExists'
  | 'RoomNumberTaken'
  | 'CapacityOutOfRange'
  | 'NightlyRateNotPositive'
  | 'InvalidCurrency'
  | 'RoomNotFound'
  | 'ClosureTooLong'
  | 'RoomNightsReserved'
  | 'RoomAlreadyClosed'
  | 'RoomNotClosed'
  | 'UnknownCommand'
  | NightRangeRule;

export type Violation = SharedViolation<RoomRule>;
export type Decision = SharedDecision<NewRoomEvent, RoomRule>;

const UPPER_CASE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Three upper-case ASCII letters, as ISO 4217 writes a currency. */
export function isCurrencyCode(s: string): boolean {
  return s.length === 3 && s.split('').every((ch) => UPPER_CASE.indexOf(ch) >= 0);
}

function refused(errorType: RefusalType, violations: Violation[]): Decision {
  return { ok: false, error: refusal(errorType, violations) };
}

function decideRegister(state: RoomState, command: RegisterRoom): Decision {
  const violations: Violation[] = [];
  if (state.status !== 'NONE') {
    violations.push({
      rule: 'RoomExists',
      message: `Room ${command.id} is already registered (number ${state.number}): send the command without an id, or with a new ULID.`,
    });
  }
  if (command.roomNumberHeldBy !== null && command.roomNumberHeldBy !== command.id) {
    violations.push({
      rule: 'RoomNumberTaken',
      message: `Room number ${command.number} belongs to room ${command.roomNumberHeldBy}: choose another number.`,
    });
  }
  if (!(command.capacity >= 1 && command.capacity <= MAX_CAPACITY && Math.floor(command.capacity) === command.capacity)) {
    violations.push({
      rule: 'CapacityOutOfRange',
      message: `capacity (${command.capacity}) must be a whole number of guests from 1 to ${MAX_CAPACITY}.`,
    });
  }
  if (!(command.nightlyRate > 0)) {
    violations.push({
      rule: 'NightlyRateNotPositive',
      message: `nightlyRate (${command.nightlyRate}) must be above 0: it is in minor units (cents), e.g. 12000 for 120.00.`,
    });
  }
  if (!isCurrencyCode(command.currency)) {
    violations.push({
      rule: 'InvalidCurrency',
      message: `currency (${JSON.stringify(command.currency)}) must be an ISO 4217 code: three upper-case letters, e.g. EUR.`,
    });
  }
  if (violations.length > 0) {
    return refused('BusinessRuleViolation', violations);
  }
  const { number, capacity, nightlyRate, currency } = command;
  return { ok: true, events: [{ type: 'RoomRegistered', data: { number, capacity, nightlyRate, currency } }] };
}

const CLOSURE_LIMITS = {
  dateEndMeans: 'the first night back in service',
  mayStartInPast: false,
  maxNights: MAX_CLOSED_NIGHTS,
  tooLongRule: 'ClosureTooLong' as const,
  tooLongAdvice: 'Close the room in several periods.',
  name: 'The closure',
};

/** Refuses a command on a room that does not exist (NotFound). */
function notFound(command: { id: string }): Decision {
  return refused('NotFound', [
    { rule: 'RoomNotFound', message: `No room has id ${command.id}: check the id (getRoom returns null for it).` },
  ]);
}

function decideClose(state: RoomState, command: CloseRoom): Decision {
  if (state.status === 'NONE') {
    return notFound(command);
  }
  const unreadable = unreadableDates(command);
  if (unreadable.length > 0) {
    return refused('ValidationError', unreadable);
  }
  const violations: Violation[] = nightRangeViolations(command, CLOSURE_LIMITS);
  const reserved = nightsWithin(command.roomNightsReserved, command.dateStart, command.dateEnd);
  if (reserved.length > 0) {
    violations.push({
      rule: 'RoomNightsReserved',
      message: `Room ${state.number} is reserved on ${reserved.join(', ')}: cancel those reservations first, or close other nights.`,
    });
  }
  const newNights =
    violations.length > 0 ? [] : nightsOf(command.dateStart, command.dateEnd).filter((night) => state.closedNights.indexOf(night) < 0);
  if (violations.length === 0 && newNights.length === 0) {
    violations.push({
      rule: 'RoomAlreadyClosed',
      message: `Room ${state.number} is already closed on every night from ${command.dateStart} to ${command.dateEnd}: nothing to close.`,
    });
  }
  if (violations.length > 0) {
    return refused('BusinessRuleViolation', violations);
  }
  const { dateStart, dateEnd, reason } = command;
  return { ok: true, events: [{ type: 'RoomClosed', data: { roomId: state.id, dateStart, dateEnd, reason, nights: newNights } }] };
}

const REOPENING_LIMITS = {
  ...CLOSURE_LIMITS,
  mayStartInPast: true,
  name: 'The reopening',
  tooLongAdvice: 'Reopen the room in several periods.',
};

function decideReopen(state: RoomState, command: ReopenRoom): Decision {
  if (state.status === 'NONE') {
    return notFound(command);
  }
  const unreadable = unreadableDates(command);
  if (unreadable.length > 0) {
    return refused('ValidationError', unreadable);
  }
  const violations: Violation[] = nightRangeViolations(command, REOPENING_LIMITS);
  const closed = nightsWithin((state as RegisteredRoom).closedNights, command.dateStart, command.dateEnd);
  if (violations.length === 0 && closed.length === 0) {
    violations.push({
      rule: 'RoomNotClosed',
      message: `Room ${state.number} is not closed on any night from ${command.dateStart} to ${command.dateEnd}: nothing to reopen.`,
    });
  }
  if (violations.length > 0) {
    return refused('BusinessRuleViolation', violations);
  }
  return {
    ok: true,
    events: [{ type: 'RoomReopened', data: { roomId: state.id, dateStart: command.dateStart, dateEnd: command.dateEnd, nights: closed } }],
  };
}

/**
 * Decide a room command against the current state: the events to store, or every rule it breaks.
 * @example decide(initialState, registerCommand) // { ok: true, events: [{ type: 'RoomRegistered', data }] }
 */
export function decide(state: RoomState, command: RoomCommand): Decision {
  switch (command.type) {
    case 'RegisterRoom':
      return decideRegister(state, command);
    case 'CloseRoom':
      return decideClose(state, command);
    case 'ReopenRoom':
      return decideReopen(state, command);
    default: {
      const unknown: never = command;
      return refused('ValidationError', [{ rule: 'UnknownCommand', message: `Unknown command ${JSON.stringify(unknown)}.` }]);
    }
  }
}
