/**
 * Pipeline step (DynamoDB data source): loads `stash.stream` into
 * `stash.events` (oldest first) and `stash.snapshot`. Strongly consistent, so
 * a command never decides on a stale stream and the store sees the event it
 * just wrote. Snapshot items never reach `stash.events`.
 *
 * Two modes, one Query each, chosen from the stash:
 * - tail (the default): the newest SNAPSHOT_INTERVAL + 1 items, newest first.
 *   A snapshot is written with every event at a multiple of SNAPSHOT_INTERVAL,
 *   so the page holds the newest one; if it is of `stash.snapshotSchemaVersion`,
 *   the answer is that snapshot and the events after it. A page that reached
 *   the stream's start needs no snapshot. Otherwise (a stream older than
 *   snapshots, a state shape changed, a tombstone at the multiple) the step sets
 *   `stash.loadFromStart` and loads nothing: it runs twice in a pipeline, and the
 *   second run reads the whole stream.
 * - from start (`stash.loadFromStart`, also set by history readers): every
 *   event, oldest first, in one page (StreamTooLong beyond 1 MB).
 *
 * When the store pipeline folds for a SAVED answer, the read stops at the
 * stored version, so a redelivered old event folds the stream as it was.
 */
import { util, runtime, type Context, type DynamoDBQueryRequest } from '@aws-appsync/utils';
import type { EventStoreStash } from './stash';
import { SNAPSHOT_INTERVAL, SNAPSHOT_KIND, type SnapshotItem } from './snapshot';
import { PARTITION_KEY, SORT_KEY, fromStoredEventItem, streamKey, type StoredEventItem } from './storedEvent';

export function request(ctx: Context<unknown, EventStoreStash>): DynamoDBQueryRequest {
  // The store pipeline folds only for a SAVED answer, and not at all for a stream's first event.
  const answer = ctx.stash.answer;
  if (ctx.stash.skipLoadStream || (answer !== undefined && answer.status !== 'SAVED')) {
    runtime.earlyReturn(ctx.stash.events ?? []);
  }
  // Already loaded by this step's first run.
  if (ctx.stash.events !== undefined) {
    runtime.earlyReturn(ctx.stash.events);
  }
  const upTo = answer !== undefined && answer.version !== null ? answer.version : null;
  const fromStart = ctx.stash.loadFromStart === true;
  const query = {
    expression: upTo === null ? '#pk = :pk AND #sk > :zero' : '#pk = :pk AND #sk BETWEEN :one AND :upTo',
    expressionNames: { '#pk': PARTITION_KEY, '#sk': SORT_KEY },
    expressionValues: util.dynamodb.toMapValues(
      upTo === null ? { ':pk': streamKey(ctx.stash.stream), ':zero': 0 } : { ':pk': streamKey(ctx.stash.stream), ':one': 1, ':upTo': upTo },
    ),
  };
  if (fromStart) {
    return { operation: 'Query', query, consistentRead: true, scanIndexForward: true };
  }
  return { operation: 'Query', query, consistentRead: true, scanIndexForward: false, limit: SNAPSHOT_INTERVAL + 1 };
}

export function response(ctx: Context<unknown, EventStoreStash>) {
  if (ctx.error) {
    util.error(`Could not read the event store; retry the request. (${ctx.error.message})`, 'EventStoreUnavailable');
  }
  const items: (StoredEventItem | SnapshotItem)[] = ctx.result.items;
  const eventItems = items.filter((item) => (item as SnapshotItem).kind !== SNAPSHOT_KIND) as StoredEventItem[];
  if (ctx.stash.loadFromStart) {
    if (ctx.result.nextToken) {
      // One Query page is 1 MB; a stream this long without a usable snapshot cannot be loaded in one step.
      util.error(
        `Stream ${streamKey(ctx.stash.stream)} is longer than one DynamoDB page and cannot be loaded in one step.`,
        'StreamTooLong',
      );
    }
    const events = eventItems.map((item) => fromStoredEventItem(item));
    ctx.stash.events = events;
    return events;
  }
  // Newest first: the first usable snapshot is the newest.
  const wanted = ctx.stash.snapshotSchemaVersion;
  const snapshot = items.find(
    (item) => (item as SnapshotItem).kind === SNAPSHOT_KIND && wanted !== undefined && (item as SnapshotItem).schemaVersion === wanted,
  ) as SnapshotItem | undefined;
  if (!snapshot && ctx.result.nextToken) {
    ctx.stash.loadFromStart = true;
    return [];
  }
  const after = snapshot ? eventItems.filter((item) => item.version > snapshot.snapshotOf) : eventItems;
  const events = after.reverse().map((item) => fromStoredEventItem(item));
  if (snapshot) {
    ctx.stash.snapshot = { version: snapshot.snapshotOf, state: snapshot.state };
  }
  ctx.stash.events = events;
  return events;
}
