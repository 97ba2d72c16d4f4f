/** Input shape checks of the booking's commands, before any state is read: every violation, or []. */
import type { BookStayInput, RecordBookingStepInput } from '../../schema/generated/types.ts';
import type { Violation } from '../shared/errors.ts';
import { calendarDateViolations, identifierViolations, isGiven, maxLengthViolations, ulidViolations } from '../shared/inputChecks.ts';

export type BookingInputRule =
  | 'InvalidId'
  | 'InvalidCommandId'
  | 'InvalidGuestId'
  | 'InvalidRoomId'
  | 'InvalidDateStart'
  | 'InvalidDateEnd'
  | 'InvalidCardToken'
  | 'ReasonTooLong';

export function validateBookStayInput(input: BookStayInput): Violation<BookingInputRule>[] {
  return [
    ...(isGiven(input.id) ? ulidViolations('id', input.id, 'InvalidId') : []),
    ...(isGiven(input.commandId) ? identifierViolations('commandId', input.commandId, 'InvalidCommandId') : []),
    ...identifierViolations('guestId', input.guestId, 'InvalidGuestId'),
    ...identifierViolations('roomId', input.roomId, 'InvalidRoomId'),
    ...calendarDateViolations('dateStart', input.dateStart, 'InvalidDateStart'),
    ...calendarDateViolations('dateEnd', input.dateEnd, 'InvalidDateEnd'),
    ...identifierViolations('cardToken', input.cardToken, 'InvalidCardToken'),
  ];
}

export function validateRecordBookingStepInput(input: RecordBookingStepInput): Violation<BookingInputRule>[] {
  return [
    ...ulidViolations('id', input.id, 'InvalidId'),
    ...(isGiven(input.commandId) ? identifierViolations('commandId', input.commandId, 'InvalidCommandId') : []),
    ...maxLengthViolations('reason', input.reason, 100, 'ReasonTooLong'),
  ];
}
