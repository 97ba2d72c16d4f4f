/** The payment's reducer, shared by the command side, the queries and the tests. Total: it never throws. */
import type { PaymentEvent } from './events.ts';
import type { ExistingPayment, PaymentState } from './state.ts';

function opened(
  event: PaymentEvent & { data: { reservationId: string; amount: number; currency: string } },
  status: ExistingPayment['status'],
  extra: Partial<ExistingPayment>,
): ExistingPayment {
  const { reservationId, amount, currency } = event.data;
  return {
    status,
    version: event.version,
    id: event.aggregateId,
    reservationId,
    amount,
    currency,
    providerPaymentId: null,
    declineReason: null,
    ...extra,
  };
}

export function evolve(state: PaymentState, event: PaymentEvent): PaymentState {
  switch (event.type) {
    case 'PaymentAuthorized':
      return opened(event, 'AUTHORIZED', { providerPaymentId: event.data.providerPaymentId });
    case 'PaymentDeclined':
      return opened(event, 'DECLINED', { declineReason: event.data.reason });
    case 'PaymentFailed':
      return opened(event, 'FAILED', { declineReason: event.data.reason });
    case 'PaymentCaptured':
      return state.status === 'NONE' ? { ...state, version: event.version } : { ...state, status: 'CAPTURED', version: event.version };
    case 'PaymentVoided':
      return state.status === 'NONE' ? { ...state, version: event.version } : { ...state, status: 'VOIDED', version: event.version };
    case 'PaymentRefunded':
      return state.status === 'NONE' ? { ...state, version: event.version } : { ...state, status: 'REFUNDED', version: event.version };
    default: {
      const _unknown: never = event;
      return state;
    }
  }
}
