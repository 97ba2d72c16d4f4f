/** The payment as the generic event-store code sees it (the `@aggregate` alias binds it at bundle time). */
import type { Payment } from '../../schema/generated/types.ts';
import type { Aggregate } from '../shared/decider.ts';
import { decide, type PaymentCommand } from './decide.ts';
import { PAYMENT_SCHEMA_VERSION, uniqueConstraintsOf, type PaymentEvent } from './events.ts';
import { evolve } from './evolve.ts';
import { initialState, toPayment, type PaymentState } from './state.ts';
import { PAYMENT_STREAM } from './stream.ts';

export const aggregate: Aggregate<PaymentState, PaymentEvent, PaymentCommand, Payment> = {
  ...PAYMENT_STREAM,
  eventSchemaVersion: PAYMENT_SCHEMA_VERSION,
  initialState,
  evolve,
  decide,
  uniqueConstraintsOf,
  toView: toPayment,
};
