/**
 * Pipeline step (DynamoDB data source): reads every event of `stash.stream`
 * (up to `stash.read.upTo`), oldest first, in one Query page, when no earlier
 * step loaded it: after loadStreamTail found no usable snapshot, and on its own
 * for a history. Snapshot items never reach `loaded.events`. A stream over one
 * page (1 MB) without a usable snapshot is refused as StreamTooLong.
 */
import { util, runtime, type Context, type DynamoDBQueryRequest } from '@aws-appsync/utils';
import type { SnapshotItem } from './snapshot';
import type { LoadedStream, LoadStash } from './stash';
import { eventsOf, failIfStoreError, streamQuery } from './streamQuery';
import { streamKey, type StoredEventItem } from './storedEvent';

export function request(ctx: Context<unknown, LoadStash>): DynamoDBQueryRequest {
  const read = ctx.stash.read;
  if (!read || ctx.stash.loaded) {
    runtime.earlyReturn(ctx.stash.loaded ?? null);
  }
  return streamQuery(ctx.stash.stream, read!, true);
}

export function response(ctx: Context<unknown, LoadStash>): LoadedStream {
  failIfStoreError(ctx.error);
  if (ctx.result.nextToken) {
    // One Query page is 1 MB; a stream this long without a usable snapshot cannot be loaded in one step.
    util.error(`Stream ${streamKey(ctx.stash.stream)} is longer than one DynamoDB page and cannot be loaded in one step.`, 'StreamTooLong');
  }
  const loaded: LoadedStream = { events: eventsOf(ctx.result.items as (StoredEventItem | SnapshotItem)[]), snapshot: null };
  ctx.stash.loaded = loaded;
  return loaded;
}
