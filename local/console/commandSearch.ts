/**
 * "What happened to one command": every record of every view that mentions an id (a command id, an
 * aggregate id, a stream id, an execution name, an event id), so a person sees the whole story in one
 * list: the events it stored, the deliveries that carried it, the Lambda asynchronous invocations that
 * carried it (waiting in Lambda's queue, ended, or their undelivered records), its timeout schedule, the
 * executions it took part in, the pipe batches that published it. A record mentions the id when its JSON text holds
 * it, case-insensitively (ids are ULIDs, which the API upper-cases). Executions are also found by the
 * aggregate ids of the events found: a process started for a command is named and fed by the aggregate
 * the command made (the booking saga's execution carries the booking id, not bookStay's command id).
 *
 * @example
 * const matches = await searchById(views, sources, '01J…');
 * // [{ view: 'streams', title: 'Reservation#01J… v1 ReservationRequested', ref: { table, streamId } }, …]
 */
import type { ConsoleSources, ConsoleViews } from './consoleViews.ts';
import { isEvent, timeOf } from './eventStreams.ts';

export interface SearchMatch {
  view:
    | 'streams'
    | 'deliveries'
    | 'failed-deliveries'
    | 'lambda-pending'
    | 'lambda-ended'
    | 'lambda-records'
    | 'schedules'
    | 'executions'
    | 'pipes';
  title: string;
  /** When it happened, for ordering the story. */
  at: string | undefined;
  /** What the page opens for this match. */
  ref: Record<string, string>;
}

/** Below this length a query would match nearly everything: refused. */
export const MIN_QUERY_LENGTH = 4;

export async function searchById(views: ConsoleViews, sources: ConsoleSources, query: string): Promise<SearchMatch[]> {
  const needle = query.trim().toLowerCase();
  if (needle.length < MIN_QUERY_LENGTH) return [];
  const mentions = (record: unknown) => JSON.stringify(record).toLowerCase().includes(needle);
  const matches: SearchMatch[] = [];
  const aggregateIds = new Set<string>();

  for (const { tableName, keys, items } of await sources.streams.everyItem()) {
    for (const item of items.filter(mentions)) {
      const streamId = String(item[keys.partitionKey]);
      if (isEvent(item, keys)) addId(aggregateIds, typeof item.aggregateId === 'string' ? item.aggregateId : streamId.split('#').at(-1)!);
      const sort = String(item[keys.sortKey]);
      matches.push({
        view: 'streams',
        title: isEvent(item, keys) ? `${streamId} v${sort} ${String(item.type)}` : `${streamId} (${sort}): an item beside the events`,
        at: timeOf(item),
        ref: { table: tableName, streamId },
      });
    }
  }
  for (const delivery of views.deliveries().deliveries.filter(mentions)) {
    matches.push({
      view: 'deliveries',
      title: `${delivery.detailType} → ${delivery.ruleName}/${delivery.targetId}: ${delivery.status} after ${delivery.attempts} attempt(s)`,
      at: delivery.firstAttemptAt,
      ref: { eventId: delivery.eventId },
    });
  }
  for (const failed of views.deliveries().failed.filter(mentions)) {
    matches.push({
      view: 'failed-deliveries',
      title: `${failed.event['detail-type']} → ${failed.ruleName}/${failed.targetId}: ${failed.errorCode} after ${failed.attempts} attempt(s)`,
      at: failed.failedAt,
      ref: { eventId: failed.event.id },
    });
  }
  const { lambdaPending = [], lambdaEnded = [], lambdaRecords = [] } = views.deliveries();
  for (const pending of lambdaPending.filter(mentions)) {
    const after = pending.lastError ? ` (after ${pending.lastError})` : '';
    matches.push({
      view: 'lambda-pending',
      title: `${pending.functionName} asynchronous invocation ${pending.requestId}: attempt ${pending.nextAttempt} due ${pending.nextAttemptAt}${after}`,
      at: pending.acceptedAt,
      ref: { requestId: pending.requestId },
    });
  }
  for (const ended of lambdaEnded.filter(mentions)) {
    const sent = ended.sentTo.length > 0 ? `, record to ${ended.sentTo.join(', ')}` : '';
    matches.push({
      view: 'lambda-ended',
      title: `${ended.functionName} asynchronous invocation ${ended.requestId}: ${ended.outcome} after ${ended.attempts} attempt(s)${sent}`,
      at: ended.endedAt,
      ref: { requestId: ended.requestId },
    });
  }
  for (const record of lambdaRecords.filter(mentions)) {
    matches.push({
      view: 'lambda-records',
      title: `${record.functionName} ${record.destination} record not delivered to ${record.destinationArn}: ${record.reason}`,
      at: record.at,
      ref: { functionName: record.functionName, at: record.at },
    });
  }
  for (const schedule of views.schedules().schedules.filter(mentions)) {
    matches.push({
      view: 'schedules',
      title: `${schedule.Name} ${schedule.ScheduleExpression}: ${schedule.ended ? schedule.ended.how : 'pending'}`,
      at: schedule.createdAt,
      ref: { name: schedule.Name },
    });
  }
  for (const execution of views.executions().executions) {
    const text = JSON.stringify([execution, sources.stepFunctions.historyOf(execution.executionArn)]).toLowerCase();
    if (!text.includes(needle) && ![...aggregateIds].some((id) => text.includes(id))) continue;
    matches.push({
      view: 'executions',
      title: `${execution.stateMachineName} ${execution.name}: ${execution.status}`,
      at: execution.startDate,
      ref: { executionArn: execution.executionArn },
    });
  }
  for (const batch of views.pipes().batches.filter(mentions)) {
    matches.push({
      view: 'pipes',
      title: `${batch.pipeName} batch of ${batch.records} (attempt ${batch.attempt}): ${batch.outcome}`,
      at: batch.at,
      ref: { pipeName: batch.pipeName, at: batch.at },
    });
  }
  return matches.sort((a, b) => (a.at ?? '').localeCompare(b.at ?? ''));
}

/** Ids shorter than a ULID's time part would find unrelated records (an app's stream "1"): left out. */
function addId(ids: Set<string>, id: string): void {
  if (id.length >= 10) ids.add(id.toLowerCase());
}
