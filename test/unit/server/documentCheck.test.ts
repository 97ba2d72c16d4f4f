/**
 * The document check the worker runs on every new document: tokens bounded before parsing,
 * syntax and validation answered as the local server always answered them, each error once.
 * The schema is this project's, through the AppSync simulator's builder (AppSync's scalars).
 */
import { Source } from 'graphql';
import { appSyncSchemaDefinition } from '../../../infra/schema.ts';
import { generateResolvers } from '@aws-amplify/amplify-appsync-simulator/lib/schema/index.js';
import { describe, expect, it } from 'vitest';
import { checkDocument, tokenCount } from '../../../local/server/documentCheck/documentCheck.ts';
import { jsonValueCount, readRequestBody } from '../../../local/server/documentCheck/requestBody.ts';

const schema = generateResolvers(new Source(appSyncSchemaDefinition()), [], {} as never);
const limits = { documentTokens: 100, overlapComparisons: 1_000 };

describe('tokens', () => {
  it('counts a document no further than one past the limit', () => {
    expect(tokenCount('{ a b c }', 100)).toBe(5);
    expect(tokenCount(`{ ${'a '.repeat(1_000)} }`, 100)).toBe(101);
  });

  it('refuses a document over the limit before parsing it, in graphql-java’s words', () => {
    expect(checkDocument(schema, `{ ${'__typename '.repeat(100)} }`, limits)).toEqual({
      ok: false,
      errors: [
        {
          errorType: 'MalformedHttpRequestException',
          message:
            "Validation error of type InvalidSyntax: More than 100 'grammar' tokens have been presented. To prevent Denial Of Service attacks, parsing has been cancelled. Split the operation, or send repeated data as variables.",
          path: null,
        },
      ],
    });
    expect(checkDocument(schema, `{ ${'__typename '.repeat(98)} }`, limits)).toMatchObject({ ok: true });
  });
});

describe('syntax and validation', () => {
  it('answers a syntax error with its location', () => {
    expect(checkDocument(schema, '{ getReservation(id: ) { id } }', limits)).toEqual({
      ok: false,
      errors: [
        {
          errorType: 'MalformedHttpRequestException',
          message: 'Validation error of type InvalidSyntax: Syntax Error: Unexpected ")".',
          locations: [{ line: 1, column: 22, sourceName: null }],
          path: null,
        },
      ],
    });
  });

  it('checks literals against AppSync’s scalars', () => {
    const check = checkDocument(
      schema,
      'mutation { createReservation(input: { userId: "u", roomId: "r", dateStart: "2035-02-30", dateEnd: "2035-03-02" }) { id } }',
      { documentTokens: 1_000, overlapComparisons: 1_000 },
    );
    expect(check).toMatchObject({ ok: false, errors: [{ errorType: 'ValidationError', message: expect.stringContaining('AWSDate') }] });
  });

  it('reports an error on repeated fields once, and says where the repeats were', () => {
    const query = `{ ${'nothing '.repeat(50)} }`;
    const check = checkDocument(schema, query, limits);
    expect(check).toEqual({
      ok: false,
      errors: [
        {
          errorType: 'ValidationError',
          message: 'Validation error: Cannot query field "nothing" on type "Query".',
          locations: [{ line: 1, column: 3, sourceName: null }],
          path: null,
        },
      ],
    });
    const valid = checkDocument(schema, '{ __typename __typename }', limits);
    expect(valid).toEqual({ ok: true, repeats: [[13, 23]], fields: 1 });
  });

  it('refuses, before validating, a document whose merge check grows with the square of its width', () => {
    const spreads = Array.from({ length: 50 }, (_, index) => `...F${index}`).join(' ');
    const fragments = Array.from({ length: 50 }, (_, index) => `fragment F${index} on Query { f${index}: __typename }`).join(' ');
    expect(checkDocument(schema, `{ ${spreads} } ${fragments}`, { documentTokens: 10_000, overlapComparisons: 1_000 })).toEqual({
      ok: false,
      errors: [
        {
          errorType: 'ValidationError',
          message:
            'Validation error: checking which fields may merge would take 2500 pairwise comparisons (fields sharing a response name, fragments spread side by side), more than the 1000 the local server makes for one document. Give the fields different aliases, or spread fewer fragments in one selection.',
          path: null,
        },
      ],
    });
    expect(checkDocument(schema, `{ ${spreads} } ${fragments}`, { documentTokens: 10_000, overlapComparisons: 10_000 })).toMatchObject({
      ok: true,
    });
  });

  it('still counts a subscription’s root fields as written', () => {
    const check = checkDocument(schema, 'subscription { onReservationSaved(id: "1") { id } onReservationSaved(id: "1") { id } }', limits);
    expect(check).toMatchObject({
      ok: false,
      errors: [{ errorType: 'ValidationError', message: 'Validation error: Anonymous Subscription must select only one top level field.' }],
    });
  });

  it('refuses a fragment cycle instead of overflowing the stack', () => {
    const check = checkDocument(schema, '{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }', limits);
    expect(check).toMatchObject({
      ok: false,
      errors: [{ errorType: 'ValidationError', message: expect.stringContaining('Cannot spread fragment "A" within itself') }],
    });
  });
});

describe('request bodies', () => {
  it('reads a body and counts its variables', () => {
    expect(readRequestBody('{"query": "{ a }", "variables": {"ids": [1, 2]}}', 10)).toEqual({
      kind: 'json',
      body: { query: '{ a }', variables: { ids: [1, 2] } },
    });
    expect(readRequestBody('{"query": ', 10)).toEqual({ kind: 'not-json' });
  });

  it('refuses variables holding more values than the limit, without walking them all', () => {
    expect(
      readRequestBody(JSON.stringify({ query: '{ a }', variables: { ids: Array.from({ length: 100_000 }, (_, index) => index) } }), 10),
    ).toEqual({ kind: 'too-many-variable-values', count: 11 });
    expect(jsonValueCount({ a: [1, { b: null }] }, 10)).toBe(5);
  });

  it('counts deeply nested variables without overflowing the stack', () => {
    const deep = JSON.parse(`${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`) as unknown;
    expect(jsonValueCount(deep, 1_000_000)).toBe(100_001);
  });
});
