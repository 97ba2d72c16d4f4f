/**
 * Mutation.authorizePayment: checks the input's shape and stashes the command;
 * the command pipeline (with the payment's callProvider) asks the provider and
 * stores its answer: AUTHORIZED, DECLINED with its reason, or FAILED. Answers
 * PENDING; the outcome arrives on onPaymentSaved(id).
 */
import { util, type Context } from '@aws-appsync/utils';
import type { CommandAccepted, MutationAuthorizePaymentArgs } from '../schema/generated/types';
import { commandAccepted, newStreamId, stashCommand } from '../functions/eventStore/commandRequest';
import type { CommandStash } from '../functions/eventStore/stash';
import type { PaymentCommandRequest } from '../functions/payment/decide';
import { PAYMENT_STREAM } from '../functions/payment/stream';
import { validateAuthorizePaymentInput } from '../functions/payment/validate';
import { refuseIfAny } from '../functions/shared/refuse';

export function request(ctx: Context<MutationAuthorizePaymentArgs, CommandStash<PaymentCommandRequest>>) {
  const { input } = ctx.args;
  refuseIfAny('ValidationError', validateAuthorizePaymentInput(input));
  const { reservationId, amount, currency, cardToken } = input;
  stashCommand(
    ctx,
    PAYMENT_STREAM,
    {
      type: 'AuthorizePayment',
      id: newStreamId(input),
      commandId: input.commandId ?? util.autoUlid(),
      reservationId,
      amount,
      currency,
      cardToken,
    },
    input.taskToken,
  );
  return {};
}

export function response(ctx: Context<MutationAuthorizePaymentArgs, CommandStash<PaymentCommandRequest>>): CommandAccepted {
  return commandAccepted(ctx);
}
