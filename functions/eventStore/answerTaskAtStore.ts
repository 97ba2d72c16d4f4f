/**
 * Pipeline step (HTTP data source signed for `states`), last of every store
 * pipeline: when the stored event came from a command a Step Functions execution
 * waits for (`.waitForTaskToken`, the token carried with the event, never
 * stored), answers the token with the store's outcome (SendTaskSuccess: SAVED
 * with the stored event's type, REJECTED or TIMED_OUT with the reason). A token
 * no longer waited for (its task timed out) is logged, never the store's failure.
 */
import { runtime, type Context, type HTTPRequest } from '@aws-appsync/utils';
import type { StoreStash } from './stash';
import { logUnansweredToken, taskSuccessRequest } from './taskToken';

export function request(ctx: Context<unknown, StoreStash>): HTTPRequest<string> {
  const { taskToken, answer } = ctx.stash;
  // In a direct command pipeline, a command already stored was answered by answerTaskAtCommand.
  if (!taskToken || !answer || !ctx.stash.append) {
    runtime.earlyReturn(null);
  }
  const { event } = ctx.stash.append;
  return taskSuccessRequest(taskToken!, {
    id: event.aggregateId,
    commandId: event.commandId,
    status: answer!.status,
    version: answer!.version,
    reason: answer!.reason,
    eventType: answer!.status === 'SAVED' ? event.type : null,
    repeat: answer!.repeat,
  });
}

export function response(ctx: Context<unknown, StoreStash>) {
  logUnansweredToken(ctx.error, ctx.result);
  return null;
}
