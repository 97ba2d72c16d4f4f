/**
 * Schemas validated as AppSync validates them (aws/aws-appsync-community#345): an object type with no
 * fields is served, where graphql-js refuses it; a schema AppSync refuses is refused at start in its words.
 */
import { buildSchema, execute, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { acceptSchemaAsAppSync } from '../../../local/server/appSyncSchemaRules.ts';

describe('a schema checked as AppSync checks it', () => {
  it('serves `type Query` with no fields, which graphql-js alone refuses', async () => {
    const schema = buildSchema('type Query\ntype Mutation { ping: String }');
    expect(() => validate(schema, parse('{ __typename }'))).toThrow('Type Query must define one or more fields.');

    acceptSchemaAsAppSync(schema, 'api');
    expect(validate(schema, parse('mutation { ping }'))).toEqual([]);
    expect(await execute({ schema, document: parse('{ __typename }') })).toEqual({ data: { __typename: 'Query' } });
  });

  it('refuses a schema without a Query type in AppSync’s words', () => {
    expect(() => acceptSchemaAsAppSync(buildSchema('type Mutation { ping: String }'), 'orders')).toThrow(
      'The schema of AppSync API orders is not valid:\n  - There is no top level schema object defined.',
    );
  });

  it('refuses what AppSync refuses too, at start rather than on every request', () => {
    expect(() =>
      acceptSchemaAsAppSync(
        buildSchema('type Query { a: String }\ninterface Named { name: String }\ntype Thing implements Named { id: ID }'),
        'api',
      ),
    ).toThrow('Interface field Named.name expected but Thing does not provide it.');
  });
});
