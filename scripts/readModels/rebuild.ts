/**
 * Rebuilds the read models from the streams: empties the read-model table,
 * then asks applyStoredEvent to apply each stream up to its last stored event,
 * exactly as the outbox would have delivered it. The same mutation, the same
 * code: a rebuilt read model is the read model. Runs against the local stack
 * or AWS alike (a DynamoDB client for the two tables, and a caller of the
 * IAM-only mutation, signed as a role allowed to call it).
 *
 * @example
 * await rebuildReadModels({ dynamoDb, eventStoreTable, readModelTable, apply: (streamId, version) => postSigned(…) });
 */
import { BatchWriteItemCommand, ScanCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';

export interface RebuildOptions {
  dynamoDb: DynamoDBClient;
  eventStoreTable: string;
  readModelTable: string;
  /** The stream types the read models read (e.g. Reservation, Room …): other streams are left out. */
  streamTypes: string[];
  /** Calls applyStoredEvent(input: { streamId, version }) and returns the version the read models reached. */
  apply(streamId: string, version: number): Promise<number>;
}

export interface RebuildReport {
  itemsDeleted: number;
  streams: number;
  events: number;
  calls: number;
}

async function* scan(
  dynamoDb: DynamoDBClient,
  table: string,
  projection: string,
  names: Record<string, string>,
): AsyncGenerator<Record<string, AttributeValue>> {
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await dynamoDb.send(
      new ScanCommand({
        TableName: table,
        ProjectionExpression: projection,
        ExpressionAttributeNames: names,
        ExclusiveStartKey: start,
        ConsistentRead: true,
      }),
    );
    yield* page.Items ?? [];
    start = page.LastEvaluatedKey;
  } while (start);
}

export async function rebuildReadModels(options: RebuildOptions): Promise<RebuildReport> {
  const { dynamoDb } = options;
  // 1. Empty the read models, cursors included.
  const keys: Record<string, AttributeValue>[] = [];
  for await (const item of scan(dynamoDb, options.readModelTable, '#pk, #sk', { '#pk': 'pk', '#sk': 'sk' })) keys.push(item);
  for (let at = 0; at < keys.length; at += 25) {
    let requests = keys.slice(at, at + 25).map((key) => ({ DeleteRequest: { Key: key } }));
    while (requests.length > 0) {
      const answer = await dynamoDb.send(new BatchWriteItemCommand({ RequestItems: { [options.readModelTable]: requests } }));
      requests = (answer.UnprocessedItems?.[options.readModelTable] ?? []) as typeof requests;
    }
  }
  // 2. The last stored event of every stream (events carry an eventId; snapshots, claims and answers do not).
  const lastVersion = new Map<string, number>();
  let events = 0;
  for await (const item of scan(dynamoDb, options.eventStoreTable, '#pk, #sk, #eventId', {
    '#pk': 'streamId',
    '#sk': 'version',
    '#eventId': 'eventId',
  })) {
    if (!item.eventId) continue;
    events += 1;
    const streamId = item.streamId!.S!;
    if (!options.streamTypes.includes(streamId.slice(0, streamId.indexOf('#')))) continue;
    lastVersion.set(streamId, Math.max(lastVersion.get(streamId) ?? 0, Number(item.version!.N)));
  }
  // 3. Apply each stream; a call applies as many events as one transaction holds, so call until the last is in.
  let calls = 0;
  for (const [streamId, version] of [...lastVersion].sort(([a], [b]) => a.localeCompare(b))) {
    let reached = 0;
    while (reached < version) {
      const next = await options.apply(streamId, version);
      calls += 1;
      if (next <= reached) throw new Error(`applyStoredEvent made no progress on ${streamId} at version ${reached}.`);
      reached = next;
    }
  }
  return { itemsDeleted: keys.length, streams: lastVersion.size, events, calls };
}
