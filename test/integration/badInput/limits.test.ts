/**
 * AppSync's per-API limits, as the local server applies them when the
 * template sets them (`QueryDepthLimit` 1–75, `ResolverCountLimit` 1–10 000;
 * defaults: no depth limit, 10 000 resolvers). Served from the template's API
 * over an empty stub store: no stack needed.
 */
import { describe, expect, inject, it } from 'vitest';
import { noneDataSource, type DataSource } from '../../../local/index.ts';
import { LocalGraphqlApi, type LocalGraphqlApiOptions } from '../../../local/index.ts';
import { readCoreAssembly } from '../../../dev/localCore.ts';
import { VALID_ULID } from '../../fixtures/badRequests.ts';

const emptyStore: DataSource = { invoke: () => Promise.resolve({ result: { items: [], nextToken: null } }) };
const apiKey = { mode: 'API_KEY' as const, identity: null };
const meta = { headers: {}, sourceIp: '127.0.0.1', domainName: null };

function apiWith(limits: NonNullable<LocalGraphqlApiOptions['limits']>): LocalGraphqlApi {
  const model = readCoreAssembly(inject('cdkOut')).apis[0]!;
  const dataSources = Object.fromEntries(
    Object.values(model.dataSources).map((source) => [source.name, source.type === 'AMAZON_DYNAMODB' ? emptyStore : noneDataSource]),
  );
  return new LocalGraphqlApi(model, { apiKey: 'limits', accountId: '123456789012', dataSources, limits });
}

describe('query depth limit', () => {
  it('refuses an operation nested deeper than the limit, before any resolver runs', async () => {
    const api = apiWith({ queryDepthLimit: 1 });
    const answer = await api.execute({ query: `{ getReservation(id: "${VALID_ULID}") { id } }` }, apiKey, meta);
    expect(answer).toEqual({
      data: null,
      errors: [
        { errorType: 'QueryDepthLimitExceeded', message: 'Query depth limit of 1 exceeded: the operation nests 2 levels.', path: null },
      ],
    });
    expect(await api.execute({ query: '{ __typename }' }, apiKey, meta)).toEqual({ data: { __typename: 'Query' } });
  });

  it('counts levels through fragments', async () => {
    const api = apiWith({ queryDepthLimit: 1 });
    const answer = await api.execute(
      { query: `{ ...F } fragment F on Query { getReservation(id: "${VALID_ULID}") { id } }` },
      apiKey,
      meta,
    );
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
    const answer = await api.execute(
      { query: `{ a: getReservation(id: "${VALID_ULID}") { id } b: getReservation(id: "${VALID_ULID}") { id } }` },
      apiKey,
      meta,
    );
    expect(answer.data).toEqual({ a: null, b: null });
    expect(answer.errors).toEqual([
      expect.objectContaining({
        errorType: 'ResolverCountLimitExceeded',
        message: 'Resolver count limit of 1 exceeded: the request invokes more resolvers.',
        path: ['b'],
      }),
    ]);
  });

  it('allows 10 000 resolver invocations by default', async () => {
    const query = `{ ${Array.from({ length: 10_001 }, (_, index) => `a${index}: getReservation(id: "${VALID_ULID}") { id }`).join(' ')} }`;
    const answer = await apiWith({}).execute({ query }, apiKey, meta);
    expect(answer.errors).toHaveLength(1);
    expect(answer.errors?.[0]).toMatchObject({ errorType: 'ResolverCountLimitExceeded', path: ['a10000'] });
  }, 60_000);
});

/**
 * AppSync's quotas and the server's chosen bounds (local/server/serverLimits.ts). Where a limit takes long to
 * reach, the test shrinks it: the same code refuses at 30 s as at 200 ms.
 */
