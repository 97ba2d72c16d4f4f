/**
 * Pipeline step (DynamoDB data source): when the append did not go through,
 * reads, in one consistent TransactGetItems, the event in the command's slot
 * and the command's recorded answer, and decides the answer: the first one
 * again (a redelivery, a timeout after the fact), or a first REJECTED /
 * TIMED_OUT that recordAnswer must write down. Used twice in the store
 * pipeline: again after recordAnswer lost a race. Skipped when the answer is
 * already settled.
 */
import { util, runtime, type Context, type DynamoDBTransactGetItemsRequest } from '@aws-appsync/utils';
import { settleAnswer, type StoreStash } from './stash';
import { firstAnswerOf, priorAnswerOf } from './storeOutcome';
import {
  PARTITION_KEY,
  SORT_KEY,
  CONSTRAINT_VERSION,
  commandAnswerKey,
  fromStoredEventItem,
  streamKey,
  type CommandAnswerItem,
  type StoredEventItem,
} from './storedEvent';

export function request(ctx: Context<unknown, StoreStash>): DynamoDBTransactGetItemsRequest {
  // Settled already, or (in a direct command pipeline) nothing was staged to append.
  if (ctx.stash.answer?.recorded || !ctx.stash.append) {
    runtime.earlyReturn(ctx.stash.answer);
  }
  const { event } = ctx.stash.append;
  const table = ctx.env.EVENT_STORE_TABLE!;
  return {
    operation: 'TransactGetItems',
    transactItems: [
      { table, key: util.dynamodb.toMapValues({ [PARTITION_KEY]: streamKey(ctx.stash.stream), [SORT_KEY]: event.version }) },
      { table, key: util.dynamodb.toMapValues({ [PARTITION_KEY]: commandAnswerKey(event.commandId), [SORT_KEY]: CONSTRAINT_VERSION }) },
    ],
  };
}

export function response(ctx: Context<unknown, StoreStash>) {
  if (ctx.error) {
    util.error(`Could not read the event store: ${ctx.error.message}`, 'EventStoreUnavailable');
  }
  const [slotItem, answerItem] = ctx.result.items as [StoredEventItem | null, CommandAnswerItem | null];
  const { event } = ctx.stash.append;
  const occupant = slotItem ? fromStoredEventItem(slotItem) : null;
  ctx.stash.slotOccupant = occupant;
  ctx.stash.recordedAnswer = answerItem ?? null;
  const answer = priorAnswerOf(event, occupant, answerItem ?? null) ?? firstAnswerOf(event, ctx.stash.appendOutcome!, occupant);
  settleAnswer(ctx.stash, answer);
  return answer;
}
