/**
 * Exact repeats of a sibling selection are found and removed before validation (the root fix for
 * graphql-js 15's quadratic overlap rule), and removing them never changes what validation says.
 */
import fc from 'fast-check';
import { buildSchema, parse, print, specifiedRules, validate, type DocumentNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { withoutRepeatedSelections } from '../../../local/server/documentCheck/repeatedSelections.ts';

function removed(query: string): string[] {
  return withoutRepeatedSelections(parse(query)).repeats.map(([start, end]) => query.slice(start, end));
}

describe('finding repeats', () => {
  it('removes an exact repeat of a sibling and says where it was', () => {
    const query = '{ a a b a }';
    const { document, repeats } = withoutRepeatedSelections(parse(query));
    expect(repeats).toEqual([
      [4, 5],
      [8, 9],
    ]);
    expect(print(document)).toBe('{\n  a\n  b\n}\n');
  });

  it('keeps fields that differ in alias, arguments, directives or sub-selection', () => {
    expect(removed('{ a x: a r(id: 1) { id } r(id: 2) { id } r(id: 1) { n } a @skip(if: true) }')).toEqual([]);
  });

  it('compares sub-selections by their shape without repeats', () => {
    expect(removed('{ r { id id } r { id } }')).toEqual(['id', 'r { id }']);
  });

  it('finds repeated fragment spreads and inline fragments, and repeats inside fragments', () => {
    expect(removed('{ ...F ...F ... on Query { a } ... on Query { a } } fragment F on Query { b b }')).toEqual([
      '...F',
      '... on Query { a }',
      'b',
    ]);
  });

  it('leaves a document without repeats as it was', () => {
    const document = parse('{ a b r { id } }');
    expect(withoutRepeatedSelections(document).document).toBe(document);
  });
});

describe('validation without repeats', () => {
  const schema = buildSchema(`
    type Query { a: String b(x: Int): String r(id: ID): R s: R }
    type R { id: ID n: String m(x: Int): Int r: R }
  `);
  // An overlap error is compared by the response name it names: twins repeat the reasons inside a message
  // ("… because subfields "b" conflict … and subfields "b" conflict …"), or report each other's inner conflicts.
  const named = (message: string) => /^Fields "[^"]+" conflict/.exec(message)?.[0] ?? message;
  const messagesOf = (document: DocumentNode) =>
    [...new Set(validate(schema, document, specifiedRules).map((error) => named(error.message)))].sort();

  // Selection sets built from few names, so that response names collide often, with exact repeats copied in.
  const leaf = fc.record({
    alias: fc.constantFrom('', 'x: ', 'y: '),
    field: fc.constantFrom('a', 'b(x: 1)', 'b(x: 2)', 'id', 'n', 'm(x: 1)', 'nothing'),
  });
  const selectionSet: fc.Memo<string> = fc.memo((depth) =>
    fc
      .array(
        fc.oneof(
          leaf.map(({ alias, field }) => `${alias}${field}`),
          depth > 1
            ? fc
                .tuple(fc.constantFrom('', 'x: '), fc.constantFrom('r', 's', 'r(id: 1)'), selectionSet(depth - 1))
                .map(([alias, field, inner]) => `${alias}${field} ${inner}`)
            : leaf.map(({ field }) => field),
        ),
        { minLength: 1, maxLength: 5 },
      )
      .chain((selections) =>
        fc
          .array(fc.nat(selections.length - 1), { maxLength: 4 })
          .map((copies) => `{ ${[...selections, ...copies.map((index) => selections[index])].join(' ')} }`),
      ),
  );

  it('gives the same verdict as the document as sent, and no error it would not give', () => {
    fc.assert(
      fc.property(selectionSet(3), (query) => {
        const document = parse(query);
        const sent = messagesOf(document);
        const distinct = messagesOf(withoutRepeatedSelections(document).document);
        expect(distinct.length > 0).toBe(sent.length > 0);
        expect(sent).toEqual(expect.arrayContaining(distinct));
      }),
      { numRuns: 400 },
    );
    // 400 documents validated twice: 2–4 s of CPU alone, but CI once saw it pass 30 s while the other worker
    // ran a stack under load on the same two cores. The time is not what this test checks.
  }, 120_000);
});
