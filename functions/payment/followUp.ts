/** What the capture, void and refund resolvers share: one input shape, checked and stashed the same way. */
import { util, type Context } from '@aws-appsync/utils';
import type { PaymentCommandInput } from '../../schema/generated/types';
import { stashCommand } from '../eventStore/commandRequest';
import type { CommandStash } from '../eventStore/stash';
import { refuseIfAny } from '../shared/refuse';
import type { PaymentCommandRequest } from './decide';
import { PAYMENT_STREAM } from './stream';
import { validatePaymentCommandInput } from './validate';

export function stashFollowUp(
  ctx: Context<unknown, CommandStash<PaymentCommandRequest>>,
  type: 'CapturePayment' | 'VoidPayment' | 'RefundPayment',
  input: PaymentCommandInput,
): void {
  refuseIfAny('ValidationError', validatePaymentCommandInput(input));
  stashCommand(ctx, PAYMENT_STREAM, { type, id: input.id.toUpperCase(), commandId: input.commandId ?? util.autoUlid() }, input.taskToken);
}
