/**
 * Pipeline step (DynamoDB data source: the read models) of applyStoredEvent:
 * reads how far the read models got in the event's stream. An event at or
 * before that version was applied already (a redelivery): nothing more is
 * read or written. Otherwise the load steps read the stream up to the event.
 */
import { util, type Context, type DynamoDBGetItemRequest } from '@aws-appsync/utils';
import { cursorKey, READ_MODEL_PK, READ_MODEL_SK } from './readModelTable';
import type { ProjectionStash } from './stash';

export function request(ctx: Context<unknown, ProjectionStash>): DynamoDBGetItemRequest {
  const key = cursorKey(ctx.stash.storedEvent.streamId);
  return {
    operation: 'GetItem',
    key: util.dynamodb.toMapValues({ [READ_MODEL_PK]: key.pk, [READ_MODEL_SK]: key.sk }),
    consistentRead: true,
  };
}

export function response(ctx: Context<unknown, ProjectionStash>): number {
  if (ctx.error) {
    util.error(`Could not read the read models' cursor; the delivery is retried. (${ctx.error.message})`, 'ReadModelUnavailable');
  }
  const cursor = typeof ctx.result?.version === 'number' ? ctx.result.version : 0;
  ctx.stash.cursor = cursor;
  if (cursor >= ctx.stash.storedEvent.version) {
    ctx.stash.read = undefined;
  }
  return cursor;
}
