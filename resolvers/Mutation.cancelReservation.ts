/**
 * Mutation.cancelReservation: checks the input's shape and stashes the
 * command; the command pipeline (functions/eventStore/pipelines.ts) decides
 * and publishes it. Answers `{ id, commandId, status: PENDING }`; the outcome
 * arrives on onReservationSaved(id).
 */
import { util, type Context } from '@aws-appsync/utils';
import type { CommandAccepted, MutationCancelReservationArgs } from '../schema/generated/types';
import { commandAccepted, stashCommand } from '../functions/eventStore/commandRequest';
import type { CommandStash } from '../functions/eventStore/stash';
import type { ReservationCommandRequest } from '../functions/reservation/decide';
import { RESERVATION_STREAM } from '../functions/reservation/stream';
import { validateCancelReservationInput } from '../functions/reservation/validate';
import { refuseIfAny } from '../functions/shared/refuse';

export function request(ctx: Context<MutationCancelReservationArgs, CommandStash<ReservationCommandRequest>>) {
  const { input } = ctx.args;
  refuseIfAny('ValidationError', validateCancelReservationInput(input));
  stashCommand(
    ctx,
    RESERVATION_STREAM,
    {
      type: 'CancelReservation',
      id: input.id.toUpperCase(),
      commandId: input.commandId ?? util.autoUlid(),
      reason: input.reason ?? null,
    },
    input.taskToken,
  );
  return {};
}

export function response(ctx: Context<MutationCancelReservationArgs, CommandStash<ReservationCommandRequest>>): CommandAccepted {
  return commandAccepted(ctx);
}
