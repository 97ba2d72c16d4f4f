/**
 * Mutation.createReservation: validate → loadStream → checkRoomNights →
 * decideCommand → publishEvents. Answers `{ id, commandId, status: PENDING }`;
 * the outcome arrives on onReservationSaved(id).
 */
import { util, type Context } from '@aws-appsync/utils';
import type { CommandAccepted, MutationCreateReservationArgs } from '../schema/generated/types';
import { refuse } from '../functions/eventStore/pendingEvents';
import { RESERVATION_STREAM, type ReservationStash } from '../functions/reservation/stash';
import { RESERVATION_STATE_VERSION } from '../functions/reservation/state';
import { ulidFromCommandId } from '../functions/reservation/ulid';
import { validateCreateReservationInput } from '../functions/reservation/validate';

export function request(ctx: Context<MutationCreateReservationArgs, ReservationStash>) {
  const { input } = ctx.args;
  const violations = validateCreateReservationInput(input);
  if (violations.length > 0) {
    refuse({ errorType: 'ValidationError', message: violations.map((v) => v.message).join(' '), violations });
  }
  const commandId = input.commandId ?? util.autoUlid();
  // A retried create with the same commandId and no id must land on the same stream.
  const id = input.id ? input.id.toUpperCase() : input.commandId ? ulidFromCommandId(input.commandId) : util.autoUlid();
  ctx.stash.stream = { type: RESERVATION_STREAM, id };
  ctx.stash.snapshotSchemaVersion = RESERVATION_STATE_VERSION;
  ctx.stash.command = {
    type: 'CreateReservation',
    id,
    commandId,
    userId: input.userId,
    roomId: input.roomId,
    dateStart: input.dateStart,
    dateEnd: input.dateEnd,
  };
  return {};
}

export function response(ctx: Context<MutationCreateReservationArgs, ReservationStash>): CommandAccepted {
  return { id: ctx.stash.stream.id, commandId: ctx.stash.command!.commandId, status: 'PENDING' };
}
