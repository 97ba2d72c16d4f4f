/**
 * Pipeline step (DynamoDB data source): when the append found its slot taken,
 * reads the event in that slot into `stash.slotOccupant`, so the resolver can
 * tell a redelivery (same commandId: answer the first outcome again) from a
 * real conflict (another command won: REJECTED). Skipped otherwise.
 */
import { util, runtime, type Context, type DynamoDBGetItemRequest } from '@aws-appsync/utils';
import type { EventStoreStash } from './stash';
import { PARTITION_KEY, SORT_KEY, fromStoredEventItem, streamKey, type StoredEventItem } from './storedEvent';

export function request(ctx: Context<unknown, EventStoreStash>): DynamoDBGetItemRequest {
  if (ctx.stash.appendOutcome?.kind !== 'SLOT_TAKEN') {
    runtime.earlyReturn(null);
  }
  return {
    operation: 'GetItem',
    key: util.dynamodb.toMapValues({
      [PARTITION_KEY]: streamKey(ctx.stash.stream),
      [SORT_KEY]: ctx.stash.append!.event.version,
    }),
    consistentRead: true,
  };
}

export function response(ctx: Context<unknown, EventStoreStash>) {
  if (ctx.error) {
    util.error(`Could not read the event store: ${ctx.error.message}`, 'EventStoreUnavailable');
  }
  const item: StoredEventItem | null = ctx.result ?? null;
  const occupant = item ? fromStoredEventItem(item) : null;
  ctx.stash.slotOccupant = occupant;
  return occupant;
}
