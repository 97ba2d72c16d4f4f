/**
 * `update()` and `operations.*` of `@aws-appsync/utils/dynamodb`, as AWS writes them (every change a SET,
 * `#expName_N`/`:expValue_N`), run against DynamoDB Local through the AppSync data source: the requests
 * are valid DynamoDB, and they behave as on AWS, where incrementing an attribute the item lacks fails
 * (a SET of `p = p + n`, not an ADD; reported in the Korean write-up "AppSync DynamoDB Javascript
 * Resolver에서 update increment, decrement", which is why it switched to VTL for counters).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppSyncDynamoDbDataSource } from '../../../local/index.ts';
import { createResolver, loadCode } from '../../../local/index.ts';
import { useDynamoDbLocal } from '../../helpers/dynamoDbLocal.ts';

const local = useDynamoDbLocal({
  resources: {
    Counters: {
      Type: 'AWS::DynamoDB::Table',
      Properties: {
        TableName: 'counters',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      },
    },
  },
});
let table: AppSyncDynamoDbDataSource;
beforeAll(() => {
  table = new AppSyncDynamoDbDataSource({ endpoint: local.db.endpoint, tableName: 'counters' });
});
afterAll(() => table.close());

/** Runs `update({ key: { id }, update: <updateSource> })` as a unit resolver on the table, answering ctx.result or the error. */
async function runUpdate(
  id: string,
  updateSource: string,
): Promise<{ data: unknown; errors: { message: string; errorType?: string | null }[] }> {
  const code = loadCode(
    "import { util } from '@aws-appsync/utils';\nimport { update, operations } from '@aws-appsync/utils/dynamodb';\n" +
      `export function request(ctx) { return update({ key: { id: ctx.args.id }, update: ${updateSource} }); }\n` +
      'export function response(ctx) { if (ctx.error) { util.error(ctx.error.message, ctx.error.type); } return ctx.result; }',
  );
  const resolver = createResolver(
    { kind: 'UNIT', typeName: 'Mutation', fieldName: 'change', dataSource: 'counters', code },
    { counters: table },
  );
  const { data, errors } = await resolver.resolve({ arguments: { id } });
  return { data, errors };
}

describe('updates written as AWS writes them, on DynamoDB Local', () => {
  it('sets plain values, null as NULL, then increments, decrements and appends what exists', async () => {
    expect((await runUpdate('c1', "{ n: 10, tags: ['a'], note: null }")).data).toEqual({ id: 'c1', n: 10, tags: ['a'], note: null });
    expect((await runUpdate('c1', "{ n: operations.increment(5), tags: operations.append(['b']) }")).data).toEqual({
      id: 'c1',
      n: 15,
      tags: ['a', 'b'],
      note: null,
    });
    expect(
      (await runUpdate('c1', "{ n: operations.decrement(1), tags: operations.prepend(['z']), note: operations.remove() }")).data,
    ).toEqual({ id: 'c1', n: 14, tags: ['z', 'a', 'b'] });
    expect((await runUpdate('c1', "{ tags: [operations.updateListItem('y', 0)] }")).data).toEqual({
      id: 'c1',
      n: 14,
      tags: ['y', 'a', 'b'],
    });
  });

  it('fails to increment an attribute the item lacks, as on AWS (SET p = p + n, not ADD)', async () => {
    const { data, errors } = await runUpdate('c2', '{ n: operations.increment(1) }');
    expect(data).toBeNull();
    expect(errors).toEqual([
      expect.objectContaining({
        errorType: 'DynamoDB:DynamoDbException',
        message: expect.stringContaining('The provided expression refers to an attribute that does not exist in the item'),
      }),
    ]);
  });
});
