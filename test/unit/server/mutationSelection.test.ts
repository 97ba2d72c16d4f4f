/**
 * What a mutation publishes to its subscribers (local/server/mutationSelection.ts): the fields its caller
 * selected, as AppSync sends "the mutation selection set" to subscribers.
 */
import { buildSchema, execute, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { publishedSelection } from '../../../local/server/mutationSelection.ts';

const schema = buildSchema(`
  type Answer { id: ID! status: String! version: Int reason: String guest: Guest }
  type Guest { id: ID! name: String email: String }
  type Query { ping: String }
  type Mutation { register: Answer }
`);
const result = { id: 'g1', status: 'SAVED', version: 1, reason: null, guest: { id: 'g1', name: 'Ada', email: 'ada@example.com' } };

/** Runs `document` and hands back what its one mutation field would publish. */
async function published(document: string): Promise<unknown> {
  let selected: unknown;
  await execute({
    schema,
    document: parse(document),
    rootValue: {},
    fieldResolver: (source, _args, _context, info) => {
      if (info.parentType.name !== 'Mutation') return (source as Record<string, unknown>)[info.fieldName];
      selected = publishedSelection(result, info);
      return result;
    },
  });
  return selected;
}

describe('publishedSelection', () => {
  it('keeps only the fields the mutation selected: version left out reaches subscribers as nothing', async () => {
    expect(await published('mutation { register { id status } }')).toEqual({ id: 'g1', status: 'SAVED' });
  });

  it('cuts nested objects to their selection, and keeps selected nulls', async () => {
    expect(await published('mutation { register { id reason guest { name } } }')).toEqual({
      id: 'g1',
      reason: null,
      guest: { name: 'Ada' },
    });
  });

  it('follows inline and named fragments, merging a field selected twice', async () => {
    expect(
      await published(
        'mutation { register { guest { id } ...A ... on Answer { version } } } fragment A on Answer { status guest { email } }',
      ),
    ).toEqual({ status: 'SAVED', version: 1, guest: { id: 'g1', email: 'ada@example.com' } });
  });
});
