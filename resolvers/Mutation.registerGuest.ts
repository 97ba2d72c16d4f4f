/**
 * Mutation.registerGuest: checks the input's shape and stashes the command;
 * the command pipeline (with the guest's checkEmail) decides and publishes it.
 * Answers PENDING; the outcome arrives on onGuestSaved(id).
 */
import { util, type Context } from '@aws-appsync/utils';
import type { CommandAccepted, MutationRegisterGuestArgs } from '../schema/generated/types';
import { commandAccepted, newStreamId, stashCommand } from '../functions/eventStore/commandRequest';
import type { CommandStash } from '../functions/eventStore/stash';
import type { GuestCommandRequest } from '../functions/guest/decide';
import { GUEST_STREAM } from '../functions/guest/stream';
import { validateRegisterGuestInput } from '../functions/guest/validate';
import { refuseIfAny } from '../functions/shared/refuse';

export function request(ctx: Context<MutationRegisterGuestArgs, CommandStash<GuestCommandRequest>>) {
  const { input } = ctx.args;
  refuseIfAny('ValidationError', validateRegisterGuestInput(input));
  stashCommand(ctx, GUEST_STREAM, {
    type: 'RegisterGuest',
    id: newStreamId(input),
    commandId: input.commandId ?? util.autoUlid(),
    name: input.name.trim(),
    email: input.email,
  });
  return {};
}

export function response(ctx: Context<MutationRegisterGuestArgs, CommandStash<GuestCommandRequest>>): CommandAccepted {
  return commandAccepted(ctx);
}
