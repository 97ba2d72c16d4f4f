// `@aws-appsync/utils/dynamodb`, "Built-in modules"
// (https://docs.aws.amazon.com/appsync/latest/devguide/built-in-modules-js.html). AWS documents the
// inputs (each example below is one of the page's) and the request shapes
// (@aws-appsync/utils/lib/resolver-return-types.d.ts), not the expression text: that text is this
// runtime's choice, described at the top of dynamodbModule.ts.
import { describe, expect, it } from 'vitest';
import { createDynamoDbModule } from '../../../../local/engine/runtime/dynamodbModule.ts';
import { makeUtil } from './utilFixture.ts';

const { util } = makeUtil();
const ddb = createDynamoDbModule(util);
const { operations } = ddb;

describe('get, put, remove', () => {
  it('get({ key }) is a GetItem with a typed key', () => {
    expect(ddb.get({ key: { id: 'id' } })).toEqual({ operation: 'GetItem', key: { id: { S: 'id' } } });
  });

  it('get with consistentRead and a projection of nested paths', () => {
    expect(ddb.get({ key: { id: 1 }, consistentRead: true, projection: ['id', 'name', 'nested.object[1]'] })).toEqual({
      operation: 'GetItem',
      key: { id: { N: 1 } },
      consistentRead: true,
      projection: { expression: '#id, #name, #nested.#object[1]', expressionNames: { '#id': 'id', '#name': 'name', '#nested': 'nested', '#object': 'object' } },
    });
  });

  it('put({ key, item }) is a PutItem, the key attributes left out of attributeValues', () => {
    expect(ddb.put({ key: { id: 'a1' }, item: { id: 'a1', title: 'New Task', isComplete: false } })).toEqual({
      operation: 'PutItem',
      key: { id: { S: 'a1' } },
      attributeValues: { title: { S: 'New Task' }, isComplete: { BOOL: false } },
    });
  });

  it('put with a condition: the event store append (attribute_not_exists on the key)', () => {
    expect(ddb.put({ key: { pk: 'R#1', version: 3 }, item: { type: 'Created' }, condition: { version: { attributeExists: false } } })).toEqual({
      operation: 'PutItem',
      key: { pk: { S: 'R#1' }, version: { N: 3 } },
      attributeValues: { type: { S: 'Created' } },
      condition: { expression: '(attribute_not_exists(#version))', expressionNames: { '#version': 'version' } },
    });
  });

  it('remove<Task> with the documented owner condition', () => {
    expect(ddb.remove({ key: { id: 'XXXXXXXXXXXXXXXX' }, condition: { owner: { eq: 'XXXXXXXXXXXXXXXX' } } })).toEqual({
      operation: 'DeleteItem',
      key: { id: { S: 'XXXXXXXXXXXXXXXX' } },
      condition: { expression: '(#owner = :owner_eq)', expressionNames: { '#owner': 'owner' }, expressionValues: { ':owner_eq': { S: 'XXXXXXXXXXXXXXXX' } } },
    });
  });

  it('passes the conflict-detection options through', () => {
    expect(ddb.remove({ key: { id: '1' }, _version: 2, customPartitionKey: 'pk', populateIndexFields: true })).toEqual({
      operation: 'DeleteItem',
      key: { id: { S: '1' } },
      customPartitionKey: 'pk',
      populateIndexFields: true,
      _version: 2,
    });
  });

  it.each([
    { name: 'a condition AppSync cannot render', call: () => ddb.put({ key: { id: '1' }, item: {}, condition: { id: { bogus: 1 } } }) },
    { name: 'a missing key', call: () => ddb.get({}) },
  ])('throws on $name', ({ call }) => {
    expect(call).toThrow(TypeError);
  });

  it('leaves out a condition that says nothing', () => {
    expect(ddb.put({ key: { id: '1' }, item: {}, condition: {} })).not.toHaveProperty('condition');
  });
});

