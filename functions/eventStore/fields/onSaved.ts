/**
 * Subscription.on<Aggregate>Saved(id), one per aggregate: sends each
 * subscriber the first answer to each command on that instance, not the
 * repeats (a redelivered event, a timeout arriving after the store), so a
 * client gets one terminal message per command.
 */
import { extensions, util, type Context } from '@aws-appsync/utils';

export function request(_ctx: Context<{ id: string }>) {
  return { payload: null };
}

export function response(ctx: Context<{ id: string }>) {
  extensions.setSubscriptionFilter(util.transform.toSubscriptionFilter({ id: { eq: ctx.args.id }, repeat: { eq: false } }));
  return null;
}
