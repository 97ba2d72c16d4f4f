/**
 * Pipeline step (DynamoDB data source): appends `stash.append.event` to its
 * stream at exactly its version.
 *
 * - The common case, no unique constraints: one conditional PutItem
 *   (`attribute_not_exists` on the key): of two writers of version N, one wins.
 * - Unique constraints: TransactWriteItems of the event, one item per claimed
 *   key (put if absent) and per released key (deleted if it is ours), and a
 *   check that the command has no recorded answer (a REJECTED create whose
 *   nights were freed later must not be stored on redelivery).
 * - A timeout's tombstone: the tombstone and the same check, so a command
 *   already answered REJECTED or TIMED_OUT is not answered again.
 * - An event carrying a snapshot (its version is a multiple of
 *   SNAPSHOT_INTERVAL): TransactWriteItems, the snapshot put right after the
 *   event, so the snapshot exists exactly when the event does.
 *
 * A failed condition is an outcome, not an error: it is recorded in
 * `stash.appendOutcome` for readAnswers; an append that went through settles
 * the answer (SAVED, or TIMED_OUT for a tombstone) at once. Only a failure of the store itself
 * is an error.
 */
import { util, runtime, type Context } from '@aws-appsync/utils';
import { settleAnswer, type AppendOutcome, type StoreStash } from './stash';
import { firstAnswerOf, TIMED_OUT_EVENT_TYPE } from './storeOutcome';
import { snapshotItem, type SnapshotInput } from './snapshot';
import {
  PARTITION_KEY,
  SORT_KEY,
  CONSTRAINT_VERSION,
  commandAnswerKey,
  constraintItem,
  toStoredEventItem,
  type ConstraintItem,
} from './storedEvent';

const IS_ABSENT = {
  expression: 'attribute_not_exists(#pk)',
  expressionNames: { '#pk': PARTITION_KEY },
};

export function request(ctx: Context<unknown, StoreStash>) {
  // In a direct command pipeline: nothing decided (a command already stored, a refusal a task token waits for).
  if (!ctx.stash.append) {
    runtime.earlyReturn(null);
  }
  const { event, constraints, snapshot } = ctx.stash.append;
  const { streamId, version, ...attributes } = toStoredEventItem(ctx.stash.stream, event);
  const key = util.dynamodb.toMapValues({ [PARTITION_KEY]: streamId, [SORT_KEY]: version });
  // storedAt differs on every attempt, so a redelivered event is never taken for the stored one
  // by AppSync's "item already as desired" rule: its failed condition reaches readAnswers.
  const attributeValues = util.dynamodb.toMapValues({ ...attributes, storedAt: util.time.nowISO8601() });
  const isTimeout = event.type === TIMED_OUT_EVENT_TYPE;

  if (!isTimeout && !snapshot && constraints.claim.length === 0 && constraints.release.length === 0) {
    return { operation: 'PutItem', key, attributeValues, condition: IS_ABSENT };
  }

  const table = ctx.env.EVENT_STORE_TABLE;
  const claims = constraints.claim.map((constraintKey) => {
    const { streamId: pk, version: sk, ...claim } = constraintItem(constraintKey, ctx.stash.stream, event, constraints.claimRule);
    return {
      table,
      operation: 'PutItem',
      key: util.dynamodb.toMapValues({ [PARTITION_KEY]: pk, [SORT_KEY]: sk }),
      attributeValues: util.dynamodb.toMapValues(claim),
      condition: IS_ABSENT,
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
  // Unconditional: the transaction puts it only if the event's slot was free.
  const snapshots = snapshot ? [snapshotPut(table, streamId, version, snapshot)] : [];
  const notAnsweredYet = {
    table,
    operation: 'ConditionCheck',
    key: util.dynamodb.toMapValues({ [PARTITION_KEY]: commandAnswerKey(event.commandId), [SORT_KEY]: CONSTRAINT_VERSION }),
    condition: IS_ABSENT,
  };
  return {
    operation: 'TransactWriteItems',
    transactItems: [
      { table, operation: 'PutItem', key, attributeValues, condition: IS_ABSENT },
      ...snapshots,
      ...claims,
      ...releases,
      notAnsweredYet,
    ],
  };
}

function snapshotPut(table: string | undefined, streamId: string, version: number, snapshot: SnapshotInput) {
  const { streamId: pk, version: sk, ...attributes } = snapshotItem(streamId, version, snapshot);
  return {
    table,
    operation: 'PutItem',
    key: util.dynamodb.toMapValues({ [PARTITION_KEY]: pk, [SORT_KEY]: sk }),
    attributeValues: util.dynamodb.toMapValues(attributes),
  };
}

export function response(ctx: Context<unknown, StoreStash>): AppendOutcome {
  const outcome = appendOutcomeOf(ctx);
  ctx.stash.appendOutcome = outcome;
  if (outcome.kind === 'APPENDED') {
    settleAnswer(ctx.stash, firstAnswerOf(ctx.stash.append.event, outcome, null));
  }
  return outcome;
}

function appendOutcomeOf(ctx: Context<unknown, StoreStash>): AppendOutcome {
  if (!ctx.error) {
    return { kind: 'APPENDED' };
  }
  if (ctx.error.type === 'DynamoDB:ConditionalCheckFailedException') {
    return { kind: 'SLOT_TAKEN' };
  }
  const reasons: { type: string }[] = ctx.result?.cancellationReasons ?? [];
  if (ctx.error.type === 'DynamoDB:TransactionCanceledException' && reasons.length > 0) {
    // Reasons come in the order of transactItems: the event, the snapshot (if any), the claims, the releases, the answer check.
    const failed = reasons.map((reason) => reason.type === 'ConditionalCheckFailed');
    if (failed[0]) {
      return { kind: 'SLOT_TAKEN' };
    }
    if (failed[failed.length - 1]) {
      return { kind: 'ANSWERED_BEFORE' };
    }
    const firstClaim = ctx.stash.append.snapshot ? 2 : 1;
    const claims = ctx.stash.append.constraints.claim;
    const taken = claims.filter((_key, index) => failed[index + firstClaim]);
    if (taken.length > 0) {
      // A failed claim's reason carries the item that holds the key (ReturnValuesOnConditionCheckFailure defaults to ALL_OLD).
      const holders = claims
        .map((_key, index) =>
          failed[index + firstClaim] ? ((reasons[index + firstClaim] as { item?: ConstraintItem }).item ?? null) : null,
        )
        .filter((item) => item !== null) as ConstraintItem[];
      return { kind: 'CONSTRAINT_TAKEN', keys: taken, holders };
    }
  }
  // Throttling, a transaction conflict, the store unreachable: nothing was written.
  // An error here is not published to subscribers; the bus retries, and the command's timeout answers them.
  return util.error(`Could not append to the event store: ${ctx.error.message} Retry with the same commandId.`, 'EventStoreUnavailable');
}
