/**
 * The DynamoDB Query both load steps send, and how they read its items.
 * Strongly consistent, so a command never decides on a stale stream and the
 * store sees the event it just wrote. Valid APPSYNC_JS.
 */
import { util, type DynamoDBQueryRequest } from '@aws-appsync/utils';
import { SNAPSHOT_KIND, type SnapshotItem } from './snapshot';
import type { ReadRequest } from './stash';
import { PARTITION_KEY, SORT_KEY, fromStoredEventItem, streamKey, type StreamRef, type StoredEventItem } from './storedEvent';
import type { EventEnvelope } from './envelope';

/** Events (and snapshot items) of `stream` from version 1 up to `read.upTo`, in one direction. */
export function streamQuery(stream: StreamRef, read: ReadRequest, oldestFirst: boolean): DynamoDBQueryRequest {
  const upTo = read.upTo;
  return {
    operation: 'Query',
    query: {
      expression: upTo === null ? '#pk = :pk AND #sk > :zero' : '#pk = :pk AND #sk BETWEEN :one AND :upTo',
      expressionNames: { '#pk': PARTITION_KEY, '#sk': SORT_KEY },
      expressionValues: util.dynamodb.toMapValues(
        upTo === null ? { ':pk': streamKey(stream), ':zero': 0 } : { ':pk': streamKey(stream), ':one': 1, ':upTo': upTo },
      ),
    },
    consistentRead: true,
    scanIndexForward: oldestFirst,
  };
}

/** The event items of a Query page (snapshot items left out), as envelopes, in the page's order. */
export function eventsOf(items: (StoredEventItem | SnapshotItem)[]): EventEnvelope[] {
  return items.filter((item) => (item as SnapshotItem).kind !== SNAPSHOT_KIND).map((item) => fromStoredEventItem(item as StoredEventItem));
}

export function failIfStoreError(error: { message: string } | undefined | null): void {
  if (error) {
    util.error(`Could not read the event store; retry the request. (${error.message})`, 'EventStoreUnavailable');
  }
}
