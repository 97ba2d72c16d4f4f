/**
 * What every command resolver does around its own validation: stash the
 * command for the command pipeline, and answer PENDING with the aggregate id.
 * Valid APPSYNC_JS.
 */
import { util, type Context } from '@aws-appsync/utils';
import type { CommandAccepted } from '../../schema/generated/types';
import type { Aggregate, CommandBase } from '../shared/decider';
import { ulidFromCommandId } from '../shared/ulid';
import type { CommandStash, DirectCommandStash } from './stash';

/**
 * Stashes `command` for the pipeline: its stream (`<streamType>#<command.id>`), the whole stream to
 * read, and the snapshots the aggregate can fold from. A `taskToken` (a Step Functions execution
 * waiting for the outcome, `.waitForTaskToken`) rides with the command's events to the store,
 * which answers it (returnTaskToken), or is answered at once with a refusal (refuseTaskToken).
 * @example stashCommand(ctx, reservation, { type: 'CancelReservation', id, commandId, reason });
 */
export function stashCommand<Command extends CommandBase>(
  ctx: Context<unknown, CommandStash<Command>>,
  aggregate: Pick<Aggregate, 'streamType' | 'stateSchemaVersion'>,
  command: Command,
  taskToken?: string | null,
): void {
  if (taskToken) {
    ctx.stash.taskToken = taskToken;
  }
  ctx.stash.stream = { type: aggregate.streamType, id: command.id };
  ctx.stash.snapshotSchemaVersion = aggregate.stateSchemaVersion;
  ctx.stash.read = { upTo: null };
  ctx.stash.command = command;
}

/**
 * The answer to an accepted command: the aggregate id and the command id, PENDING until stored
 * (bus delivery); with direct delivery the store's steps ran in the same pipeline and settled the
 * answer: SAVED with its version, or REJECTED with its reason (the first answer, or the same again).
 */
export function commandAccepted(ctx: Context<unknown, CommandStash>): CommandAccepted {
  const { id, commandId } = ctx.stash.command;
  const answer = (ctx.stash as DirectCommandStash).answer;
  if (!answer) {
    // Unset, not null: the bus answer stays exactly the three fields it always had (GraphQL reads them as null).
    return { id, commandId, status: 'PENDING' } as CommandAccepted;
  }
  // TIMED_OUT never comes here: a direct command schedules no timeout.
  return { id, commandId, status: answer.status === 'SAVED' ? 'SAVED' : 'REJECTED', version: answer.version, reason: answer.reason };
}

/**
 * The stream id of a create: the client's ULID (upper-cased, as keys are), or one derived from
 * its commandId, so a create retried with the same commandId and no id lands on the same stream.
 */
export function newStreamId(input: { id?: string | null; commandId?: string | null }): string {
  if (input.id) {
    return input.id.toUpperCase();
  }
  return input.commandId ? ulidFromCommandId(input.commandId) : util.autoUlid();
}
