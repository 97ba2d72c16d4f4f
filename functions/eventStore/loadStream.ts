/**
 * Pipeline step (DynamoDB data source): loads every event of `stash.stream`,
 * oldest first, into `stash.events`. Strongly consistent, so a command never
 * decides on a stale stream and the store sees the event it just wrote.
 */
import { util, runtime, type Context, type DynamoDBQueryRequest } from '@aws-appsync/utils';
import type { EventStoreStash } from './stash';
import { PARTITION_KEY, SORT_KEY, fromStoredEventItem, streamKey, type StoredEventItem } from './storedEvent';

export function request(ctx: Context<unknown, EventStoreStash>): DynamoDBQueryRequest {
  // The store pipeline folds only for a SAVED answer, and not at all for a stream's first event.
  const answer = ctx.stash.answer;
  if (ctx.stash.skipLoadStream || (answer !== undefined && answer.status !== 'SAVED')) {
    runtime.earlyReturn(ctx.stash.events ?? []);
  }
  return {
    operation: 'Query',
    query: {
      expression: '#pk = :pk AND #sk > :zero',
      expressionNames: { '#pk': PARTITION_KEY, '#sk': SORT_KEY },
      expressionValues: util.dynamodb.toMapValues({ ':pk': streamKey(ctx.stash.stream), ':zero': 0 }),
    },
    consistentRead: true,
    scanIndexForward: true,
  };
}

export function response(ctx: Context<unknown, EventStoreStash>) {
  if (ctx.error) {
    util.error(`Could not read the event store; retry the request. (${ctx.error.message})`, 'EventStoreUnavailable');
  }
  if (ctx.result.nextToken) {
    // One Query page is 1 MB. A longer stream needs snapshots, which this store does not take yet.
    util.error(
      `Stream ${streamKey(ctx.stash.stream)} is longer than one DynamoDB page and cannot be loaded in one step.`,
      'StreamTooLong',
    );
  }
  const items: StoredEventItem[] = ctx.result.items;
  const events = items.map((item) => fromStoredEventItem(item));
  ctx.stash.events = events;
  return events;
}
