/**
 * Mutation.registerRoom: checks the input's shape and stashes the command; the
 * command pipeline (with the room's checkRoomNumber) decides and publishes it.
 * Answers PENDING; the outcome arrives on onRoomSaved(id).
 */
import { util, type Context } from '@aws-appsync/utils';
import type { CommandAccepted, MutationRegisterRoomArgs } from '../schema/generated/types';
import { commandAccepted, newStreamId, stashCommand } from '../functions/eventStore/commandRequest';
import type { CommandStash } from '../functions/eventStore/stash';
import type { RoomCommandRequest } from '../functions/room/decide';
import { ROOM_STREAM } from '../functions/room/stream';
import { validateRegisterRoomInput } from '../functions/room/validate';
import { refuseIfAny } from '../functions/shared/refuse';

export function request(ctx: Context<MutationRegisterRoomArgs, CommandStash<RoomCommandRequest>>) {
  const { input } = ctx.args;
  refuseIfAny('ValidationError', validateRegisterRoomInput(input));
  const { number, capacity, nightlyRate, currency } = input;
  stashCommand(ctx, ROOM_STREAM, {
    type: 'RegisterRoom',
    id: newStreamId(input),
    commandId: input.commandId ?? util.autoUlid(),
    number,
    capacity,
    nightlyRate,
    currency,
  });
  return {};
}

export function response(ctx: Context<MutationRegisterRoomArgs, CommandStash<RoomCommandRequest>>): CommandAccepted {
  return commandAccepted(ctx);
}
