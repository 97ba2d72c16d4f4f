/**
 * AppSync's per-API limits, as the local server applies them when the
 * template sets them (`QueryDepthLimit` 1–75, `ResolverCountLimit` 1–10 000;
 * defaults: no depth limit, 10 000 resolvers). Served from the template's API
 * over an empty stub store: no stack needed.
 */
import { describe, expect, inject, it } from 'vitest';
import { noneDataSource, type DataSource } from '../../../local/engine/index.ts';
import { LocalGraphqlApi } from '../../../local/server/graphqlApi.ts';
import { readCloudAssembly } from '../../../local/template/cloudAssembly.ts';
import { VALID_ULID } from '../../fixtures/badRequests.ts';

const emptyStore: DataSource = { invoke: () => Promise.resolve({ result: { items: [], nextToken: null } }) };
const apiKey = { mode: 'API_KEY' as const, identity: null };
const meta = { headers: {}, sourceIp: '127.0.0.1', domainName: null };

function apiWith(limits: { queryDepthLimit?: number; resolverCountLimit?: number }): LocalGraphqlApi {
  const model = readCloudAssembly(inject('cdkOut')).apis[0]!;
  const dataSources = Object.fromEntries(Object.values(model.dataSources).map((source) => [source.name, source.type === 'AMAZON_DYNAMODB' ? emptyStore : noneDataSource]));
  return new LocalGraphqlApi(model, { apiKey: 'limits', accountId: '123456789012', dataSources, limits });
}

describe('query depth limit', () => {
  it('refuses an operation nested deeper than the limit, before any resolver runs', async () => {
    const api = apiWith({ queryDepthLimit: 1 });
    const answer = await api.execute({ query: `{ getReservation(id: "${VALID_ULID}") { id } }` }, apiKey, meta);
    expect(answer).toEqual({ data: null, errors: [{ errorType: 'QueryDepthLimitExceeded', message: 'Query depth limit of 1 exceeded: the operation nests 2 levels.', path: null }] });
    expect(await api.execute({ query: '{ __typename }' }, apiKey, meta)).toEqual({ data: { __typename: 'Query' } });
  });

  it('counts levels through fragments', async () => {
    const api = apiWith({ queryDepthLimit: 1 });
    const answer = await api.execute({ query: `{ ...F } fragment F on Query { getReservation(id: "${VALID_ULID}") { id } }` }, apiKey, meta);
    expect(answer.errors?.[0]).toMatchObject({ errorType: 'QueryDepthLimitExceeded' });
  });

  it('has no depth limit by default, as AppSync', async () => {
    const answer = await apiWith({}).execute({ query: `{ getReservation(id: "${VALID_ULID}") { id } }` }, apiKey, meta);
    expect(answer).toEqual({ data: { getReservation: null } });
  });
});

describe('resolver count limit', () => {
  it('refuses the fields beyond the limit, field by field', async () => {
    const api = apiWith({ resolverCountLimit: 1 });
    const answer = await api.execute({ query: `{ a: getReservation(id: "${VALID_ULID}") { id } b: getReservation(id: "${VALID_ULID}") { id } }` }, apiKey, meta);
    expect(answer.data).toEqual({ a: null, b: null });
    expect(answer.errors).toEqual([expect.objectContaining({ errorType: 'ResolverCountLimitExceeded', message: 'Resolver count limit of 1 exceeded: the request invokes more resolvers.', path: ['b'] })]);
  });

  it('allows 10 000 resolver invocations by default', async () => {
    const query = `{ ${Array.from({ length: 10_001 }, (_, index) => `a${index}: getReservation(id: "${VALID_ULID}") { id }`).join(' ')} }`;
    const answer = await apiWith({}).execute({ query }, apiKey, meta);
    expect(answer.errors).toHaveLength(1);
    expect(answer.errors?.[0]).toMatchObject({ errorType: 'ResolverCountLimitExceeded', path: ['a10000'] });
  }, 60_000);
});
