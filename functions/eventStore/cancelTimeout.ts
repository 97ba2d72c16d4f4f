/**
 * Pipeline step (HTTP data source signed for EventBridge Scheduler): once a
 * command's event has its first answer (SAVED or REJECTED), deletes the
 * command's timeout schedule, so the tombstone never fires and costs nothing
 * (a Scheduler invocation, a bus event, an AppSync request and a store
 * attempt per command otherwise). A schedule already gone (fired, or deleted
 * by an earlier delivery) is fine: a late tombstone is answered as a repeat.
 * Skipped for tombstones and repeats. Never fails the store.
 */
import { runtime, type Context, type HTTPRequest } from '@aws-appsync/utils';
import type { StoreStash } from './stash';
import { TIMED_OUT_EVENT_TYPE } from './storeOutcome';
import { timeoutScheduleNameOf } from './timeout';

export function request(ctx: Context<unknown, StoreStash>): HTTPRequest<string> {
  const { event } = ctx.stash.append;
  const answer = ctx.stash.answer;
  if (event.type === TIMED_OUT_EVENT_TYPE || !answer || answer.repeat) {
    runtime.earlyReturn(null);
  }
  return { method: 'DELETE', resourcePath: `/schedules/${timeoutScheduleNameOf(event)}`, params: { query: { groupName: 'default' } } };
}

export function response(ctx: Context<unknown, StoreStash>) {
  const status = ctx.result?.statusCode;
  if (ctx.error || (status !== 200 && status !== 404)) {
    // The answer stands either way; the tombstone, if it fires, is answered as a repeat.
    console.log(
      `Could not delete timeout schedule ${timeoutScheduleNameOf(ctx.stash.append.event)}: ${ctx.error?.message ?? `HTTP ${status}`}`,
    );
  }
  return status ?? null;
}