describe('update and operations (the page documents one example per operation)', () => {
  const updateOf = (update: Record<string, unknown>) => ddb.update({ key: { id: 1 }, update }).update;

  it.each([
    {
      name: 'add a map: SET',
      update: { address: operations.add({ street1: '123 Main St', city: 'New York', zip: '10001' }) },
      expected: {
        expression: 'SET #address = :address',
        expressionNames: { '#address': 'address' },
        expressionValues: { ':address': { M: { street1: { S: '123 Main St' }, city: { S: 'New York' }, zip: { S: '10001' } } } },
      },
    },
    {
      name: 'append',
      update: { friendsIds: operations.append([101, 104, 111]) },
      expected: {
        expression: 'SET #friendsIds = list_append(if_not_exists(#friendsIds, :friendsIds_empty), :friendsIds)',
        expressionNames: { '#friendsIds': 'friendsIds' },
        expressionValues: { ':friendsIds': { L: [{ N: 101 }, { N: 104 }, { N: 111 }] }, ':friendsIds_empty': { L: [] } },
      },
    },
    {
      name: 'prepend',
      update: { friendsIds: operations.prepend([101]) },
      expected: {
        expression: 'SET #friendsIds = list_append(:friendsIds, if_not_exists(#friendsIds, :friendsIds_empty))',
        expressionNames: { '#friendsIds': 'friendsIds' },
        expressionValues: { ':friendsIds': { L: [{ N: 101 }] }, ':friendsIds_empty': { L: [] } },
      },
    },
    {
      name: 'increment by 10',
      update: { friendsCount: operations.increment(10) },
      expected: { expression: 'ADD #friendsCount :friendsCount', expressionNames: { '#friendsCount': 'friendsCount' }, expressionValues: { ':friendsCount': { N: 10 } } },
    },
    {
      name: 'decrement by 10',
      update: { friendsCount: operations.decrement(10) },
      expected: { expression: 'ADD #friendsCount :friendsCount', expressionNames: { '#friendsCount': 'friendsCount' }, expressionValues: { ':friendsCount': { N: -10 } } },
    },
    {
      name: 'increment defaults to 1',
      update: { version: operations.increment() },
      expected: { expression: 'ADD #version :version', expressionNames: { '#version': 'version' }, expressionValues: { ':version': { N: 1 } } },
    },
    {
      name: 'replace inside info: the whole address, one SET',
      update: { info: { address: operations.replace({ street1: '123 Main St', city: 'New York', zip: '10001' }) } },
      expected: {
        expression: 'SET #info.#address = :info_address',
        expressionNames: { '#info': 'info', '#address': 'address' },
        expressionValues: { ':info_address': { M: { street1: { S: '123 Main St' }, city: { S: 'New York' }, zip: { S: '10001' } } } },
      },
    },
    {
      name: 'updateListItem: second and third items',
      update: { friendsIds: [operations.updateListItem('102', 1), operations.updateListItem('112', 2)] },
      expected: {
        expression: 'SET #friendsIds[1] = :friendsIds_1, #friendsIds[2] = :friendsIds_2',
        expressionNames: { '#friendsIds': 'friendsIds' },
        expressionValues: { ':friendsIds_1': { S: '102' }, ':friendsIds_2': { S: '112' } },
      },
    },
    {
      name: 'remove',
      update: { address: operations.remove() },
      expected: { expression: 'REMOVE #address', expressionNames: { '#address': 'address' }, expressionValues: {} },
    },
    {
      name: 'several operations at once (the Event API page example)',
      update: { counter: operations.increment(1), tags: operations.append(['things']), items: operations.add({ key: 'value' }), oldField: operations.remove() },
      expected: {
        expression:
          'SET #tags = list_append(if_not_exists(#tags, :tags_empty), :tags), #items = :items REMOVE #oldField ADD #counter :counter',
        expressionNames: { '#counter': 'counter', '#tags': 'tags', '#items': 'items', '#oldField': 'oldField' },
        expressionValues: { ':counter': { N: 1 }, ':tags': { L: [{ S: 'things' }] }, ':tags_empty': { L: [] }, ':items': { M: { key: { S: 'value' } } } },
      },
    },
    {
      name: 'plain values are set; a nested object updates its members; undefined is skipped',
      update: { isVerified: true, nickname: null, address: { city: 'Paris' }, skipped: undefined },
      expected: {
        expression: 'SET #isVerified = :isVerified, #nickname = :nickname, #address.#city = :address_city',
        expressionNames: { '#isVerified': 'isVerified', '#nickname': 'nickname', '#address': 'address', '#city': 'city' },
        expressionValues: { ':isVerified': { BOOL: true }, ':nickname': { NULL: null }, ':address_city': { S: 'Paris' } },
      },
    },
    {
      name: 'add a set: ADD of its members',
      update: { tags: operations.add(ddb.toStringSet(['a'])) },
      expected: { expression: 'ADD #tags :tags', expressionNames: { '#tags': 'tags' }, expressionValues: { ':tags': { SS: ['a'] } } },
    },
    {
      name: 'increment a nested counter: SET p = p + n (ADD takes top-level attributes only)',
      update: { stats: { views: operations.increment(2) } },
      expected: {
        expression: 'SET #stats.#views = #stats.#views + :stats_views',
        expressionNames: { '#stats': 'stats', '#views': 'views' },
        expressionValues: { ':stats_views': { N: 2 } },
      },
    },
    {
      name: 'names DynamoDB would refuse as placeholders are made safe',
      update: { 'ISBN-13': 'x' },
      expected: { expression: 'SET #ISBN_13 = :ISBN_13', expressionNames: { '#ISBN_13': 'ISBN-13' }, expressionValues: { ':ISBN_13': { S: 'x' } } },
    },
  ])('$name', ({ update, expected }) => {
    expect(updateOf(update)).toEqual(expected);
  });

  it('leaves key attributes out of the update and keeps the documented condition', () => {
    expect(ddb.update({ key: { id: 'a' }, update: { id: 'a', isVerified: true }, condition: { name: { eq: 'X' } } })).toEqual({
      operation: 'UpdateItem',
      key: { id: { S: 'a' } },
      update: { expression: 'SET #isVerified = :isVerified', expressionNames: { '#isVerified': 'isVerified' }, expressionValues: { ':isVerified': { BOOL: true } } },
      condition: { expression: '(#name = :name_eq)', expressionNames: { '#name': 'name' }, expressionValues: { ':name_eq': { S: 'X' } } },
    });
  });

  it('operations are plain data sandboxed code can hold', () => {
    expect(JSON.parse(JSON.stringify(operations.updateListItem('x', 2)))).toEqual({ _type: 'updateListItem', value: 'x', index: 2 });
  });
});

