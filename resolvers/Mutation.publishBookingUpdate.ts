/**
 * Mutation.publishBookingUpdate (IAM only: the booking's state machine, through
 * the bus, after each step is stored): folds the booking's stream (state
 * pipeline), claims the status once (claimUpdate: a redelivered publish is a
 * `repeat`, filtered out) and answers the update, which AppSync sends to
 * onBookingUpdated(id) subscribers. The step itself is already in the store.
 */
import type { Context } from '@aws-appsync/utils';
import type { BookingUpdate, MutationPublishBookingUpdateArgs } from '../schema/generated/types';
import { aggregate as booking } from '../functions/booking/aggregate';
import { foldStream, startingState } from '../functions/eventStore/fold';
import type { LoadStash } from '../functions/eventStore/stash';
import { streamIdOrRefuse } from '../functions/eventStore/streamId';

export function request(ctx: Context<MutationPublishBookingUpdateArgs, LoadStash & { repeat?: boolean }>) {
  ctx.stash.stream = { type: booking.streamType, id: streamIdOrRefuse(booking.streamType, ctx.args.input.id) };
  ctx.stash.snapshotSchemaVersion = booking.stateSchemaVersion;
  ctx.stash.read = { upTo: null };
  return {};
}

export function response(ctx: Context<MutationPublishBookingUpdateArgs, LoadStash & { repeat?: boolean }>): BookingUpdate {
  const loaded = ctx.stash.loaded ?? { events: [], snapshot: null };
  const view = booking.toView(foldStream(booking, loaded.events, startingState(booking, loaded.snapshot)));
  const { status } = ctx.args.input;
  return {
    id: ctx.stash.stream.id,
    status,
    reason: status === 'FAILED' ? (view?.reason ?? null) : null,
    booking: view ?? null,
    repeat: ctx.stash.repeat ?? false,
  };
}
