/**
 * DynamoDB Streams on DynamoDB Local: tables from a template get the stream their
 * StreamSpecification asks for, and the stream reader returns each record once, in order, from the
 * starting position (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html).
 */
import { DescribeTableCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { createTablesFromTemplate } from '../../../local/index.ts';
import { DynamoDbStreamReader } from '../../../local/index.ts';
import { useDynamoDbLocal } from '../../helpers/dynamoDbLocal.ts';

const local = useDynamoDbLocal();

const table = (name: string, stream?: string) => ({
  Type: 'AWS::DynamoDB::Table',
  Properties: {
    TableName: name,
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    ...(stream ? { StreamSpecification: { StreamViewType: stream } } : {}),
  },
});
const put = (tableName: string, pk: string) => local.client.send(new PutItemCommand({ TableName: tableName, Item: { pk: { S: pk } } }));
const keysOf = (records: { record: { dynamodb?: { Keys?: Record<string, { S?: string }> } } }[]) =>
  records.map((entry) => entry.record.dynamodb?.Keys?.pk?.S);

describe('a table with a StreamSpecification', () => {
  it('gets a stream of that view type', async () => {
    await createTablesFromTemplate(local.client, { Streamed: table('streamed', 'NEW_AND_OLD_IMAGES') });
    const { Table } = await local.client.send(new DescribeTableCommand({ TableName: 'streamed' }));
    expect(Table?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    expect(Table?.LatestStreamArn).toMatch(/table\/streamed\/stream\//);
  });

  it('that already exists without a stream (a persisted database) gets it when the template asks for one', async () => {
    await createTablesFromTemplate(local.client, { Later: table('later') });
    await createTablesFromTemplate(local.client, { Later: table('later', 'KEYS_ONLY') });
    const { Table } = await local.client.send(new DescribeTableCommand({ TableName: 'later' }));
    expect(Table?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'KEYS_ONLY' });
  });
});

describe('the stream reader', () => {
  it('from TRIM_HORIZON returns every record once, in write order, at most `limit` at a time', async () => {
    await createTablesFromTemplate(local.client, { Ordered: table('ordered', 'NEW_IMAGE') });
    for (const pk of ['a', 'b', 'c', 'd', 'e']) await put('ordered', pk);
    const reader = await DynamoDbStreamReader.forTable(local.db.endpoint, 'ordered', 'TRIM_HORIZON');
    try {
      expect(keysOf(await reader.read(3))).toEqual(['a', 'b', 'c']);
      expect(keysOf(await reader.read(3))).toEqual(['d', 'e']);
      expect(await reader.read(3)).toEqual([]);
      await put('ordered', 'f');
      expect(keysOf(await reader.read(3))).toEqual(['f']);
    } finally {
      reader.close();
    }
  });

  it('from LATEST returns only what is written after it started', async () => {
    await createTablesFromTemplate(local.client, { Latest: table('latest', 'NEW_IMAGE') });
    await put('latest', 'before');
    const reader = await DynamoDbStreamReader.forTable(local.db.endpoint, 'latest', 'LATEST');
    try {
      await put('latest', 'after');
      expect(keysOf(await reader.read(10))).toEqual(['after']);
    } finally {
      reader.close();
    }
  });

  it.each(['TRIM_HORIZON', 'LATEST'] as const)(
    'from %s reads on after another table is created (DynamoDB Local then breaks the iterator of an empty shard)',
    async (position) => {
      const name = `quiet-${position.toLowerCase()}`;
      await createTablesFromTemplate(local.client, { Quiet: table(name, 'NEW_IMAGE') });
      const reader = await DynamoDbStreamReader.forTable(local.db.endpoint, name, position);
      try {
        expect(await reader.read(10)).toEqual([]);
        await createTablesFromTemplate(local.client, { Other: table(`${name}-other`, 'NEW_IMAGE') });
        await put(name, 'after');
        const read = [...(await reader.read(10)), ...(await reader.read(10))];
        expect(keysOf(read)).toEqual(['after']);
      } finally {
        reader.close();
      }
    },
  );

  it('is refused, naming the table, when the table has no stream', async () => {
    await createTablesFromTemplate(local.client, { Plain: table('plain') });
    await expect(DynamoDbStreamReader.forTable(local.db.endpoint, 'plain', 'LATEST')).rejects.toThrow(
      'Table plain has no stream: give it a StreamSpecification',
    );
  });
});