describe('query, scan, sync', () => {
  it('query with a key condition, filter, index and paging', () => {
    expect(
      ddb.query({
        query: { pk: { eq: 'R#1' }, version: { gt: 2 } },
        filter: { type: { ne: 'Deleted' } },
        index: 'byVersion',
        limit: 50,
        nextToken: 'tok',
        scanIndexForward: false,
        consistentRead: true,
        select: 'ALL_ATTRIBUTES',
      }),
    ).toEqual({
      operation: 'Query',
      query: {
        expression: '#pk = :pk_eq AND #version > :version_gt',
        expressionNames: { '#pk': 'pk', '#version': 'version' },
        expressionValues: { ':pk_eq': { S: 'R#1' }, ':version_gt': { N: 2 } },
      },
      index: 'byVersion',
      nextToken: 'tok',
      limit: 50,
      scanIndexForward: false,
      consistentRead: true,
      select: 'ALL_ATTRIBUTES',
      filter: { expression: '(#type <> :type_ne)', expressionNames: { '#type': 'type' }, expressionValues: { ':type_ne': { S: 'Deleted' } } },
    });
  });

  it.each([
    { sortKey: { beginsWith: 'Metadata#' }, expression: '#pk = :pk_eq AND begins_with(#sk, :sk_beginsWith)' },
    { sortKey: { between: [1, 5] }, expression: '#pk = :pk_eq AND #sk BETWEEN :sk_between_start AND :sk_between_end' },
    { sortKey: { le: 3 }, expression: '#pk = :pk_eq AND #sk <= :sk_le' },
  ])('key condition $expression', ({ sortKey, expression }) => {
    expect((ddb.query({ query: { pk: { eq: 'x' }, sk: sortKey } }).query as { expression: string }).expression).toBe(expression);
  });

  it('refuses an operator a key condition cannot use', () => {
    expect(() => ddb.query({ query: { pk: { contains: 'x' } } })).toThrow(TypeError);
  });

  it('scan({ limit, nextToken }) as documented, null options left out', () => {
    expect(ddb.scan({ limit: 10, nextToken: null })).toEqual({ operation: 'Scan', limit: 10 });
  });

  it('scan with segments, projection and a filter', () => {
    expect(ddb.scan({ totalSegments: 4, segment: 1, projection: ['channel'], filter: { status: { eq: 'ACTIVE' } } })).toEqual({
      operation: 'Scan',
      totalSegments: 4,
      segment: 1,
      filter: { expression: '(#status = :status_eq)', expressionNames: { '#status': 'status' }, expressionValues: { ':status_eq': { S: 'ACTIVE' } } },
      projection: { expression: '#channel', expressionNames: { '#channel': 'channel' } },
    });
  });

  it('sync({ limit, nextToken, lastSync }) as documented', () => {
    expect(ddb.sync({ limit: 10, nextToken: undefined, lastSync: 1700000000000 })).toEqual({ operation: 'Sync', limit: 10, lastSync: 1700000000000 });
  });
});

