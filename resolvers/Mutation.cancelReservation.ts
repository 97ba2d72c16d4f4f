/**
 * Mutation.cancelReservation: validate → loadStream → decideCommand →
 * publishEvents. Answers `{ id, commandId, status: PENDING }`; the outcome
 * arrives on onReservationSaved(id).
 */
import { util, type Context } from '@aws-appsync/utils';
import type { CommandAccepted, MutationCancelReservationArgs } from '../schema/generated/types';
import { refuse } from '../functions/eventStore/pendingEvents';
import { RESERVATION_STREAM, type ReservationStash } from '../functions/reservation/stash';
import { RESERVATION_STATE_VERSION } from '../functions/reservation/state';
import { validateCancelReservationInput } from '../functions/reservation/validate';

export function request(ctx: Context<MutationCancelReservationArgs, ReservationStash>) {
  const { input } = ctx.args;
  const violations = validateCancelReservationInput(input);
  if (violations.length > 0) {
    refuse({ errorType: 'ValidationError', message: violations.map((v) => v.message).join(' '), violations });
  }
  const id = input.id.toUpperCase();
  ctx.stash.stream = { type: RESERVATION_STREAM, id };
  ctx.stash.snapshotSchemaVersion = RESERVATION_STATE_VERSION;
  ctx.stash.command = {
    type: 'CancelReservation',
    id,
    commandId: input.commandId ?? util.autoUlid(),
    reason: input.reason ?? null,
  };
  return {};
}

export function response(ctx: Context<MutationCancelReservationArgs, ReservationStash>): CommandAccepted {
  return { id: ctx.stash.stream.id, commandId: ctx.stash.command!.commandId, status: 'PENDING' };
}
