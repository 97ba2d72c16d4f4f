/**
 * Pipeline step (HTTP data source: the payment provider) of every payment
 * command, before decideCommand: asks the provider to authorize, capture,
 * void or refund, with the command's id as the idempotency key, and hands its
 * answer to decide (`facts.provider`), which makes it the event. The provider
 * is not asked for a command already stored or refused by the state anyway.
 * An authorization the provider cannot answer becomes PaymentFailed (nothing
 * is held); a capture, void or refund it cannot answer is an error the caller
 * retries with the same commandId, and nothing is stored.
 */
import { util, runtime, type Context, type HTTPRequest } from '@aws-appsync/utils';
import { foldStream, startingState } from '../eventStore/fold';
import type { CommandStash } from '../eventStore/stash';
import { aggregate as payment } from './aggregate';
import { operationOf, preconditionViolations, type PaymentCommandRequest, type PaymentFacts } from './decide';
import { providerAnswerOf, providerRequestOf } from './provider';
import type { ExistingPayment } from './state';

type PaymentStash = CommandStash<PaymentCommandRequest, PaymentFacts>;

export function request(ctx: Context<unknown, PaymentStash>): HTTPRequest<string> {
  const { command } = ctx.stash;
  const loaded = ctx.stash.loaded ?? { events: [], snapshot: null };
  const state = foldStream(payment, loaded.events, startingState(payment, loaded.snapshot));
  const alreadyStored = loaded.events.some((event) => event.commandId === command.commandId);
  if (alreadyStored || preconditionViolations(state, command).violations.length > 0) {
    ctx.stash.facts = { provider: null };
    runtime.earlyReturn(null);
  }
  const fields =
    command.type === 'AuthorizePayment'
      ? { amount: command.amount, currency: command.currency, cardToken: command.cardToken, reference: command.id }
      : { providerPaymentId: (state as ExistingPayment).providerPaymentId };
  const provider = providerRequestOf(operationOf(command), fields);
  return {
    method: provider.method,
    resourcePath: provider.resourcePath,
    params: {
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${ctx.env.PAYMENT_PROVIDER_API_KEY}`,
        'idempotency-key': command.commandId,
      },
      body: JSON.stringify(provider.body),
    },
  };
}

export function response(ctx: Context<unknown, PaymentStash>): PaymentFacts {
  const { command } = ctx.stash;
  const isAuthorization = command.type === 'AuthorizePayment';
  if (ctx.error) {
    if (!isAuthorization) {
      util.error(
        `Could not reach the payment provider to ${operationOf(command)}; send the command again with the same commandId. (${ctx.error.message})`,
        'PaymentProviderUnavailable',
      );
    }
    ctx.stash.facts = { provider: { outcome: 'FAILED', reason: `provider unreachable: ${ctx.error.message}` } };
    return ctx.stash.facts;
  }
  const answer = providerAnswerOf(ctx.result.statusCode, ctx.result.body);
  if (!isAuthorization && answer.outcome === 'FAILED') {
    util.error(
      `The payment provider could not ${operationOf(command)} (${answer.reason}); send the command again with the same commandId.`,
      'PaymentProviderUnavailable',
    );
  }
  ctx.stash.facts = { provider: answer };
  return ctx.stash.facts;
}
