/** The state of one payment stream, folded by `evolve`. */
import type { Payment, PaymentStatus } from '../../schema/generated/types.ts';

export const PAYMENT_STATE_VERSION = 1;

export interface NoPayment {
  status: 'NONE';
  version: number;
}

export interface ExistingPayment {
  status: PaymentStatus;
  version: number;
  id: string;
  reservationId: string;
  amount: number;
  currency: string;
  /** The provider's id of the authorization, when AUTHORIZED or later. */
  providerPaymentId: string | null;
  declineReason: string | null;
}

export type PaymentState = NoPayment | ExistingPayment;

export const initialState: PaymentState = { status: 'NONE', version: 0 };

export function toPayment(state: PaymentState): Payment | null {
  if (state.status === 'NONE') {
    return null;
  }
  const { id, reservationId, amount, currency, status, declineReason, version } = state;
  return { id, reservationId, amount, currency, status, declineReason, version };
}
