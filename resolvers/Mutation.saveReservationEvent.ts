/**
 * Mutation.saveReservationEvent (IAM only, called by the EventBridge rule):
 * appendEvent → readAnswers → recordAnswer → readAnswers → loadStream ×2 →
 * cancelTimeout. Answers SAVED, REJECTED or TIMED_OUT
 * as data, never as an error, because AppSync publishes only successful
 * mutation results to onReservationSaved subscribers. A repeated answer
 * (`repeat: true`) is filtered out by Subscription.onReservationSaved.
 */
import type { Context } from '@aws-appsync/utils';
import type { MutationSaveReservationEventArgs, ReservationSaved } from '../schema/generated/types';
import { fold } from '../functions/reservation/evolve';
import { uniqueConstraintsOf, type ReservationEvent } from '../functions/reservation/events';
import { RESERVATION_STATE_VERSION, startingState, toReservation } from '../functions/reservation/state';
import type { SnapshotInput } from '../functions/eventStore/snapshot';
import { RESERVATION_STREAM, type ReservationStash } from '../functions/reservation/stash';

export function request(ctx: Context<MutationSaveReservationEventArgs, ReservationStash>) {
  const { input } = ctx.args;
  // AppSync hands an AWSJSON argument to resolvers parsed; accept the JSON text too.
  const { snapshot: snapshotInput, ...envelope } = input;
  const data: unknown = typeof envelope.data === 'string' ? JSON.parse(envelope.data) : envelope.data;
  const event = { ...envelope, causationId: envelope.causationId ?? null, actor: envelope.actor ?? null, data } as ReservationEvent;
  ctx.stash.stream = { type: RESERVATION_STREAM, id: event.aggregateId };
  ctx.stash.snapshotSchemaVersion = RESERVATION_STATE_VERSION;
  ctx.stash.append = { event, constraints: uniqueConstraintsOf(event) };
  // The state after this event, sent with every event at a multiple of SNAPSHOT_INTERVAL: stored with it.
  if (snapshotInput !== undefined && snapshotInput !== null) {
    ctx.stash.append.snapshot = (typeof snapshotInput === 'string' ? JSON.parse(snapshotInput) : snapshotInput) as SnapshotInput;
  }
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
    const snapshot = ctx.stash.skipLoadStream ? undefined : ctx.stash.snapshot;
    result.reservation = toReservation(fold(loaded.filter((stored) => stored.version <= storedVersion), startingState(snapshot)));
  }
  return result;
}
