/** Input shape checks of registerGuest, before any state is read: every violation, or []. */
import type { RegisterGuestInput } from '../../schema/generated/types.ts';
import type { Violation } from '../shared/errors.ts';
import { identifierViolations, isGiven, maxLengthViolations, ulidViolations } from '../shared/inputChecks.ts';

export const MAX_NAME_LENGTH = 200;
export const MAX_EMAIL_LENGTH = 254;

export type GuestInputRule = 'InvalidId' | 'InvalidCommandId' | 'NameRequired' | 'NameTooLong' | 'EmailTooLong';

export function validateRegisterGuestInput(input: RegisterGuestInput): Violation<GuestInputRule>[] {
  return [
    ...(isGiven(input.id) ? ulidViolations('id', input.id, 'InvalidId') : []),
    ...(isGiven(input.commandId) ? identifierViolations('commandId', input.commandId, 'InvalidCommandId') : []),
    ...(input.name.trim().length === 0
      ? [{ rule: 'NameRequired' as const, message: "name must not be empty: write the guest's name." }]
      : []),
    ...maxLengthViolations('name', input.name, MAX_NAME_LENGTH, 'NameTooLong'),
    // RFC 5321 bounds a forward path to 254 characters; AWSEmail checks the shape already.
    ...maxLengthViolations('email', input.email, MAX_EMAIL_LENGTH, 'EmailTooLong'),
  ];
}
