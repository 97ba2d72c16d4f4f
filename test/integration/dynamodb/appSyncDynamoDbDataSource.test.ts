import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProvisionedThroughputExceededException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { AppSyncDynamoDbDataSource, invokeDynamoDb } from '../../../local/index.ts';
import { useDynamoDbLocal } from '../../helpers/dynamoDbLocal.ts';

// Values as util.dynamodb.toMapValues makes them: numbers stay JSON numbers.
const key = (streamId: string, version: number) => ({ streamId: { S: streamId }, version: { N: version } });
const event = (streamId: string, version: number, extra: Record<string, unknown> = {}) => ({
  operation: 'PutItem',
  key: key(streamId, version),
  attributeValues: { type: { S: 'Happened' }, owner: { S: 'alice' }, commandId: { S: `c-${streamId}-${version}` }, ...extra },
});
const SLOT_IS_FREE = { expression: 'attribute_not_exists(#pk)', expressionNames: { '#pk': 'streamId' } };

const local = useDynamoDbLocal({
  resources: {
    EventStore: {
      Type: 'AWS::DynamoDB::GlobalTable',
      Properties: {
        AttributeDefinitions: [
          { AttributeName: 'streamId', AttributeType: 'S' },
          { AttributeName: 'version', AttributeType: 'N' },
          { AttributeName: 'owner', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'streamId', KeyType: 'HASH' },
          { AttributeName: 'version', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          { IndexName: 'byOwner', KeySchema: [{ AttributeName: 'owner', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } },
        ],
        BillingMode: 'PAY_PER_REQUEST',
      },
    },
    Other: {
      Type: 'AWS::DynamoDB::Table',
      Properties: {
        TableName: 'other-table',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      },
    },
  },
});
let events: AppSyncDynamoDbDataSource;
let tables: Record<string, string>;

beforeAll(() => {
  tables = local.tables;
  events = new AppSyncDynamoDbDataSource({ endpoint: local.db.endpoint, tableName: tables.EventStore });
});

afterAll(() => events.close());

describe('single items', () => {
  it('PutItem returns the item written as plain JSON, numbers as numbers whether sent as 5 or "5"', async () => {
    const response = await events.invoke(
      event('S#put', 1, {
        count: { N: '5' },
        data: { M: { nights: { L: [{ N: 1 }, { S: 'x' }] }, flags: { SS: ['a', 'b'] }, sizes: { NS: [2, '3'] } } },
        ok: { BOOL: true },
        nothing: { NULL: true },
        blob: { B: Buffer.from('hi').toString('base64') },
      }),
    );
    expect(response).toEqual({
      result: {
        streamId: 'S#put',
        version: 1,
        type: 'Happened',
        owner: 'alice',
        commandId: 'c-S#put-1',
        count: 5,
        data: { nights: [1, 'x'], flags: ['a', 'b'], sizes: [2, 3] },
        ok: true,
        nothing: null,
        blob: 'aGk=',
      },
    });
    expect(await events.invoke({ operation: 'GetItem', key: key('S#put', 1), consistentRead: true })).toEqual(response);
  });

  it('GetItem of a missing item gives null, and a projection only the named attributes', async () => {
    expect(await events.invoke({ operation: 'GetItem', key: key('S#none', 1) })).toEqual({ result: null });
    await events.invoke(event('S#proj', 1));
    expect(
      await events.invoke({
        operation: 'GetItem',
        key: key('S#proj', 1),
        projection: { expression: '#t, version', expressionNames: { '#t': 'type' } },
      }),
    ).toEqual({ result: { type: 'Happened', version: 1 } });
  });

  it('a conditional PutItem on a taken slot fails with ConditionalCheckFailedException and the current item in ctx.result', async () => {
    await events.invoke({ ...event('S#race', 1), condition: SLOT_IS_FREE });
    const response = await events.invoke({ ...event('S#race', 1, { commandId: { S: 'other-command' } }), condition: SLOT_IS_FREE });
    expect(response.error?.type).toBe('DynamoDB:ConditionalCheckFailedException');
    expect(response.error?.message).toMatch(/^The conditional request failed \(Service: DynamoDb, Status Code: 400, Request ID: .+\)$/);
    expect(response.result).toMatchObject({ streamId: 'S#race', version: 1, commandId: 'c-S#race-1' });
  });

  it('a conditional PutItem whose item is already there as desired succeeds (AppSync compares, minus equalsIgnore)', async () => {
    await events.invoke({ ...event('S#same', 1), condition: SLOT_IS_FREE });
    expect(await events.invoke({ ...event('S#same', 1), condition: SLOT_IS_FREE })).toEqual({
      result: (await events.invoke({ operation: 'GetItem', key: key('S#same', 1) })).result,
    });
    const differs = event('S#same', 1, { type: { S: 'Changed' } });
    expect((await events.invoke({ ...differs, condition: SLOT_IS_FREE })).error?.type).toBe('DynamoDB:ConditionalCheckFailedException');
    expect(await events.invoke({ ...differs, condition: { ...SLOT_IS_FREE, equalsIgnore: ['type'] } })).toMatchObject({
      result: { type: 'Happened' },
    });
  });

  it('UpdateItem returns the new item; a failed condition gives the current one', async () => {
    await events.invoke(event('S#upd', 1, { count: { N: 1 } }));
    const updated = await events.invoke({
      operation: 'UpdateItem',
      key: key('S#upd', 1),
      update: { expression: 'SET #c = #c + :one', expressionNames: { '#c': 'count' }, expressionValues: { ':one': { N: 1 } } },
      condition: { expression: '#c = :expected', expressionNames: { '#c': 'count' }, expressionValues: { ':expected': { N: 1 } } },
    });
    expect(updated).toEqual({ result: expect.objectContaining({ streamId: 'S#upd', count: 2 }) });
    const refused = await events.invoke({
      operation: 'UpdateItem',
      key: key('S#upd', 1),
      update: { expression: 'SET #c = :v', expressionNames: { '#c': 'count' }, expressionValues: { ':v': { N: 9 } } },
      condition: { expression: '#c = :expected', expressionNames: { '#c': 'count' }, expressionValues: { ':expected': { N: 1 } } },
    });
    expect(refused.error?.type).toBe('DynamoDB:ConditionalCheckFailedException');
    expect(refused.result).toMatchObject({ count: 2 });
  });

  it('a conditional DeleteItem of an item already gone is done (the desired state), one that exists is refused', async () => {
    const mustBeMine = { expression: '#o = :me', expressionNames: { '#o': 'owner' }, expressionValues: { ':me': { S: 'bob' } } };
    expect(await events.invoke({ operation: 'DeleteItem', key: key('S#gone', 1), condition: mustBeMine })).toEqual({ result: null });
    await events.invoke(event('S#gone', 1));
    const refused = await events.invoke({
      operation: 'DeleteItem',
      key: key('S#gone', 1),
      condition: {
        ...mustBeMine,
        conditionalCheckFailedHandler: { strategy: 'Custom', lambdaArn: 'arn:aws:lambda:us-east-1:1:function:f' },
      },
    });
    expect(refused.error).toEqual({
      type: 'DynamoDB:ConditionalCheckFailedException',
      message: expect.stringMatching(/handled as "Reject"/),
    });
    expect(refused.result).toMatchObject({ streamId: 'S#gone', owner: 'alice' });
  });

  it('DeleteItem returns the deleted item, and null when there was none', async () => {
    await events.invoke(event('S#del', 1));
    expect(await events.invoke({ operation: 'DeleteItem', key: key('S#del', 1) })).toMatchObject({
      result: { streamId: 'S#del', type: 'Happened' },
    });
    expect(await events.invoke({ operation: 'DeleteItem', key: key('S#del', 1) })).toEqual({ result: null });
  });
});

describe('Query and Scan', () => {
  beforeAll(async () => {
    for (let version = 1; version <= 5; version += 1) {
      await events.invoke(event('S#q', version, { owner: { S: version % 2 === 0 ? 'even' : 'odd' } }));
    }
  });
  const byStream = {
    expression: '#pk = :pk AND #sk > :zero',
    expressionNames: { '#pk': 'streamId', '#sk': 'version' },
    expressionValues: { ':pk': { S: 'S#q' }, ':zero': { N: 0 } },
  };

  it('Query returns { items, nextToken: null, scannedCount } in key order, or reversed', async () => {
    const response = await events.invoke({ operation: 'Query', query: byStream, consistentRead: true });
    expect(response.result).toMatchObject({ nextToken: null, scannedCount: 5 });
    expect((response.result as { items: { version: number }[] }).items.map((item) => item.version)).toEqual([1, 2, 3, 4, 5]);
    const reversed = await events.invoke({ operation: 'Query', query: byStream, scanIndexForward: false, limit: 2 });
    expect((reversed.result as { items: { version: number }[] }).items.map((item) => item.version)).toEqual([5, 4]);
  });

  it('pages with limit and the opaque nextToken until nextToken is null', async () => {
    const versions: number[] = [];
    let nextToken: string | null = null;
    let pages = 0;
    do {
      const response = await events.invoke({ operation: 'Query', query: byStream, limit: 2, nextToken });
      const result = response.result as { items: { version: number }[]; nextToken: string | null };
      versions.push(...result.items.map((item) => item.version));
      nextToken = result.nextToken;
      pages += 1;
    } while (nextToken && pages < 10);
    expect(versions).toEqual([1, 2, 3, 4, 5]);
    expect(pages).toBe(3);
  });

  it('filters, projects and queries a GSI', async () => {
    const filtered = await events.invoke({
      operation: 'Query',
      query: byStream,
      filter: { expression: '#o = :o', expressionNames: { '#o': 'owner' }, expressionValues: { ':o': { S: 'even' } } },
      projection: { expression: 'version' },
    });
    expect(filtered.result).toEqual({ items: [{ version: 2 }, { version: 4 }], nextToken: null, scannedCount: 5 });
    const byOwner = await events.invoke({
      operation: 'Query',
      index: 'byOwner',
      query: { expression: '#o = :o', expressionNames: { '#o': 'owner' }, expressionValues: { ':o': { S: 'odd' } } },
    });
    expect((byOwner.result as { items: unknown[] }).items).toHaveLength(3);
  });

  it('Scan pages the whole table and splits it into segments', async () => {
    let nextToken: string | null = null;
    let count = 0;
    do {
      const result: { items: unknown[]; nextToken: string | null } = (await events.invoke({ operation: 'Scan', limit: 4, nextToken }))
        .result as never;
      count += result.items.length;
      nextToken = result.nextToken;
    } while (nextToken);
    const segments = await Promise.all(
      [0, 1].map(
        async (segment) =>
          ((await events.invoke({ operation: 'Scan', segment, totalSegments: 2 })).result as { items: unknown[] }).items.length,
      ),
    );
    expect(count).toBeGreaterThanOrEqual(5);
    expect(segments[0]! + segments[1]!).toBe(count);
  });

  it('Sync reads the base table like a Scan and says when it started', async () => {
    const before = Date.now();
    const response = await events.invoke({ operation: 'Sync', limit: 2 });
    const result = response.result as { items: unknown[]; nextToken: string | null; startedAt: number };
    expect(result.items).toHaveLength(2);
    expect(result.nextToken).toEqual(expect.any(String));
    expect(result.startedAt).toBeGreaterThanOrEqual(before);
  });

  it('refuses a nextToken it did not issue', async () => {
    expect(await events.invoke({ operation: 'Query', query: byStream, nextToken: 'not-a-token' })).toEqual({
      error: { type: 'MappingTemplate', message: expect.stringMatching(/Invalid nextToken/) },
    });
  });
});

describe('batches', () => {
  it('BatchGetItem returns items in key order with null for missing keys, and empty unprocessedKeys', async () => {
    await events.invoke(event('S#b', 1));
    await events.invoke(event('S#b', 3));
    const table = tables.EventStore!;
    const response = await events.invoke({
      operation: 'BatchGetItem',
      tables: { [table]: { keys: [key('S#b', 3), key('S#b', 2), key('S#b', 1)], consistentRead: true } },
    });
    expect(response).toEqual({
      result: {
        data: { [table]: [expect.objectContaining({ version: 3 }), null, expect.objectContaining({ version: 1 })] },
        unprocessedKeys: { [table]: [] },
      },
    });
  });

  it('BatchPutItem and BatchDeleteItem return what they wrote, per table, in request order', async () => {
    const table = tables.EventStore!;
    const put = await events.invoke({
      operation: 'BatchPutItem',
      tables: {
        [table]: [
          { ...key('S#bp', 1), n: { N: 1 } },
          { ...key('S#bp', 2), n: { N: 2 } },
        ],
        'other-table': [{ id: { S: 'x' } }],
      },
    });
    expect(put).toEqual({
      result: {
        data: {
          [table]: [
            { streamId: 'S#bp', version: 1, n: 1 },
            { streamId: 'S#bp', version: 2, n: 2 },
          ],
          'other-table': [{ id: 'x' }],
        },
        unprocessedItems: { [table]: [], 'other-table': [] },
      },
    });
    const deleted = await events.invoke({ operation: 'BatchDeleteItem', tables: { [table]: [key('S#bp', 1), key('S#bp', 2)] } });
    expect(deleted).toEqual({
      result: {
        data: {
          [table]: [
            { streamId: 'S#bp', version: 1 },
            { streamId: 'S#bp', version: 2 },
          ],
        },
        unprocessedKeys: { [table]: [] },
      },
    });
    expect(await events.invoke({ operation: 'GetItem', key: key('S#bp', 1) })).toEqual({ result: null });
  });
});

describe('transactions', () => {
  it('TransactGetItems returns items in request order, null for missing, cancellationReasons null', async () => {
    await events.invoke(event('S#tg', 1));
    const table = tables.EventStore!;
    expect(
      await events.invoke({
        operation: 'TransactGetItems',
        transactItems: [
          { table, key: key('S#tg', 2) },
          { table, key: key('S#tg', 1) },
        ],
      }),
    ).toEqual({ result: { items: [null, expect.objectContaining({ streamId: 'S#tg', version: 1 })], cancellationReasons: null } });
  });

  it('TransactWriteItems returns the keys; a broken condition cancels all with reasons in request order', async () => {
    const table = tables.EventStore!;
    const claim = (night: string, version: number) => ({
      table,
      operation: 'PutItem',
      key: key(`RoomNight#r1#${night}`, 0),
      attributeValues: { aggregateId: { S: `a${version}` } },
      condition: SLOT_IS_FREE,
    });
    const first = await events.invoke({
      operation: 'TransactWriteItems',
      transactItems: [{ table, operation: 'PutItem', key: key('S#tw1', 1), attributeValues: {}, condition: SLOT_IS_FREE }, claim('d1', 1)],
    });
    expect(first).toEqual({
      result: {
        keys: [
          { streamId: 'S#tw1', version: 1 },
          { streamId: 'RoomNight#r1#d1', version: 0 },
        ],
        cancellationReasons: null,
      },
    });

    const second = await events.invoke({
      operation: 'TransactWriteItems',
      transactItems: [
        { table, operation: 'PutItem', key: key('S#tw2', 1), attributeValues: {}, condition: SLOT_IS_FREE },
        claim('d1', 2),
        { table, operation: 'ConditionCheck', key: key('S#tw1', 1), condition: { expression: 'attribute_exists(streamId)' } },
        { ...claim('d2', 2), condition: { ...SLOT_IS_FREE, returnValuesOnConditionCheckFailure: false } },
      ],
    });
    expect(second.error?.type).toBe('DynamoDB:TransactionCanceledException');
    expect(second.error?.message).toMatch(/Transaction cancelled.*\[None, ConditionalCheckFailed, None, None\]/);
    expect(second.result).toEqual({
      keys: null,
      cancellationReasons: [
        { type: 'None', message: null },
        {
          type: 'ConditionalCheckFailed',
          message: 'The conditional request failed',
          item: { streamId: 'RoomNight#r1#d1', version: 0, aggregateId: 'a1' },
        },
        { type: 'None', message: null },
        { type: 'None', message: null },
      ],
    });
    expect(await events.invoke({ operation: 'GetItem', key: key('S#tw2', 1) })).toEqual({ result: null });
  });
});

describe('errors', () => {
  it('an unknown table is DynamoDB:ResourceNotFoundException', async () => {
    const response = await events.invoke({ operation: 'GetItem', key: key('x', 1) }, { tableName: 'no-such-table' });
    expect(response).toEqual({
      error: { type: 'DynamoDB:ResourceNotFoundException', message: expect.stringMatching(/non-existent table/i) },
    });
  });

  it('an invalid expression is DynamoDB:DynamoDbException, as the Java SDK AppSync uses names a ValidationException', async () => {
    const response = await events.invoke({ operation: 'Query', query: { expression: 'streamId = ' } });
    expect(response.error?.type).toBe('DynamoDB:DynamoDbException');
    expect(response.error?.message).toMatch(/Status Code: 400/);
  });

  it('a malformed request is a MappingTemplate error', async () => {
    expect((await events.invoke({ operation: 'Explode' })).error).toEqual({
      type: 'MappingTemplate',
      message: expect.stringMatching(/Unsupported operation 'Explode'/),
    });
    expect((await events.invoke({ operation: 'GetItem', key: { streamId: 'not typed' } })).error?.type).toBe('MappingTemplate');
  });

  it('throttling is DynamoDB:ProvisionedThroughputExceededException', async () => {
    const throttled = new ProvisionedThroughputExceededException({
      message: 'Throughput exceeds the current capacity',
      $metadata: { httpStatusCode: 400, requestId: 'r1' },
    });
    const client = { send: () => Promise.reject(throttled) } as unknown as DynamoDBClient;
    expect(await invokeDynamoDb(client, { operation: 'GetItem', key: key('x', 1) }, { tableName: 't' })).toEqual({
      error: {
        type: 'DynamoDB:ProvisionedThroughputExceededException',
        message: 'Throughput exceeds the current capacity (Service: DynamoDb, Status Code: 400, Request ID: r1)',
      },
    });
  });
});
