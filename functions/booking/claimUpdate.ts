/**
 * Pipeline step (DynamoDB data source) of publishBookingUpdate, after the booking's
 * stream is loaded: claims the item `BookingUpdate#<id>#<status>` with a conditional
 * PutItem, so a publish delivered again by EventBridge (at least once) is answered
 * `repeat: true`, which onBookingUpdated's filter drops: subscribers get one message
 * per status. One write unit per status reached.
 */
import { util, type Context, type DynamoDBPutItemRequest } from '@aws-appsync/utils';
import type { MutationPublishBookingUpdateArgs } from '../../schema/generated/types';
import type { LoadStash } from '../eventStore/stash';
import { CONSTRAINT_VERSION, PARTITION_KEY, SORT_KEY } from '../eventStore/storedEvent';

type PublishStash = LoadStash & { repeat?: boolean };

export function request(ctx: Context<MutationPublishBookingUpdateArgs, PublishStash>): DynamoDBPutItemRequest {
  return {
    operation: 'PutItem',
    key: util.dynamodb.toMapValues({
      [PARTITION_KEY]: `BookingUpdate#${ctx.stash.stream.id}#${ctx.args.input.status}`,
      [SORT_KEY]: CONSTRAINT_VERSION,
    }),
    // publishedAt differs on every attempt, so a second publish is never taken for the first by AppSync's "item already as desired" rule.
    attributeValues: util.dynamodb.toMapValues({ kind: 'BookingUpdate', publishedAt: util.time.nowISO8601() }),
    condition: { expression: 'attribute_not_exists(#pk)', expressionNames: { '#pk': PARTITION_KEY } },
  };
}

export function response(ctx: Context<MutationPublishBookingUpdateArgs, PublishStash>): boolean {
  if (ctx.error && ctx.error.type !== 'DynamoDB:ConditionalCheckFailedException') {
    util.error(`Could not record the booking update; the bus retries it. (${ctx.error.message})`, 'EventStoreUnavailable');
  }
  ctx.stash.repeat = ctx.error !== null && ctx.error !== undefined;
  return ctx.stash.repeat;
}
