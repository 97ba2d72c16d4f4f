/**
 * Pipeline step (HTTP data source signed for EventBridge Scheduler): before a
 * command's events are published, schedules its timeout. At the deadline the
 * tombstone goes to the bus and competes for the slot of the command's first
 * event: stored first, the command answers TIMED_OUT and a late store is
 * refused; stored later, it is answered as a repeat and subscribers hear
 * nothing more. Skipped when there is nothing to publish.
 */
import { util, runtime, type Context, type HTTPRequest } from '@aws-appsync/utils';
import { eventSourceOf } from './naming';
import type { CommandStash } from './stash';
import { DEFAULT_COMMAND_TIMEOUT_SECONDS, timeoutScheduleNameOf, timeoutScheduleOf, timeoutTombstoneOf } from './timeout';

export function request(ctx: Context<unknown, CommandStash>): HTTPRequest<string> {
  const first = (ctx.stash.pendingEvents ?? [])[0];
  if (!first) {
    runtime.earlyReturn(null);
  }
  const seconds = Number(ctx.env.COMMAND_TIMEOUT_SECONDS ?? DEFAULT_COMMAND_TIMEOUT_SECONDS);
  const deadline = util.time.nowEpochMilliSeconds() + seconds * 1000;
  const tombstone = timeoutTombstoneOf(first!, util.autoUlid(), util.time.epochMilliSecondsToISO8601(deadline), seconds);
  const schedule = timeoutScheduleOf(tombstone, util.time.epochMilliSecondsToFormatted(deadline, "yyyy-MM-dd'T'HH:mm:ss", 'UTC'), {
    eventBusArn: ctx.env.EVENT_BUS_ARN!,
    roleArn: ctx.env.TIMEOUT_SCHEDULER_ROLE_ARN!,
    source: eventSourceOf(ctx.stash.stream.type),
  });
  return {
    method: 'POST',
    resourcePath: `/schedules/${timeoutScheduleNameOf(first!)}`,
    params: { headers: { 'content-type': 'application/json' }, body: JSON.stringify(schedule) },
  };
}

export function response(ctx: Context<unknown, CommandStash>) {
  if (ctx.error) {
    util.error(`Could not schedule the command's timeout; retry with the same commandId. (${ctx.error.message})`, 'ScheduleFailed');
  }
  if (ctx.result.statusCode !== 200) {
    util.error(
      `EventBridge Scheduler refused the command's timeout (HTTP ${ctx.result.statusCode}). Retry with the same commandId.`,
      'ScheduleFailed',
      null,
      {
        response: ctx.result.body,
      },
    );
  }
  return ctx.result.body;
}
