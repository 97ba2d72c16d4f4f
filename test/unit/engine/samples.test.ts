/**
 * Resolvers written the way AWS's public samples write them (aws-samples/aws-appsync-resolver-samples:
 * one file per Type.field, `@aws-appsync/utils/dynamodb` helpers, `ctx.error` checked in the
 * response), run through the engine against a small in-memory table.
 */
import { describe, expect, it } from 'vitest';
import { createResolver, identityOf, loadCode, noneDataSource, type DataSource } from '../../../local/engine/index.ts';

type AttributeValue = {
  S?: string;
  N?: number | string;
  BOOL?: boolean;
  NULL?: null;
  M?: Record<string, AttributeValue>;
  L?: AttributeValue[];
};

function plain(value: AttributeValue): unknown {
  if (value.S !== undefined) return value.S;
  if (value.N !== undefined) return Number(value.N);
  if (value.BOOL !== undefined) return value.BOOL;
  if (value.M !== undefined) return Object.fromEntries(Object.entries(value.M).map(([k, v]) => [k, plain(v)]));
  if (value.L !== undefined) return value.L.map(plain);
  return null;
}

/**
 * Just enough of the DynamoDB data source for these samples: GetItem, PutItem (with an
 * attribute_not_exists condition), Query on a partition key; items keyed by their `id`.
 */
function inMemoryTable(items: Record<string, unknown>[] = []): DataSource & { items: Map<string, Record<string, unknown>> } {
  const stored = new Map(items.map((item) => [String(item.id), item]));
  return {
    items: stored,
    invoke(request) {
      const r = request as {
        operation: string;
        key?: Record<string, AttributeValue>;
        attributeValues?: Record<string, AttributeValue>;
        condition?: { expression: string };
        query?: { expressionValues: Record<string, AttributeValue> };
        limit?: number;
      };
      const key = r.key ? (plain({ M: r.key }) as Record<string, unknown>) : {};
      switch (r.operation) {
        case 'GetItem':
          return Promise.resolve({ result: stored.get(String(key.id)) ?? null });
        case 'PutItem': {
          const item = { ...(plain({ M: r.attributeValues ?? {} }) as object), ...key } as Record<string, unknown>;
          if (r.condition?.expression.includes('attribute_not_exists') && stored.has(String(key.id))) {
            return Promise.resolve({
              error: { message: 'The conditional request failed', type: 'DynamoDB:ConditionalCheckFailedException' },
            });
          }
          stored.set(String(key.id), item);
          return Promise.resolve({ result: item });
        }
        case 'Query': {
          const listId = plain(Object.values(r.query?.expressionValues ?? {})[0] as AttributeValue);
          const found = [...stored.values()].filter((item) => item.listId === listId).slice(0, r.limit ?? 100);
          return Promise.resolve({ result: { items: found, nextToken: null, scannedCount: found.length } });
        }
        default:
          return Promise.resolve({ error: { message: `unsupported ${r.operation}`, type: 'DynamoDB:ValidationException' } });
      }
    },
  };
}

// Query.getTodo.js
const getTodo = `import { util } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';

export function request(ctx) {
  return ddb.get({ key: { id: ctx.args.id } });
}

export function response(ctx) {
  const { error, result } = ctx;
  if (error) {
    return util.appendError(error.message, error.type, result);
  }
  return result;
}
`;

// Mutation.createTodo.js
const createTodo = `import { util } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';

export function request(ctx) {
  const { input } = ctx.args;
  const id = input.id ?? util.autoId();
  const item = { ...input, createdAt: util.time.nowISO8601(), owner: ctx.identity?.sub ?? null };
  return ddb.put({ key: { id }, item, condition: { id: { attributeExists: false } } });
}

export function response(ctx) {
  if (ctx.error) {
    util.error(ctx.error.message, ctx.error.type);
  }
  return ctx.result;
}
`;

// functions/checkListOwner.js: a pipeline step that authorizes the caller from the stored list.
const checkListOwner = `import { util } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';

export function request(ctx) {
  return ddb.get({ key: { id: ctx.args.listId } });
}

export function response(ctx) {
  if (ctx.error) util.error(ctx.error.message, ctx.error.type);
  if (!ctx.result) util.error('List ' + ctx.args.listId + ' not found', 'NotFound');
  const groups = ctx.identity?.groups ?? [];
  if (ctx.result.owner !== ctx.identity?.sub && !groups.includes('admins')) util.unauthorized();
  ctx.stash.list = ctx.result;
  return ctx.result;
}
`;

// functions/listTodos.js
const listTodos = `import * as ddb from '@aws-appsync/utils/dynamodb';

export function request(ctx) {
  return ddb.query({ query: { listId: { eq: ctx.args.listId } }, limit: ctx.args.limit ?? 20, nextToken: ctx.args.nextToken });
}

export function response(ctx) {
  const { items = [], nextToken } = ctx.result;
  return { items: items.map((item) => ({ ...item, listName: ctx.stash.list.name })), nextToken };
}
`;

// Query.todosOfList.js: the pipeline's before/after handlers.
const todosOfList = `export function request(ctx) {
  return {};
}

export function response(ctx) {
  return ctx.prev.result;
}
`;

// Subscription.onTodoSaved.js: enhanced filtering set by the resolver.
const onTodoSaved = `import { util, extensions } from '@aws-appsync/utils';

export function request(ctx) {
  return { payload: null };
}

export function response(ctx) {
  extensions.setSubscriptionFilter(util.transform.toSubscriptionFilter({ listId: { eq: ctx.args.listId } }));
  return null;
}
`;

