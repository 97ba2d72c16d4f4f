/** The events of a payment stream: each is the provider's answer to one command. Payments claim no unique value. */
import type { EventEnvelope, NewEvent, UniqueConstraints } from '../eventStore/envelope.ts';
import type { PaymentEventType as SchemaEventType, StoreEventType } from '../../schema/generated/types.ts';

export type PaymentEventType = Exclude<SchemaEventType, StoreEventType>;

export const PAYMENT_SCHEMA_VERSION = 1;

interface Amount {
  reservationId: string;
  amount: number;
  currency: string;
}

export interface PaymentEventDataByType {
  /** The provider holds the amount on the card under `providerPaymentId`. */
  PaymentAuthorized: Amount & { providerPaymentId: string };
  /** The provider refused the card, with its reason (card_declined, insufficient_funds …). */
  PaymentDeclined: Amount & { reason: string };
  /** The provider could not answer (an error, or unreachable): nothing is held. */
  PaymentFailed: Amount & { reason: string };
  PaymentCaptured: { amount: number };
  PaymentVoided: Record<string, never>;
  PaymentRefunded: { amount: number };
}

export type PaymentEvent = { [Type in PaymentEventType]: EventEnvelope<Type, PaymentEventDataByType[Type]> }[PaymentEventType];
export type NewPaymentEvent = { [Type in PaymentEventType]: NewEvent<Type, PaymentEventDataByType[Type]> }[PaymentEventType];

export function uniqueConstraintsOf(_event: NewPaymentEvent): UniqueConstraints {
  return { claim: [], release: [] };
}