describe('request limits', () => {
  it('holds AppSync’s documented quotas unless told otherwise', () => {
    expect(apiWith({}).limits).toMatchObject({
      executionTimeoutMs: 30_000,
      subscriptionsPerConnection: 100,
      subscriptionPayloadBytes: 240 * 1024,
    });
  });

  it('answers AppSync’s ExecutionTimeout for each root field once the execution time has passed', async () => {
    // Stands in for a data source slower than the limit (AWS's own services cannot be made slow here).
    const neverAnswers: DataSource = { invoke: () => new Promise(() => undefined) };
    const model = readCoreAssembly(inject('cdkOut')).apis[0]!;
    const dataSources = Object.fromEntries(
      Object.values(model.dataSources).map((source) => [source.name, source.type === 'AMAZON_DYNAMODB' ? neverAnswers : noneDataSource]),
    );
    const api = new LocalGraphqlApi(model, {
      apiKey: 'limits',
      accountId: '123456789012',
      dataSources,
      limits: { executionTimeoutMs: 200 },
    });
    const answer = await api.execute(
      { query: `{\n  a: getReservation(id: "${VALID_ULID}") { id }\n  b: getReservationHistory(id: "${VALID_ULID}") { version }\n}` },
      apiKey,
      meta,
    );
    const timedOut = (path: string, line: number) => ({
      path: [path],
      data: null,
      errorType: 'ExecutionTimeout',
      errorInfo: null,
      locations: [{ line, column: 3, sourceName: null }],
      message: 'Execution timed out.',
    });
    // getReservationHistory is non-null: its null nulls the whole response, as graphql-js and AppSync do.
    expect(answer).toEqual({ data: null, errors: [timedOut('a', 2), timedOut('b', 3)] });
    expect(await api.execute({ query: `{ getReservation(id: "${VALID_ULID}") { id } }` }, apiKey, meta)).toEqual({
      data: { getReservation: null },
      errors: [timedOut('getReservation', 1)],
    });
  });

  it('refuses a document over the token limit, before parsing it', async () => {
    const answer = await apiWith({ documentTokens: 1_000 }).execute({ query: `{ ${'__typename '.repeat(1_000)}}` }, apiKey, meta);
    expect(answer.errors?.[0]).toMatchObject({
      errorType: 'MalformedHttpRequestException',
      message: expect.stringContaining("More than 1000 'grammar' tokens have been presented"),
    });
  });

  it('refuses variables holding more values than the limit', async () => {
    const answer = await apiWith({ variableValues: 100 }).execute(
      { query: 'query ($ids: [ID]) { __typename }', variables: { ids: Array.from({ length: 100 }, (_, index) => `id-${index}`) } },
      apiKey,
      meta,
    );
    expect(answer).toEqual({
      data: null,
      errors: [expect.objectContaining({ errorType: 'ValidationError', message: expect.stringContaining('more than 100 values') })],
    });
  });

  it('refuses a new document that takes longer than its validation budget, and validates the next', async () => {
    const spreads = Array.from({ length: 3_000 }, (_, index) => `...F${index}`).join(' ');
    const fragments = Array.from({ length: 3_000 }, (_, index) => `fragment F${index} on Query { f${index}: __typename }`).join(' ');
    // About 9 s of graphql-js 15's overlap rule (its comparison count allowed here), against a budget of 300 ms.
    const api = apiWith({ validationBudgetMs: 300, overlapComparisons: Number.MAX_SAFE_INTEGER });
    const answer = await api.execute({ query: `{ ${spreads} } ${fragments}` }, apiKey, meta);
    expect(answer.errors?.[0]).toMatchObject({
      errorType: 'ValidationError',
      message: expect.stringContaining('took more than 300 ms to validate'),
    });
    expect(await api.execute({ query: '{ __typename }' }, apiKey, meta)).toEqual({ data: { __typename: 'Query' } });
  });

  it('answers 40 000 repeated fields as one, and runs 1 200 root fields in pieces with the answer of one execution', async () => {
    const api = apiWith({});
    expect(await api.execute({ query: `{ ${'__typename '.repeat(40_000)}}` }, apiKey, meta)).toEqual({ data: { __typename: 'Query' } });
    const answer = await api.execute(
      { query: `{ ${Array.from({ length: 1_200 }, (_, index) => `a${index}: __typename`).join(' ')} }` },
      apiKey,
      meta,
    );
    expect(Object.keys(answer.data ?? {})).toEqual(Array.from({ length: 1_200 }, (_, index) => `a${index}`));
    expect(new Set(Object.values(answer.data ?? {}))).toEqual(new Set(['Query']));
  });
});