const alice = identityOf({
  authMode: 'AMAZON_COGNITO_USER_POOLS',
  sub: 'alice',
  issuer: 'https://cognito-idp.local/pool',
  username: 'alice',
});
const bob = identityOf({ authMode: 'AMAZON_COGNITO_USER_POOLS', sub: 'bob', issuer: 'https://cognito-idp.local/pool', username: 'bob' });

describe('resolvers in the style of the AWS samples', () => {
  it('gets an item by id with a unit DynamoDB resolver', async () => {
    const table = inMemoryTable([{ id: 't1', title: 'Buy milk' }]);
    const resolver = createResolver(
      { kind: 'UNIT', typeName: 'Query', fieldName: 'getTodo', code: loadCode(getTodo, { file: 'Query.getTodo.js' }), dataSource: 'todos' },
      { todos: table },
    );

    expect(await resolver.resolve({ arguments: { id: 't1' } })).toMatchObject({ data: { id: 't1', title: 'Buy milk' }, errors: [] });
    expect(await resolver.resolve({ arguments: { id: 'nope' } })).toMatchObject({ data: null, errors: [] });
  });

  it('creates an item once with a conditional put, and reports the conflict of a second create', async () => {
    const table = inMemoryTable();
    const resolver = createResolver(
      {
        kind: 'UNIT',
        typeName: 'Mutation',
        fieldName: 'createTodo',
        code: loadCode(createTodo, { file: 'Mutation.createTodo.js' }),
        dataSource: 'todos',
      },
      { todos: table },
    );
    const call = { arguments: { input: { id: 't1', title: 'Write tests', listId: 'l1' } }, identity: alice };

    const created = await resolver.resolve(call);
    const again = await resolver.resolve(call);

    expect(created.errors).toEqual([]);
    expect(created.data).toMatchObject({
      id: 't1',
      title: 'Write tests',
      owner: 'alice',
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(again.data).toBeNull();
    expect(again.errors).toEqual([
      expect.objectContaining({
        message: 'The conditional request failed',
        errorType: 'DynamoDB:ConditionalCheckFailedException',
        path: ['createTodo'],
      }),
    ]);
  });

  it('gives a new item a generated id when the input has none', async () => {
    const table = inMemoryTable();
    const resolver = createResolver(
      { kind: 'UNIT', typeName: 'Mutation', fieldName: 'createTodo', code: loadCode(createTodo), dataSource: 'todos' },
      { todos: table },
    );

    const { data } = await resolver.resolve({ arguments: { input: { title: 'No id' } }, identity: alice });

    expect((data as { id: string }).id).toMatch(/^[0-9a-f-]{36}$/);
    expect(table.items.size).toBe(1);
  });

  describe('a pipeline that authorizes, then queries', () => {
    const build = (table: DataSource) =>
      createResolver(
        {
          kind: 'PIPELINE',
          typeName: 'Query',
          fieldName: 'todosOfList',
          code: loadCode(todosOfList, { file: 'Query.todosOfList.js' }),
          functions: [
            { name: 'checkListOwner', code: loadCode(checkListOwner, { file: 'functions/checkListOwner.js' }), dataSource: 'todos' },
            { name: 'listTodos', code: loadCode(listTodos, { file: 'functions/listTodos.js' }), dataSource: 'todos' },
          ],
        },
        { todos: table },
      );
    const table = () =>
      inMemoryTable([
        { id: 'l1', name: 'Groceries', owner: 'alice' },
        { id: 't1', listId: 'l1', title: 'Milk' },
        { id: 't2', listId: 'l1', title: 'Eggs' },
        { id: 't3', listId: 'l2', title: 'Other' },
      ]);

    it("returns the owner's items, enriched from the stash", async () => {
      const result = await build(table()).resolve({ arguments: { listId: 'l1' }, identity: alice });
      expect(result.errors).toEqual([]);
      expect(result.data).toEqual({
        items: [
          { id: 't1', listId: 'l1', title: 'Milk', listName: 'Groceries' },
          { id: 't2', listId: 'l1', title: 'Eggs', listName: 'Groceries' },
        ],
        nextToken: null,
      });
    });

    it('refuses another user with Unauthorized, and never queries', async () => {
      const result = await build(table()).resolve({ arguments: { listId: 'l1' }, identity: bob });
      expect(result.data).toBeNull();
      expect(result.errors).toEqual([
        expect.objectContaining({ errorType: 'Unauthorized', message: 'Not Authorized to access todosOfList on type Query' }),
      ]);
    });

    it('lets an admin through by Cognito group', async () => {
      const admin = identityOf({
        authMode: 'AMAZON_COGNITO_USER_POOLS',
        sub: 'carol',
        issuer: 'https://cognito-idp.local/pool',
        username: 'carol',
        groups: ['admins'],
      });
      const result = await build(table()).resolve({ arguments: { listId: 'l1' }, identity: admin });
      expect((result.data as { items: unknown[] }).items).toHaveLength(2);
    });

    it('fails with NotFound for an unknown list', async () => {
      const result = await build(table()).resolve({ arguments: { listId: 'zz' }, identity: alice });
      expect(result.errors).toEqual([expect.objectContaining({ message: 'List zz not found', errorType: 'NotFound' })]);
    });
  });

  it('sets an enhanced subscription filter from a subscription resolver on the NONE data source', async () => {
    const resolver = createResolver(
      { kind: 'UNIT', typeName: 'Subscription', fieldName: 'onTodoSaved', code: loadCode(onTodoSaved), dataSource: 'NONE' },
      { NONE: noneDataSource },
    );

    const result = await resolver.resolve({ arguments: { listId: 'l1' } });

    expect(result.data).toBeNull();
    expect(result.extensions.subscriptionFilter).toEqual({
      filterGroup: [{ filters: [{ fieldName: 'listId', operator: 'eq', value: 'l1' }] }],
    });
  });
});
