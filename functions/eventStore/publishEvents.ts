/**
 * Pipeline step (EventBridge data source): publishes `stash.pendingEvents`
 * to the bus, one entry per event, detail-type = event type. The bus rule
 * forwards each to the aggregate's IAM-only store mutation. Skipped when a
 * command step decided nothing new (a command already answered).
 */
import { util, runtime, type Context, type PutEventsRequest } from '@aws-appsync/utils';
import type { CommandStash } from './stash';
import { eventSourceOf } from './naming';

export function request(ctx: Context<unknown, CommandStash>): PutEventsRequest {
  const events = ctx.stash.pendingEvents ?? [];
  if (events.length === 0) {
    runtime.earlyReturn({ Entries: [], FailedEntryCount: 0 });
  }
  const source = eventSourceOf(ctx.stash.stream.type);
  return {
    operation: 'PutEvents',
    events: events.map((event) => ({
      source,
      detailType: event.type,
      // AWSJSON crosses EventBridge as a string, the way the store mutation's input takes it.
      // A snapshot (AWSJSON too) rides with the event it follows.
      // A Step Functions task token rides with the event to the store, which answers it; it is never stored.
      detail: {
        ...event,
        data: JSON.stringify(event.data),
        ...(event.snapshot ? { snapshot: JSON.stringify(event.snapshot) } : {}),
        ...(ctx.stash.taskToken ? { taskToken: ctx.stash.taskToken } : {}),
      },
      time: event.occurredAt,
    })),
  };
}

export function response(ctx: Context<unknown, CommandStash>) {
  if (ctx.error) {
    util.error(`Could not publish the command's events; retry with the same commandId. (${ctx.error.message})`, 'PublishFailed');
  }
  if (ctx.result.FailedEntryCount > 0) {
    util.error(`EventBridge refused ${ctx.result.FailedEntryCount} event(s). Retry with the same commandId.`, 'PublishFailed', null, {
      entries: ctx.result.Entries,
    });
  }
  return ctx.result;
}
