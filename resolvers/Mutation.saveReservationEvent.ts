/**
 * Mutation.saveReservationEvent (IAM only, called by the EventBridge rule):
 * appendEvent → readAnswers → recordAnswer → readAnswers → loadStream →
 * cancelTimeout. Answers SAVED, REJECTED or TIMED_OUT
 * as data, never as an error, because AppSync publishes only successful
 * mutation results to onReservationSaved subscribers. A repeated answer
 * (`repeat: true`) is filtered out by Subscription.onReservationSaved.
 */
import type { Context } from '@aws-appsync/utils';
import type { MutationSaveReservationEventArgs, ReservationSaved } from '../schema/generated/types';
import { fold } from '../functions/reservation/evolve';
import { uniqueConstraintsOf, type ReservationEvent } from '../functions/reservation/events';
import { toReservation } from '../functions/reservation/state';
import { RESERVATION_STREAM, type ReservationStash } from '../functions/reservation/stash';

export function request(ctx: Context<MutationSaveReservationEventArgs, ReservationStash>) {
  const { input } = ctx.args;
  // AppSync hands an AWSJSON argument to resolvers parsed; accept the JSON text too.
  const data: unknown = typeof input.data === 'string' ? JSON.parse(input.data) : input.data;
  const event = { ...input, causationId: input.causationId ?? null, actor: input.actor ?? null, data } as ReservationEvent;
  ctx.stash.stream = { type: RESERVATION_STREAM, id: event.aggregateId };
  ctx.stash.append = { event, constraints: uniqueConstraintsOf(event) };
  // The first event of a stream folds on its own: no need to read the stream back.
  ctx.stash.skipLoadStream = event.version === 1;
  return {};
}

export function response(ctx: Context<MutationSaveReservationEventArgs, ReservationStash>): ReservationSaved {
  const event = ctx.stash.append!.event as ReservationEvent;
  const outcome = ctx.stash.answer!;
  const result: ReservationSaved = {
    id: event.aggregateId,
    commandId: event.commandId,
    status: outcome.status,
    version: outcome.version,
    reason: outcome.reason,
    reservation: null,
    repeat: outcome.repeat,
  };
  if (outcome.status === 'SAVED') {
    const storedVersion = outcome.version!;
    const loaded = (ctx.stash.skipLoadStream ? [ctx.stash.slotOccupant ?? event] : ctx.stash.events ?? []) as ReservationEvent[];
    result.reservation = toReservation(fold(loaded.filter((stored) => stored.version <= storedVersion)));
  }
  return result;
}
