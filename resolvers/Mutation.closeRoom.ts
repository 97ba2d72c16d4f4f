/**
 * Mutation.closeRoom: checks the input's shape and stashes the command; the
 * command pipeline (with the room's checkRoomNights) decides and publishes it.
 * Answers PENDING; the outcome arrives on onRoomSaved(id).
 */
import { util, type Context } from '@aws-appsync/utils';
import type { CommandAccepted, MutationCloseRoomArgs } from '../schema/generated/types';
import { commandAccepted, stashCommand } from '../functions/eventStore/commandRequest';
import type { CommandStash } from '../functions/eventStore/stash';
import type { RoomCommandRequest } from '../functions/room/decide';
import { ROOM_STREAM } from '../functions/room/stream';
import { validateCloseRoomInput } from '../functions/room/validate';
import { refuseIfAny } from '../functions/shared/refuse';

export function request(ctx: Context<MutationCloseRoomArgs, CommandStash<RoomCommandRequest>>) {
  const { input } = ctx.args;
  refuseIfAny('ValidationError', validateCloseRoomInput(input));
  const { dateStart, dateEnd, reason } = input;
  stashCommand(ctx, ROOM_STREAM, {
    type: 'CloseRoom',
    id: input.id.toUpperCase(),
    commandId: input.commandId ?? util.autoUlid(),
    dateStart,
    dateEnd,
    reason,
  });
  return {};
}

export function response(ctx: Context<MutationCloseRoomArgs, CommandStash<RoomCommandRequest>>): CommandAccepted {
  return commandAccepted(ctx);
}
