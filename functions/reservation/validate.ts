/**
 * Input shape checks of the reservation's commands, run by their resolvers
 * before any state is loaded. Each returns every violation found (empty when
 * the input is fine); the resolver refuses a non-empty list as a ValidationError.
 */
import type { CancelReservationInput, CreateReservationInput } from '../../schema/generated/types.ts';
import type { Violation } from '../shared/errors.ts';
import { calendarDateViolations, identifierViolations, isGiven, maxLengthViolations, ulidViolations } from '../shared/inputChecks.ts';
import type { InputRule } from './decide.ts';

export { isSafeIdentifier, MAX_IDENTIFIER_LENGTH } from '../shared/inputChecks.ts';

export const MAX_REASON_LENGTH = 500;

/** Shape checks of createReservation's input: every violation, or []. */
export function validateCreateReservationInput(input: CreateReservationInput): Violation<InputRule>[] {
  return [
    ...(isGiven(input.id) ? ulidViolations('id', input.id, 'InvalidId') : []),
    ...(isGiven(input.commandId) ? identifierViolations('commandId', input.commandId, 'InvalidCommandId') : []),
    ...identifierViolations('userId', input.userId, 'InvalidUserId'),
    ...identifierViolations('roomId', input.roomId, 'InvalidRoomId'),
    ...calendarDateViolations('dateStart', input.dateStart, 'InvalidDateStart'),
    ...calendarDateViolations('dateEnd', input.dateEnd, 'InvalidDateEnd'),
  ];
}

/** Shape checks of cancelReservation's input: every violation, or []. */
export function validateCancelReservationInput(input: CancelReservationInput): Violation<InputRule>[] {
  return [
    ...ulidViolations('id', input.id, 'InvalidId'),
    ...(isGiven(input.commandId) ? identifierViolations('commandId', input.commandId, 'InvalidCommandId') : []),
    ...maxLengthViolations('reason', input.reason, MAX_REASON_LENGTH, 'ReasonTooLong'),
  ];
}
