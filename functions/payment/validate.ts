/** Input shape checks of the payment's commands, before any state is read: every violation, or []. */
import type { AuthorizePaymentInput, PaymentCommandInput } from '../../schema/generated/types.ts';
import type { Violation } from '../shared/errors.ts';
import { identifierViolations, isGiven, ulidViolations } from '../shared/inputChecks.ts';

export type PaymentInputRule = 'InvalidId' | 'InvalidCommandId' | 'InvalidReservationId' | 'InvalidCardToken';

export function validateAuthorizePaymentInput(input: AuthorizePaymentInput): Violation<PaymentInputRule>[] {
  return [
    ...(isGiven(input.id) ? ulidViolations('id', input.id, 'InvalidId') : []),
    ...(isGiven(input.commandId) ? identifierViolations('commandId', input.commandId, 'InvalidCommandId') : []),
    ...identifierViolations('reservationId', input.reservationId, 'InvalidReservationId'),
    ...identifierViolations('cardToken', input.cardToken, 'InvalidCardToken'),
  ];
}

export function validatePaymentCommandInput(input: PaymentCommandInput): Violation<PaymentInputRule>[] {
  return [
    ...ulidViolations('id', input.id, 'InvalidId'),
    ...(isGiven(input.commandId) ? identifierViolations('commandId', input.commandId, 'InvalidCommandId') : []),
  ];
}
