/**
 * Pipeline step (DynamoDB data source): reads the newest SNAPSHOT_INTERVAL + 1
 * items of `stash.stream` (up to `stash.read.upTo`), newest first. A snapshot
 * is written with every event at a multiple of SNAPSHOT_INTERVAL, so the page
 * holds the newest one: if it is of `stash.snapshotSchemaVersion`, the stream
 * is loaded as that snapshot and the events after it. A page that reached the
 * stream's start needs no snapshot. Otherwise (a stream older than snapshots,
 * a state shape changed, a tombstone at the multiple) it leaves `loaded`
 * unset and loadStreamFromStart, the next step, reads the whole stream.
 * Reads nothing when no read is asked for.
 */
import { runtime, type Context, type DynamoDBQueryRequest } from '@aws-appsync/utils';
import { SNAPSHOT_INTERVAL, SNAPSHOT_KIND, type SnapshotItem } from './snapshot';
import type { LoadedStream, LoadStash } from './stash';
import { eventsOf, failIfStoreError, streamQuery } from './streamQuery';
import type { StoredEventItem } from './storedEvent';

export function request(ctx: Context<unknown, LoadStash>): DynamoDBQueryRequest {
  const read = ctx.stash.read;
  if (!read || ctx.stash.loaded) {
    runtime.earlyReturn(ctx.stash.loaded ?? null);
  }
  return { ...streamQuery(ctx.stash.stream, read!, false), limit: SNAPSHOT_INTERVAL + 1 };
}

export function response(ctx: Context<unknown, LoadStash>): LoadedStream | null {
  failIfStoreError(ctx.error);
  const items: (StoredEventItem | SnapshotItem)[] = ctx.result.items;
  // Newest first: the first usable snapshot is the newest.
  const wanted = ctx.stash.snapshotSchemaVersion;
  const snapshot = items.find(
    (item) => (item as SnapshotItem).kind === SNAPSHOT_KIND && wanted !== undefined && (item as SnapshotItem).schemaVersion === wanted,
  ) as SnapshotItem | undefined;
  if (!snapshot && ctx.result.nextToken) {
    return null;
  }
  const events = eventsOf(items).reverse();
  const loaded: LoadedStream = snapshot
    ? {
        events: events.filter((event) => event.version > snapshot.snapshotOf),
        snapshot: { version: snapshot.snapshotOf, state: snapshot.state },
      }
    : { events, snapshot: null };
  ctx.stash.loaded = loaded;
  return loaded;
}
