/**
 * Subscription.onReservationSaved(id): sends each subscriber the first answer
 * to each command on that reservation, not the repeats (a redelivered event,
 * a timeout arriving after the store), so a client gets one terminal message.
 */
import { extensions, util, type Context } from '@aws-appsync/utils';
import type { SubscriptionOnReservationSavedArgs } from '../schema/generated/types';

export function request(_ctx: Context<SubscriptionOnReservationSavedArgs>) {
  return { payload: null };
}

export function response(ctx: Context<SubscriptionOnReservationSavedArgs>) {
  extensions.setSubscriptionFilter(util.transform.toSubscriptionFilter({ id: { eq: ctx.args.id }, repeat: { eq: false } }));
  return null;
}
