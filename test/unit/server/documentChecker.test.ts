/**
 * The document-check worker, driven as the server drives it: any schema (fields with or without AppSync's
 * auth directives), large bodies handed over as bytes, and a job over its budget refused while the next is served.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { DocumentChecker } from '../../../local/server/documentCheck/documentChecker.ts';

const checker = new DocumentChecker(
  {
    schema: 'type Query { ping: String }',
    defaultAuthentication: 'API_KEY',
    limits: { documentTokens: 1_000, overlapComparisons: 1_000_000, variableValues: 10 },
  },
  10_000,
);
afterAll(() => checker.close());

describe('the document-check worker', () => {
  it('checks documents against a schema whose fields carry no auth directive', async () => {
    expect(await checker.checkDocument('{ ping ping }')).toEqual({ ok: true, repeats: [], fields: 1, text: '{ ping      }' });
    expect(await checker.checkDocument('{ pong }')).toMatchObject({ ok: false, errors: [{ errorType: 'ValidationError' }] });
  });

  it('reads a body handed over as bytes', async () => {
    const bytes = new TextEncoder().encode(JSON.stringify({ query: '{ ping }', variables: { tags: ['a', 'b'] } }));
    expect(await checker.readBody(bytes)).toEqual({ kind: 'json', body: { query: '{ ping }', variables: { tags: ['a', 'b'] } } });
    expect(await checker.readBody(new TextEncoder().encode('{"variables": [1,2,3,4,5,6,7,8,9,10,11]}'))).toEqual({
      kind: 'too-many-variable-values',
      count: 11,
    });
  });

  it('refuses a document still validating when its budget ends, and serves the next with a new worker', async () => {
    const slow = new DocumentChecker(
      {
        schema: 'type Query { ping: String }',
        defaultAuthentication: 'API_KEY',
        limits: { documentTokens: 100_000, overlapComparisons: Number.MAX_SAFE_INTEGER, variableValues: 10 },
      },
      200,
    );
    try {
      const spreads = Array.from({ length: 3_000 }, (_, index) => `...F${index}`).join(' ');
      const fragments = Array.from({ length: 3_000 }, (_, index) => `fragment F${index} on Query { p${index}: ping }`).join(' ');
      expect(await slow.checkDocument(`{ ${spreads} } ${fragments}`)).toMatchObject({
        ok: false,
        errors: [{ errorType: 'ValidationError', message: expect.stringContaining('took more than 200 ms') }],
      });
      expect(await slow.checkDocument('{ ping }')).toMatchObject({ ok: true });
    } finally {
      await slow.close();
    }
  });
});
