/**
 * Operations with many root fields run in pieces, and answer what one execution answers: the same data
 * in the same order, the same errors, null data when a non-null root field fails.
 */
import { GraphQLError, buildSchema, execute, parse, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { executeInPieces } from '../../../local/server/rootFieldPieces.ts';

const schema = buildSchema('type Query { ok(n: Int): Int failing: Int mandatory: Int! }');
const rootValue = {
  ok: ({ n }: { n: number }) => Promise.resolve(n),
  failing: () => Promise.reject(new GraphQLError('nope')),
  mandatory: () => null,
};

async function bothWays(query: string) {
  const document = parse(query);
  const operation = document.definitions[0] as OperationDefinitionNode;
  let pieces = 0;
  const inPieces = await executeInPieces({ schema, document, operation, rootValue }, 100, () => {
    pieces += 1;
    return Promise.resolve();
  });
  return { whole: await execute({ schema, document, rootValue }), inPieces, pieces };
}

describe('root fields in pieces', () => {
  it('answers the data of one execution, in order, fields sharing a response name kept together', async () => {
    const fields = Array.from({ length: 450 }, (_, index) => `a${index}: ok(n: ${index})`);
    const { whole, inPieces, pieces } = await bothWays(`{ ${fields.join(' ')} a3: ok(n: 3) }`);
    expect(pieces).toBe(4);
    expect(JSON.stringify(inPieces)).toBe(JSON.stringify(whole));
  });

  it('answers the errors of one execution, and null data when a non-null root field fails', async () => {
    const fields = Array.from({ length: 250 }, (_, index) => `a${index}: ok(n: ${index})`);
    const failing = await bothWays(`{ ${fields.join(' ')} failing }`);
    expect(failing.inPieces).toEqual(failing.whole);
    const nulled = await bothWays(`{ ${fields.join(' ')} mandatory }`);
    expect(nulled.inPieces.data).toBeNull();
    expect(nulled.inPieces).toEqual(nulled.whole);
  });

  it('runs a small operation, or one with fragments at its root, whole', async () => {
    expect((await bothWays(`{ ${Array.from({ length: 100 }, (_, index) => `a${index}: ok(n: 1)`).join(' ')} }`)).pieces).toBe(0);
    expect(
      (await bothWays(`{ ... on Query { x: ok(n: 1) } ${Array.from({ length: 300 }, (_, index) => `a${index}: ok(n: 1)`).join(' ')} }`))
        .pieces,
    ).toBe(0);
  });
});