describe('batch and transaction requests', () => {
  it('batchGet as documented', () => {
    expect(ddb.batchGet({ tables: { post: { keys: [{ id: '1' }, { id: '2' }], consistentRead: false, projection: ['id', 'name'] } } })).toEqual({
      operation: 'BatchGetItem',
      tables: {
        post: {
          keys: [{ id: { S: '1' } }, { id: { S: '2' } }],
          consistentRead: false,
          projection: { expression: '#id, #name', expressionNames: { '#id': 'id', '#name': 'name' } },
        },
      },
    });
  });

  it('batchPut and batchDelete as documented', () => {
    expect(ddb.batchPut({ tables: { post: [{ id: 'one', value: 'x' }] } })).toEqual({
      operation: 'BatchPutItem',
      tables: { post: [{ id: { S: 'one' }, value: { S: 'x' } }] },
    });
    expect(ddb.batchDelete({ tables: { post: [{ id: 'one' }], comment: [{ id: 'one', comment: 'x' }] } })).toEqual({
      operation: 'BatchDeleteItem',
      tables: { post: [{ id: { S: 'one' } }], comment: [{ id: { S: 'one' }, comment: { S: 'x' } }] },
    });
  });

  it('transactGet as documented', () => {
    expect(ddb.transactGet({ items: [{ table: 'post', key: { id: '1' }, projection: ['name'] }] })).toEqual({
      operation: 'TransactGetItems',
      transactItems: [{ table: 'post', key: { id: { S: '1' } }, projection: { expression: '#name', expressionNames: { '#name': 'name' } } }],
    });
  });

  it('transactWrite: an event and its unique-constraint item, as the event store writes them', () => {
    expect(
      ddb.transactWrite({
        items: [
          { putItem: { table: 'events', key: { pk: 'R#1', version: 1 }, item: { type: 'Created' }, condition: { pk: { attributeExists: false } } } },
          { putItem: { table: 'events', key: { pk: 'ROOM#7#2026-01-01', version: 0 }, item: {}, condition: { pk: { attributeExists: false } } } },
          { updateItem: { table: 'counters', key: { id: 'c' }, update: { n: operations.increment() } } },
          { deleteItem: { table: 'post', key: { id: '2' } } },
          { conditionCheck: { table: 'post', key: { id: '3' }, condition: { id: { attributeExists: true } } } },
        ],
      }),
    ).toEqual({
      operation: 'TransactWriteItems',
      transactItems: [
        {
          table: 'events',
          operation: 'PutItem',
          key: { pk: { S: 'R#1' }, version: { N: 1 } },
          attributeValues: { type: { S: 'Created' } },
          condition: { expression: '(attribute_not_exists(#pk))', expressionNames: { '#pk': 'pk' } },
        },
        {
          table: 'events',
          operation: 'PutItem',
          key: { pk: { S: 'ROOM#7#2026-01-01' }, version: { N: 0 } },
          attributeValues: {},
          condition: { expression: '(attribute_not_exists(#pk))', expressionNames: { '#pk': 'pk' } },
        },
        {
          table: 'counters',
          operation: 'UpdateItem',
          key: { id: { S: 'c' } },
          update: { expression: 'ADD #n :n', expressionNames: { '#n': 'n' }, expressionValues: { ':n': { N: 1 } } },
        },
        { table: 'post', operation: 'DeleteItem', key: { id: { S: '2' } } },
        {
          table: 'post',
          operation: 'ConditionCheck',
          key: { id: { S: '3' } },
          condition: { expression: '(attribute_exists(#id))', expressionNames: { '#id': 'id' } },
        },
      ],
    });
  });

  it('refuses a transactWrite item of no known kind', () => {
    expect(() => ddb.transactWrite({ items: [{ upsert: {} }] })).toThrow(TypeError);
  });
});

describe('set helpers of the module', () => {
  it.each([
    { call: () => ddb.toStringSet(['a', 'b', 'c']), expected: { SS: ['a', 'b', 'c'] } },
    // The module's typings document numbers as strings here: { "NS": ["1", "2", "3"] }.
    { call: () => ddb.toNumberSet([1, 2, 3]), expected: { NS: ['1', '2', '3'] } },
    { call: () => ddb.toBinarySet(['SGVsbG8=', 'V29ybGQ=']), expected: { BS: ['SGVsbG8=', 'V29ybGQ='] } },
  ])('$expected', ({ call, expected }) => {
    expect(call()).toEqual(expected);
  });

  it('a set in an update is stored as a set, not a map', () => {
    expect(ddb.update({ key: { id: 'x' }, update: { segments: ddb.toStringSet(['a', 'b']) } }).update).toEqual({
      expression: 'SET #segments = :segments',
      expressionNames: { '#segments': 'segments' },
      expressionValues: { ':segments': { SS: ['a', 'b'] } },
    });
  });
});
