/**
 * Pipeline step (DynamoDB data source: the read models) of applyStoredEvent:
 * folds the stream loaded up to the arrived event with its aggregate's
 * reducer and applies every event after the cursor (the arrived one, and any
 * earlier one a delivery has not brought yet) to every read model, in one
 * transaction with the cursor, on the condition that the cursor has not moved
 * since readCursor read it. So each stored event is applied once and in stream
 * order, whatever the delivery: a redelivery is a no-op, a gap is read from
 * the stream. The store's tombstones only move the cursor.
 */
import { util, runtime, type Context, type DynamoDBTransactWriteItemsRequest } from '@aws-appsync/utils';
import { evolveStored, startingState } from '../eventStore/fold';
import { isStoreEvent } from '../eventStore/storeOutcome';
import { mergeChanges, type ReadModelChange } from './changes';
import { READ_AGGREGATES } from './aggregates';
import { readModelChanges } from './readModels';
import { cursorKey, READ_MODEL_PK, READ_MODEL_SK, type ReadModelKey } from './readModelTable';
import type { ProjectionStash } from './stash';

/** One item of a TransactWriteItems request (the utils package does not export the type). */
type TransactItem = DynamoDBTransactWriteItemsRequest['transactItems'][number];

/** DynamoDB's limit of items per transaction, less the cursor. */
const MAX_CHANGES = 99;

function keyOf(key: ReadModelKey) {
  return util.dynamodb.toMapValues({ [READ_MODEL_PK]: key.pk, [READ_MODEL_SK]: key.sk });
}

function transactItemOf(table: string, change: ReadModelChange): TransactItem {
  const key = keyOf(change.key);
  if (change.op === 'put') {
    return { table, operation: 'PutItem', key, attributeValues: util.dynamodb.toMapValues(change.item) };
  }
  if (change.op === 'delete') {
    return { table, operation: 'DeleteItem', key };
  }
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const adds = Object.keys(change.counters).map((name, index) => {
    names[`#c${index}`] = name;
    values[`:c${index}`] = change.counters[name];
    return `#c${index} :c${index}`;
  });
  const sets = Object.keys(change.setIfAbsent).map((name, index) => {
    names[`#s${index}`] = name;
    values[`:s${index}`] = change.setIfAbsent[name];
    return `#s${index} = if_not_exists(#s${index}, :s${index})`;
  });
  const expression = `${adds.length > 0 ? `ADD ${adds.join(', ')}` : ''}${sets.length > 0 ? ` SET ${sets.join(', ')}` : ''}`.trim();
  return {
    table,
    operation: 'UpdateItem',
    key,
    update: { expression, expressionNames: names, expressionValues: util.dynamodb.toMapValues(values) },
  };
}

/** The cursor moved from what readCursor read to `to`, on the condition that it is still there. */
function cursorPut(table: string, streamId: string, from: number, to: number): TransactItem {
  return {
    table,
    operation: 'PutItem',
    key: keyOf(cursorKey(streamId)),
    attributeValues: util.dynamodb.toMapValues({ version: to }),
    condition:
      from === 0
        ? { expression: 'attribute_not_exists(#pk)', expressionNames: { '#pk': READ_MODEL_PK }, returnValuesOnConditionCheckFailure: false }
        : {
            expression: '#version = :cursor',
            expressionNames: { '#version': 'version' },
            expressionValues: util.dynamodb.toMapValues({ ':cursor': from }),
            returnValuesOnConditionCheckFailure: false,
          },
  };
}

export function request(ctx: Context<unknown, ProjectionStash>): DynamoDBTransactWriteItemsRequest {
  const { storedEvent, stream } = ctx.stash;
  const cursor = ctx.stash.cursor ?? 0;
  if (cursor >= storedEvent.version) {
    runtime.earlyReturn({ applied: 0, version: cursor });
  }
  const aggregate = READ_AGGREGATES[stream.type]!;
  const loaded = ctx.stash.loaded ?? { events: [], snapshot: null };
  const firstLoaded = loaded.snapshot ? loaded.snapshot.version + 1 : 1;
  if (cursor + 1 < firstLoaded) {
    // Over a snapshot interval of this stream's events were never applied: the stream's tail cannot fill that gap.
    util.error(
      `The read models are ${storedEvent.version - cursor} events behind ${storedEvent.streamId}; rebuild them from the streams (npm run rebuild-read-models).`,
      'ReadModelBehind',
    );
  }
  let state = startingState(aggregate, loaded.snapshot);
  let changes: ReadModelChange[] = [];
  let appliedUpTo = cursor;
  // Events up to the cursor only advance the state; the ones after it, up to the arrived event, change the read models.
  const toApply = loaded.events.filter((event) => event.version > cursor && event.version <= storedEvent.version);
  for (const event of loaded.events.filter((event) => event.version <= cursor)) {
    state = evolveStored(aggregate, state, event);
  }
  for (const event of toApply) {
    const before = state;
    state = evolveStored(aggregate, state, event);
    const next = isStoreEvent(event)
      ? changes
      : mergeChanges([...changes, ...readModelChanges({ streamType: stream.type, event, before, after: state })]);
    if (next.length > MAX_CHANGES) {
      break;
    }
    changes = next;
    appliedUpTo = event.version;
  }
  if (appliedUpTo === cursor) {
    util.error(
      `Event ${storedEvent.version} of ${storedEvent.streamId} changes more read-model items than one transaction holds (${MAX_CHANGES}).`,
      'ReadModelTooLarge',
    );
  }
  ctx.stash.appliedUpTo = appliedUpTo;
  const table = ctx.env.READ_MODEL_TABLE!;
  return {
    operation: 'TransactWriteItems',
    transactItems: [cursorPut(table, storedEvent.streamId, cursor, appliedUpTo), ...changes.map((change) => transactItemOf(table, change))],
  };
}

export function response(ctx: Context<unknown, ProjectionStash>) {
  if (ctx.error) {
    // A conflict (another delivery moved the cursor first) or the table unreachable: nothing was written; the bus retries.
    util.error(
      `Could not apply ${ctx.stash.storedEvent.streamId} v${ctx.stash.storedEvent.version} to the read models: ${ctx.error.message}`,
      'ReadModelConflict',
    );
  }
  return { version: ctx.stash.appliedUpTo, applied: ctx.stash.appliedUpTo! - (ctx.stash.cursor ?? 0) };
}
