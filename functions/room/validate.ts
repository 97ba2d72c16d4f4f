/**
 * Input shape checks of the room's commands, run by their resolvers before
 * any state is loaded: every violation, or []. The rules of the values
 * (capacity, rate, currency, dates) are decide's.
 */
import type { CloseRoomInput, RegisterRoomInput, ReopenRoomInput } from '../../schema/generated/types.ts';
import type { Violation } from '../shared/errors.ts';
import { calendarDateViolations, identifierViolations, isGiven, maxLengthViolations, ulidViolations } from '../shared/inputChecks.ts';

export const MAX_ROOM_NUMBER_LENGTH = 16;
export const MAX_REASON_LENGTH = 500;

export type RoomInputRule =
  'InvalidId' | 'InvalidCommandId' | 'InvalidRoomNumber' | 'InvalidDateStart' | 'InvalidDateEnd' | 'ReasonTooLong' | 'ReasonRequired';

function commonViolations(input: { id?: string | null; commandId?: string | null }, idRequired: boolean): Violation<RoomInputRule>[] {
  return [
    ...(idRequired || isGiven(input.id) ? ulidViolations('id', input.id, 'InvalidId') : []),
    ...(isGiven(input.commandId) ? identifierViolations('commandId', input.commandId, 'InvalidCommandId') : []),
  ];
}

export function validateRegisterRoomInput(input: RegisterRoomInput): Violation<RoomInputRule>[] {
  return [
    ...commonViolations(input, false),
    ...identifierViolations('number', input.number, 'InvalidRoomNumber'),
    ...maxLengthViolations('number', input.number, MAX_ROOM_NUMBER_LENGTH, 'InvalidRoomNumber'),
  ];
}

export function validateCloseRoomInput(input: CloseRoomInput): Violation<RoomInputRule>[] {
  return [
    ...commonViolations(input, true),
    ...calendarDateViolations('dateStart', input.dateStart, 'InvalidDateStart'),
    ...calendarDateViolations('dateEnd', input.dateEnd, 'InvalidDateEnd'),
    ...(input.reason.trim().length === 0
      ? [{ rule: 'ReasonRequired' as const, message: 'reason must say why the room is closed, e.g. "renovation".' }]
      : []),
    ...maxLengthViolations('reason', input.reason, MAX_REASON_LENGTH, 'ReasonTooLong'),
  ];
}

export function validateReopenRoomInput(input: ReopenRoomInput): Violation<RoomInputRule>[] {
  return [
    ...commonViolations(input, true),
    ...calendarDateViolations('dateStart', input.dateStart, 'InvalidDateStart'),
    ...calendarDateViolations('dateEnd', input.dateEnd, 'InvalidDateEnd'),
  ];
}
