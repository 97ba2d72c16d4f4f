/**
 * Pipeline step (DynamoDB data source): appends `stash.append.event` to its
 * stream at exactly its version.
 *
 * - No unique constraints: one conditional PutItem (`attribute_not_exists` on
 *   the key): of two writers of version N, one wins.
 * - Unique constraints: TransactWriteItems of the event plus one item per
 *   claimed key (put if absent) and per released key (deleted if it is ours).
 *
 * A failed condition is an outcome, not an error: it is recorded in
 * `stash.appendOutcome` for readSlot and the resolver to turn into SAVED
 * (a redelivery) or REJECTED. Only a failure of the store itself is an error.
 */
import { util, type Context } from '@aws-appsync/utils';
import type { AppendOutcome, EventStoreStash } from './stash';
import { PARTITION_KEY, SORT_KEY, CONSTRAINT_VERSION, constraintItem, toStoredEventItem } from './storedEvent';

const SLOT_IS_FREE = {
  expression: 'attribute_not_exists(#pk)',
  expressionNames: { '#pk': PARTITION_KEY },
};

export function request(ctx: Context<unknown, EventStoreStash>) {
  const append = ctx.stash.append!;
  const { event, constraints } = append;
  const { streamId, version, ...attributes } = toStoredEventItem(ctx.stash.stream, event);
  const key = util.dynamodb.toMapValues({ [PARTITION_KEY]: streamId, [SORT_KEY]: version });
  // storedAt differs on every attempt, so a redelivered event is never taken for the stored one
  // by AppSync's "item already as desired" rule: its failed condition reaches readSlot.
  const attributeValues = util.dynamodb.toMapValues({ ...attributes, storedAt: util.time.nowISO8601() });

  if (constraints.claim.length === 0 && constraints.release.length === 0) {
    return { operation: 'PutItem', key, attributeValues, condition: SLOT_IS_FREE };
  }

  const table = ctx.env.EVENT_STORE_TABLE;
  const claims = constraints.claim.map((constraintKey) => {
    const { streamId: pk, version: sk, ...claim } = constraintItem(constraintKey, event);
    return {
      table,
      operation: 'PutItem',
      key: util.dynamodb.toMapValues({ [PARTITION_KEY]: pk, [SORT_KEY]: sk }),
      attributeValues: util.dynamodb.toMapValues(claim),
      condition: SLOT_IS_FREE,
    };
  });
  const releases = constraints.release.map((constraintKey) => ({
    table,
    operation: 'DeleteItem',
    key: util.dynamodb.toMapValues({ [PARTITION_KEY]: constraintKey, [SORT_KEY]: CONSTRAINT_VERSION }),
    // Release only what this aggregate holds; a missing claim is already released.
    condition: {
      expression: 'attribute_not_exists(#pk) OR #owner = :owner',
      expressionNames: { '#pk': PARTITION_KEY, '#owner': 'aggregateId' },
      expressionValues: util.dynamodb.toMapValues({ ':owner': event.aggregateId }),
    },
  }));
  return {
    operation: 'TransactWriteItems',
    transactItems: [{ table, operation: 'PutItem', key, attributeValues, condition: SLOT_IS_FREE }, ...claims, ...releases],
  };
}

export function response(ctx: Context<unknown, EventStoreStash>): AppendOutcome {
  const outcome = appendOutcomeOf(ctx);
  ctx.stash.appendOutcome = outcome;
  return outcome;
}

function appendOutcomeOf(ctx: Context<unknown, EventStoreStash>): AppendOutcome {
  if (!ctx.error) {
    return { kind: 'APPENDED' };
  }
  if (ctx.error.type === 'DynamoDB:ConditionalCheckFailedException') {
    return { kind: 'SLOT_TAKEN' };
  }
  const reasons: { type: string }[] = ctx.result?.cancellationReasons ?? [];
  if (ctx.error.type === 'DynamoDB:TransactionCanceledException' && reasons.length > 0) {
    // Reasons come in the order of transactItems: the event first, then claims, then releases.
    if (reasons[0]!.type === 'ConditionalCheckFailed') {
      return { kind: 'SLOT_TAKEN' };
    }
    const claimed = ctx.stash.append!.constraints.claim;
    const taken = claimed.filter((_key, index) => reasons[index + 1]?.type === 'ConditionalCheckFailed');
    if (taken.length > 0) {
      return { kind: 'CONSTRAINT_TAKEN', keys: taken };
    }
  }
  // Throttling, a transaction conflict, the store unreachable: nothing was written.
  // An error here is not published to subscribers; the command's timeout answers them.
  return util.error(`Could not append to the event store: ${ctx.error.message}`, 'EventStoreUnavailable');
}
