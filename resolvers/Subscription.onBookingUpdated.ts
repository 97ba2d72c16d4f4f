/**
 * Subscription.onBookingUpdated(id): every status one booking reaches, as the
 * state machine publishes it (publishBookingUpdate); filtered by the booking id,
 * first publishes only (a redelivered publish answers `repeat: true`).
 */
import { extensions, util, type Context } from '@aws-appsync/utils';
import type { SubscriptionOnBookingUpdatedArgs } from '../schema/generated/types';

export function request(_ctx: Context<SubscriptionOnBookingUpdatedArgs>) {
  return { payload: null };
}

export function response(ctx: Context<SubscriptionOnBookingUpdatedArgs>) {
  extensions.setSubscriptionFilter(util.transform.toSubscriptionFilter({ id: { eq: ctx.args.id.toUpperCase() }, repeat: { eq: false } }));
  return null;
}
