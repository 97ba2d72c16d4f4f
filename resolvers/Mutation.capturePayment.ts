/**
 * Mutation.capturePayment: checks the input's shape and stashes the command; the
 * command pipeline (with the payment's callProvider) asks the provider and
 * stores its answer. Answers PENDING; the outcome arrives on onPaymentSaved(id).
 */
import type { Context } from '@aws-appsync/utils';
import type { CommandAccepted, MutationCapturePaymentArgs } from '../schema/generated/types';
import { commandAccepted } from '../functions/eventStore/commandRequest';
import type { CommandStash } from '../functions/eventStore/stash';
import type { PaymentCommandRequest } from '../functions/payment/decide';
import { stashFollowUp } from '../functions/payment/followUp';

export function request(ctx: Context<MutationCapturePaymentArgs, CommandStash<PaymentCommandRequest>>) {
  stashFollowUp(ctx, 'CapturePayment', ctx.args.input);
  return {};
}

export function response(ctx: Context<MutationCapturePaymentArgs, CommandStash<PaymentCommandRequest>>): CommandAccepted {
  return commandAccepted(ctx);
}
