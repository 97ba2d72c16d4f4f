/**
 * Mutation.reopenRoom: checks the input's shape and stashes the command; the
 * command pipeline decides and publishes it. Answers PENDING; the outcome
 * arrives on onRoomSaved(id).
 */
import { util, type Context } from '@aws-appsync/utils';
import type { CommandAccepted, MutationReopenRoomArgs } from '../schema/generated/types';
import { commandAccepted, stashCommand } from '../functions/eventStore/commandRequest';
import type { CommandStash } from '../functions/eventStore/stash';
import type { RoomCommandRequest } from '../functions/room/decide';
import { ROOM_STREAM } from '../functions/room/stream';
import { validateReopenRoomInput } from '../functions/room/validate';
import { refuseIfAny } from '../functions/shared/refuse';

export function request(ctx: Context<MutationReopenRoomArgs, CommandStash<RoomCommandRequest>>) {
  const { input } = ctx.args;
  refuseIfAny('ValidationError', validateReopenRoomInput(input));
  stashCommand(ctx, ROOM_STREAM, {
    type: 'ReopenRoom',
    id: input.id.toUpperCase(),
    commandId: input.commandId ?? util.autoUlid(),
    dateStart: input.dateStart,
    dateEnd: input.dateEnd,
  });
  return {};
}

export function response(ctx: Context<MutationReopenRoomArgs, CommandStash<RoomCommandRequest>>): CommandAccepted {
  return commandAccepted(ctx);
}
