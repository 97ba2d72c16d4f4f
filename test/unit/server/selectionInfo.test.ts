/**
 * `ctx.info.selectionSetList` and `ctx.info.selectionSetGraphQL` as a resolver sees them through the local API. The
 * server prints them once per document it keeps, so these check that a repeated operation still sees its own
 * selection, and that what one handler does to its copy never reaches the next request.
 */
import { describe, expect, it } from 'vitest';
import { LocalGraphqlApi, noneDataSource, type AppSyncApiModel } from '../../../local/index.ts';

const SCHEMA = `type Info @aws_api_key { list: [String] printed: String nested: Info }
type Query { info: Info }
schema { query: Query }`;

// The handler changes its own copy of the list: AppSync hands each resolver its own ctx.
const ECHO_SELECTION = `export function request(ctx) {
  ctx.info.selectionSetList.push('added by the handler');
  return { payload: { list: ctx.info.selectionSetList, printed: ctx.info.selectionSetGraphQL } };
}
export function response(ctx) { return ctx.result; }`;

const apiKey = { mode: 'API_KEY' as const, identity: null };
const meta = { headers: {}, sourceIp: '127.0.0.1', domainName: null };

function echoApi(): LocalGraphqlApi {
  const model: AppSyncApiModel = {
    logicalId: 'SelectionApi',
    apiId: 'selectionapi',
    name: 'selection',
    arn: 'arn:aws:appsync:us-east-1:123456789012:apis/selectionapi',
    schema: SCHEMA,
    defaultAuthentication: 'API_KEY',
    additionalAuthentications: [],
    hasApiKey: true,
    environment: {},
    dataSources: { None: { name: 'None', type: 'NONE' } },
    functions: {},
    resolvers: [{ typeName: 'Query', fieldName: 'info', kind: 'UNIT', code: ECHO_SELECTION, dataSourceName: 'None', functionIds: [] }],
  };
  return new LocalGraphqlApi(model, { apiKey: 'selection', accountId: '123456789012', dataSources: { None: noneDataSource } });
}

describe('a resolver’s selection info', () => {
  it('is the same for each repeat of an operation, whatever the handler did to its copy', async () => {
    const api = echoApi();
    const query = '{ info { list printed } }';
    const first = await api.execute({ query }, apiKey, meta);
    const second = await api.execute({ query }, apiKey, meta);
    expect(first).toEqual({
      data: { info: { list: ['list', 'printed', 'added by the handler'], printed: '{\n  list\n  printed\n}' } },
    });
    expect(second).toEqual(first);
    await api.close();
  });

  it('follows each operation’s own selection, nested fields as parent/child', async () => {
    const api = echoApi();
    await api.execute({ query: '{ info { list } }' }, apiKey, meta);
    const other = await api.execute({ query: '{ info { printed nested { list } list } }' }, apiKey, meta);
    expect(other).toEqual({
      data: {
        info: {
          printed: '{\n  printed\n  nested {\n    list\n  }\n  list\n}',
          nested: null,
          list: ['printed', 'nested', 'nested/list', 'list', 'added by the handler'],
        },
      },
    });
    await api.close();
  });
});
