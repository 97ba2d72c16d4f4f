/**
 * Mutation.recordBookingStep (IAM only: the booking's state machine, through the
 * bus): stashes the step the booking reached; the command pipeline decides it
 * against the booking's stream (only the process's own order is accepted) and
 * the store answers the execution's task token with the outcome.
 */
import { util, type Context } from '@aws-appsync/utils';
import type { CommandAccepted, MutationRecordBookingStepArgs } from '../schema/generated/types';
import type { BookingCommandRequest } from '../functions/booking/decide';
import { BOOKING_STREAM } from '../functions/booking/stream';
import { validateRecordBookingStepInput } from '../functions/booking/validate';
import { commandAccepted, stashCommand } from '../functions/eventStore/commandRequest';
import type { CommandStash } from '../functions/eventStore/stash';
import { refuseIfAny } from '../functions/shared/refuse';

export function request(ctx: Context<MutationRecordBookingStepArgs, CommandStash<BookingCommandRequest>>) {
  const { input } = ctx.args;
  refuseIfAny('ValidationError', validateRecordBookingStepInput(input));
  const compensation = typeof input.compensation === 'string' ? JSON.parse(input.compensation) : (input.compensation ?? null);
  stashCommand(
    ctx,
    BOOKING_STREAM,
    {
      type: 'RecordBookingStep',
      id: input.id.toUpperCase(),
      commandId: input.commandId ?? util.autoUlid(),
      status: input.status,
      reason: input.reason ?? null,
      compensation,
    },
    input.taskToken,
  );
  return {};
}

export function response(ctx: Context<MutationRecordBookingStepArgs, CommandStash<BookingCommandRequest>>): CommandAccepted {
  return commandAccepted(ctx);
}
