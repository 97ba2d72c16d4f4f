/**
 * Pipeline step (DynamoDB data source): writes down a command's first
 * REJECTED or TIMED_OUT answer, on the condition that its slot still holds
 * nothing of the command and no answer was recorded. If either changed since
 * readAnswers looked (its event or tombstone landed, or the twin delivery
 * recorded first), the answer is dropped and read again. Skipped when the
 * answer needs no recording.
 */
import { util, runtime, type Context, type DynamoDBTransactWriteItemsRequest } from '@aws-appsync/utils';
import { settleAnswer, type StoreStash } from './stash';
import { PARTITION_KEY, SORT_KEY, CONSTRAINT_VERSION, commandAnswerKey, streamKey, type CommandAnswerItem } from './storedEvent';

export function request(ctx: Context<unknown, StoreStash>): DynamoDBTransactWriteItemsRequest {
  const answer = ctx.stash.answer;
  if (!answer || answer.recorded) {
    runtime.earlyReturn(answer ?? null);
  }
  const { event } = ctx.stash.append;
  const table = ctx.env.EVENT_STORE_TABLE!;
  const key = commandAnswerKey(event.commandId);
  const { streamId, version, ...item }: CommandAnswerItem = {
    streamId: key,
    version: CONSTRAINT_VERSION,
    kind: 'CommandAnswer',
    commandId: event.commandId,
    aggregateId: event.aggregateId,
    eventVersion: event.version,
    status: answer!.status === 'REJECTED' ? 'REJECTED' : 'TIMED_OUT',
    reason: answer!.reason ?? '',
    answeredAt: util.time.nowISO8601(),
  };
  return {
    operation: 'TransactWriteItems',
    transactItems: [
      {
        table,
        operation: 'ConditionCheck',
        key: util.dynamodb.toMapValues({ [PARTITION_KEY]: streamKey(ctx.stash.stream), [SORT_KEY]: event.version }),
        condition: {
          expression: 'attribute_not_exists(#pk) OR #command <> :command',
          expressionNames: { '#pk': PARTITION_KEY, '#command': 'commandId' },
          expressionValues: util.dynamodb.toMapValues({ ':command': event.commandId }),
          returnValuesOnConditionCheckFailure: false,
        },
      },
      {
        table,
        operation: 'PutItem',
        key: util.dynamodb.toMapValues({ [PARTITION_KEY]: streamId, [SORT_KEY]: version }),
        attributeValues: util.dynamodb.toMapValues(item),
        condition: {
          expression: 'attribute_not_exists(#pk)',
          expressionNames: { '#pk': PARTITION_KEY },
          returnValuesOnConditionCheckFailure: false,
        },
      },
    ],
  };
}

export function response(ctx: Context<unknown, StoreStash>) {
  if (ctx.error) {
    if (ctx.error.type === 'DynamoDB:TransactionCanceledException') {
      // Someone answered first: the next readAnswers finds what, and this command answers it again.
      settleAnswer(ctx.stash, undefined);
      return null;
    }
    util.error(`Could not record the command's answer: ${ctx.error.message}`, 'EventStoreUnavailable');
  }
  settleAnswer(ctx.stash, { ...ctx.stash.answer!, recorded: true });
  return ctx.stash.answer;
}
