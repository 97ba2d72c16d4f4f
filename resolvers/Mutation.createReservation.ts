/**
 * Mutation.createReservation: checks the input's shape and stashes the
 * command; the command pipeline (functions/eventStore/pipelines.ts, with the
 * reservation's checkRoomNights) decides and publishes it. Answers
 * `{ id, commandId, status: PENDING }`; the outcome arrives on onReservationSaved(id).
 */
import { util, type Context } from '@aws-appsync/utils';
import type { CommandAccepted, MutationCreateReservationArgs } from '../schema/generated/types';
import { commandAccepted, newStreamId, stashCommand } from '../functions/eventStore/commandRequest';
import type { CommandStash } from '../functions/eventStore/stash';
import type { ReservationCommandRequest } from '../functions/reservation/decide';
import { RESERVATION_STREAM } from '../functions/reservation/stream';
import { validateCreateReservationInput } from '../functions/reservation/validate';
import { refuseIfAny } from '../functions/shared/refuse';

export function request(ctx: Context<MutationCreateReservationArgs, CommandStash<ReservationCommandRequest>>) {
  const { input } = ctx.args;
  refuseIfAny('ValidationError', validateCreateReservationInput(input));
  stashCommand(
    ctx,
    RESERVATION_STREAM,
    {
      type: 'CreateReservation',
      id: newStreamId(input),
      commandId: input.commandId ?? util.autoUlid(),
      userId: input.userId,
      roomId: input.roomId,
      dateStart: input.dateStart,
      dateEnd: input.dateEnd,
    },
    input.taskToken,
  );
  return {};
}

export function response(ctx: Context<MutationCreateReservationArgs, CommandStash<ReservationCommandRequest>>): CommandAccepted {
  return commandAccepted(ctx);
}
