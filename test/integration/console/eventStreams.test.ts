/**
 * How the local console finds event streams in any app's tables (local/console/eventStreams.ts), on
 * DynamoDB Local: by the table's key types and its items' shape, never by a table or attribute name
 * of this app. This app's layout (streamId, version; claims at 0, snapshots at v + 0.5) and Castore's
 * (aggregateId, version) are both found; tables of other shapes are left out.
 */
import { CreateTableCommand, PutItemCommand, type AttributeValue, type ScalarAttributeType } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { EventStreams } from '../../../local/index.ts';
import { useDynamoDbLocal } from '../../helpers/dynamoDbLocal.ts';

const local = useDynamoDbLocal();

async function table(name: string, keys: [string, ScalarAttributeType][], items: Record<string, unknown>[]): Promise<void> {
  await local.client.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: keys.map(([AttributeName], index) => ({ AttributeName, KeyType: index === 0 ? 'HASH' : 'RANGE' })),
      AttributeDefinitions: keys.map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType })),
    }),
  );
  for (const item of items)
    await local.client.send(new PutItemCommand({ TableName: name, Item: marshall(item) as Record<string, AttributeValue> }));
}

const NAMES = ['store', 'castore', 'readModel', 'counters', 'notCreated'];
let streams: EventStreams;

beforeAll(async () => {
  await table(
    'store',
    [
      ['streamId', 'S'],
      ['version', 'N'],
    ],
    [
      { streamId: 'Room#A', version: 1, type: 'RoomRegistered', occurredAt: '2026-01-01T10:00:00Z', data: {} },
      { streamId: 'Room#A', version: 2, type: 'RoomClosed', occurredAt: '2026-01-01T10:05:00Z', commandId: 'close-1', data: {} },
      { streamId: 'Room#A', version: 2.5, kind: 'Snapshot', state: {} },
      { streamId: 'RoomNight#A#2026-02-01', version: 0, kind: 'UniqueConstraint', commandId: 'close-1' },
      { streamId: 'Guest#B', version: 1, type: 'GuestRegistered', occurredAt: '2026-01-01T11:00:00Z', data: {} },
    ],
  );
  await table(
    'castore',
    [
      ['aggregateId', 'S'],
      ['version', 'N'],
    ],
    [{ aggregateId: 'pokemon-1', version: 1, type: 'APPEARED', timestamp: '2026-01-02T00:00:00Z', payload: {} }],
  );
  // (string, string) keys: a read model, not a stream, even with a `type`.
  await table('readModel', [['id', 'S']], [{ id: 'x', type: 'Room' }]);
  // (string, number) keys without typed items at whole versions: counters, not streams.
  await table(
    'counters',
    [
      ['name', 'S'],
      ['n', 'N'],
    ],
    [{ name: 'hits', n: 1, count: 3 }],
  );
  streams = new EventStreams(local.client, () => NAMES);
});

describe('event streams found by shape', () => {
  it('lists the tables that hold streams, with each stream newest first, and counts the items that are not events', async () => {
    const tables = await streams.list();
    expect(tables.map((found) => found.tableName)).toEqual(['store', 'castore']);
    expect(tables[0]).toMatchObject({
      partitionKey: 'streamId',
      sortKey: 'version',
      otherItems: 2,
      moreStreams: 0,
      truncated: false,
      streams: [
        { streamId: 'Guest#B', events: 1, lastVersion: 1, types: ['GuestRegistered'], lastAt: '2026-01-01T11:00:00Z' },
        { streamId: 'Room#A', events: 2, lastVersion: 2, types: ['RoomRegistered', 'RoomClosed'], lastAt: '2026-01-01T10:05:00Z' },
      ],
    });
    expect(tables[1]!.streams).toEqual([
      { streamId: 'pokemon-1', events: 1, lastVersion: 1, types: ['APPEARED'], lastAt: '2026-01-02T00:00:00Z' },
    ]);
  });

  it("reads one stream's events in order, without the snapshot beside them", async () => {
    const read = await streams.read('store', 'Room#A');
    expect(read!.events.map((event) => [event.version, event.type])).toEqual([
      [1, 'RoomRegistered'],
      [2, 'RoomClosed'],
    ]);
  });

  it('reads nothing from a table that holds no streams', async () => {
    expect(await streams.read('readModel', 'x')).toBeUndefined();
  });

  it('gives every item of the stream tables to the search, claims included', async () => {
    const all = await streams.everyItem();
    expect(all.map((found) => [found.tableName, found.items.length])).toEqual([
      ['store', 5],
      ['castore', 1],
    ]);
  });
});
