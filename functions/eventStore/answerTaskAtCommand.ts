/**
 * Pipeline step (HTTP data source signed for `states`), last of every command
 * pipeline: when a Step Functions execution sent the command and waits for its
 * outcome, answers what the command side already knows. A refused command:
 * SendTaskFailure with the refusal, then the refusal as the command's GraphQL
 * error, as without a token. A command already stored (sent again after its
 * task timed out, with a new token): SendTaskSuccess with the stored event, since
 * nothing is published that the store could answer. Otherwise the store answers
 * (answerTaskAtStore) and this step does nothing.
 */
import { runtime, type Context, type HTTPRequest } from '@aws-appsync/utils';
import { refuse } from '../shared/refuse';
import type { CommandStash } from './stash';
import { logUnansweredToken, taskFailureRequest, taskSuccessRequest } from './taskToken';

export function request(ctx: Context<unknown, CommandStash>): HTTPRequest<string> {
  const { taskToken, refusal, command } = ctx.stash;
  if (!taskToken) {
    runtime.earlyReturn(null);
  }
  if (refusal) {
    return taskFailureRequest(taskToken!, refusal);
  }
  const stored = (ctx.stash.loaded?.events ?? []).find((event) => event.commandId === command.commandId);
  if (!stored) {
    runtime.earlyReturn(null);
  }
  return taskSuccessRequest(taskToken!, {
    id: command.id,
    commandId: command.commandId,
    status: 'SAVED',
    version: stored!.version,
    reason: null,
    eventType: stored!.type,
    repeat: true,
  });
}

export function response(ctx: Context<unknown, CommandStash>) {
  logUnansweredToken(ctx.error, ctx.result);
  if (ctx.stash.refusal) {
    refuse(ctx.stash.refusal);
  }
  return null;
}
