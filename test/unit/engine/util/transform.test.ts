// util.transform, "Transformation helpers in util.transform"
// (https://docs.aws.amazon.com/appsync/latest/devguide/transformation-helpers-in-utils-transform-js.html).
//
// DynamoDB expressions: AWS's only example ("contains(#title, :title_contains)", on the VTL page
// transformation-helpers-in-utils-transform.html) is an illustration, not valid JSON. The exact
// strings below are outputs recorded from AppSync's EvaluateCode API, published in
// localstack/appsync-utils (__tests__/__snapshots__/transform.test.js.snap).
import { describe, expect, it } from 'vitest';
import { makeUtil } from './utilFixture.ts';

const { util } = makeUtil();

function filterOf(filter: unknown) {
  const json = util.transform.toDynamoDBFilterExpression(filter);
  return json === null ? null : JSON.parse(json);
}

describe('util.transform.toDynamoDBFilterExpression', () => {
  it('renders AWS documented example with the same names and values (expression text as AppSync emits it)', () => {
    expect(filterOf({ title: { contains: 'Hello World' } })).toEqual({
      expression: '(contains(#title,:title_contains))',
      expressionNames: { '#title': 'title' },
      expressionValues: { ':title_contains': { S: 'Hello World' } },
    });
  });

  it('returns a JSON string, keys in the order expression, names, values', () => {
    expect(util.transform.toDynamoDBFilterExpression({ content: { contains: 'foo' } })).toBe(
      '{"expression":"(contains(#content,:content_contains))","expressionNames":{"#content":"content"},"expressionValues":{":content_contains":{"S":"foo"}}}',
    );
  });

  it.each([
    { filter: { v: { eq: 'x' } }, expression: '(#v = :v_eq)' },
    { filter: { v: { ne: 'x' } }, expression: '(#v <> :v_ne)' },
    { filter: { v: { lt: 'x' } }, expression: '(#v < :v_lt)' },
    { filter: { v: { le: 'x' } }, expression: '(#v <= :v_le)' },
    { filter: { v: { gt: 'x' } }, expression: '(#v > :v_gt)' },
    { filter: { v: { ge: 'x' } }, expression: '(#v >= :v_ge)' },
    { filter: { v: { notContains: 'x' } }, expression: '(NOT contains(#v,:v_notContains))' },
    { filter: { v: { beginsWith: 'x' } }, expression: '(begins_with(#v,:v_beginsWith))' },
    { filter: { v: { between: ['1', '9'] } }, expression: '(#v BETWEEN :v_between_start AND :v_between_end)' },
    { filter: { v: { between: ['1', '9', '3'] } }, expression: '(#v BETWEEN :v_between_start AND :v_between_end)' },
    { filter: { v: { in: ['a', 'b'] } }, expression: '(#v IN (:v_in_0, :v_in_1))' },
    { filter: { v: { attributeExists: true } }, expression: '(attribute_exists(#v))' },
    { filter: { v: { attributeExists: false } }, expression: '(attribute_not_exists(#v))' },
    { filter: { v: { size: { gt: 2 } } }, expression: '(size(#v) > :v_size_gt)' },
    { filter: { v: { size: { between: [1, 3] } } }, expression: '(size(#v) BETWEEN :v_size_between_start AND :v_size_between_end)' },
    { filter: { v: { size: { gt: 2, lt: 5 } } }, expression: '((size(#v) > :v_size_gt) AND (size(#v) < :v_size_lt))' },
    { filter: { v: { size: { size: { gt: 1 } } } }, expression: '(size(#v) > :v_size_size_gt)' },
    { filter: { a: { eq: 1 }, b: { eq: 2 } }, expression: '(#a = :a_eq) AND (#b = :b_eq)' },
    { filter: { v: { ge: 1, le: 5 } }, expression: '((#v >= :v_ge) AND (#v <= :v_le))' },
    { filter: { and: [{ a: { eq: 1 } }] }, expression: '(#a = :and_0_a_eq)' },
    { filter: { and: [{ a: { eq: 1 } }, { b: { eq: 2 } }] }, expression: '((#a = :and_0_a_eq) AND (#b = :and_1_b_eq))' },
    { filter: { or: [{ a: { eq: 1 } }, { b: { eq: 2 } }] }, expression: '((#a = :or_0_a_eq) OR (#b = :or_1_b_eq))' },
    { filter: { not: { a: { eq: 1 } } }, expression: '(NOT (#a = :not_a_eq))' },
    { filter: { not: { not: { a: { eq: 1 } } } }, expression: '(NOT (NOT (#a = :not_not_a_eq)))' },
    {
      filter: { or: [{ and: [{ a: { eq: 1 } }, { b: { eq: 2 } }] }, { c: { eq: 3 } }] },
      expression: '(((#a = :or_0_and_0_a_eq) AND (#b = :or_0_and_1_b_eq)) OR (#c = :or_1_c_eq))',
    },
    { filter: { a: { eq: 1 }, and: [{ b: { eq: 2 } }] }, expression: '(#a = :a_eq) AND (#b = :and_0_b_eq)' },
    { filter: { 'a.b': { eq: 1 } }, expression: '(#a.b = :a.b_eq)' },
    // Filters that render no (or a broken) expression, exactly as AppSync does.
    { filter: {}, expression: '' },
    { filter: { and: [] }, expression: '' },
    { filter: { not: {} }, expression: '(NOT )' },
    { filter: { v: { in: [] } }, expression: '(null)' },
    { filter: { a: { eq: 1 }, b: {} }, expression: '(#a = :a_eq) AND ' },
  ])('$expression', ({ filter, expression }) => {
    expect(filterOf(filter)?.expression).toBe(expression);
  });

  it('names the bounds and members of between and in', () => {
    expect(filterOf({ v: { between: [1, 9] }, w: { in: ['a'] } })).toEqual({
      expression: '(#v BETWEEN :v_between_start AND :v_between_end) AND (#w IN (:w_in_0))',
      expressionNames: { '#v': 'v', '#w': 'w' },
      expressionValues: { ':v_between_start': { N: 1 }, ':v_between_end': { N: 9 }, ':w_in_0': { S: 'a' } },
    });
  });

  it('maps every attributeType name to its DynamoDB code', () => {
    const names = ['_null', 'string', 'stringSet', 'number', 'numberSet', 'binary', 'binarySet', 'boolean', 'list', 'map'];
    const codes = ['NULL', 'S', 'SS', 'N', 'NS', 'B', 'BS', 'BOOL', 'L', 'M'];
    const filter = Object.fromEntries(names.map((name, index) => [`f${index}`, { attributeType: name }]));
    const values = filterOf(filter).expressionValues as Record<string, unknown>;
    expect(Object.values(values)).toEqual(codes.map((code) => ({ S: code })));
  });

  it.each([
    { operand: 10, value: { N: 10 } },
    { operand: 1.5, value: { N: 1.5 } },
    { operand: true, value: { BOOL: true } },
    { operand: null, value: { NULL: null } },
    { operand: { a: 1 }, value: { M: { a: { N: 1 } } } },
    { operand: [1, 2], value: { L: [{ N: 1 }, { N: 2 }] } },
  ])('types the operand $operand as $value', ({ operand, value }) => {
    expect(filterOf({ v: { eq: operand } }).expressionValues).toEqual({ ':v_eq': value });
  });

  it('keeps the name of a field without operators', () => {
    expect(filterOf({ v: {} })).toEqual({ expression: '', expressionNames: { '#v': 'v' }, expressionValues: {} });
  });

  it.each([
    { name: 'no filter at all', filter: undefined },
    { name: 'null', filter: null },
    { name: 'an array', filter: [] },
    { name: 'a string', filter: 'string' },
    { name: 'an unknown operator', filter: { v: { foo: 1 } } },
    { name: 'a field holding a value instead of operators', filter: { v: 'x' } },
    { name: 'a field nested in a field', filter: { a: { b: { eq: 1 } } } },
    { name: 'an and given a map', filter: { and: { a: { eq: 1 } } } },
    { name: 'an and given null', filter: { and: null } },
    { name: 'a group holding a null member', filter: { and: [{ a: { eq: 1 } }, null] } },
    { name: 'a not given a list', filter: { not: [{ a: { eq: 1 } }] } },
    { name: 'a range with a single bound', filter: { v: { between: [1] } } },
    { name: 'a range that is not a list', filter: { v: { between: 'x' } } },
    { name: 'in given a non-list', filter: { v: { in: 'x' } } },
    { name: 'attributeExists given a string', filter: { v: { attributeExists: 'yes' } } },
    { name: 'attributeType given a code', filter: { v: { attributeType: 'S' } } },
    { name: 'size given a value', filter: { v: { size: 3 } } },
  ])('is null for $name', ({ filter }) => {
    expect(util.transform.toDynamoDBFilterExpression(filter)).toBeNull();
  });

  it('drops operators whose value is undefined, as the JSON crossing to AppSync does', () => {
    expect(filterOf({ a: { eq: 1, ne: undefined } })?.expression).toBe('(#a = :a_eq)');
  });
});

describe('util.transform.toDynamoDBConditionExpression', () => {
  it.each([
    {
      condition: { and: [{ id: { attributeExists: false } }] },
      expected: '{"expression":"(attribute_not_exists(#id))","expressionNames":{"#id":"id"},"expressionValues":{}}',
    },
    {
      condition: { and: [{ id: { attributeExists: true } }, { _version: { eq: 1 } }] },
      expected:
        '{"expression":"((attribute_exists(#id)) AND (#_version = :and_1__version_eq))","expressionNames":{"#id":"id","#_version":"_version"},"expressionValues":{":and_1__version_eq":{"N":1}}}',
    },
  ])('$expected', ({ condition, expected }) => {
    expect(util.transform.toDynamoDBConditionExpression(condition)).toBe(expected);
  });

  it('renders every filter as the filter function does (AppSync recorded identical output)', () => {
    const condition = { not: { id: { between: ['1', '9'] } } };
    expect(util.transform.toDynamoDBConditionExpression(condition)).toBe(util.transform.toDynamoDBFilterExpression(condition));
  });
});

describe('util.transform.toSubscriptionFilter', () => {
  // The three input/output pairs of the "Subscription filter arguments" section.
  const documentedFilter = (downvotes: Record<string, number>) => ({
    percentageUp: { lte: 50, gte: 20 },
    and: [{ title: { ne: 'Book1' } }, { downvotes }],
    or: [{ author: { eq: 'Admin' } }, { isPublished: { eq: false } }],
  });
  const entry = (fieldName: string, operator: string, value: unknown) => ({ fieldName, operator, value });

  it('multiplies out argument 1 (AWS example 1)', () => {
    const common = [entry('title', 'ne', 'Book1'), entry('downvotes', 'gt', 2000)];
    expect(util.transform.toSubscriptionFilter(documentedFilter({ gt: 2000 }))).toEqual({
      filterGroup: [
        { filters: [entry('percentageUp', 'lte', 50), ...common, entry('author', 'eq', 'Admin')] },
        { filters: [entry('percentageUp', 'lte', 50), ...common, entry('isPublished', 'eq', false)] },
        { filters: [entry('percentageUp', 'gte', 20), ...common, entry('author', 'eq', 'Admin')] },
        { filters: [entry('percentageUp', 'gte', 20), ...common, entry('isPublished', 'eq', false)] },
      ],
    });
  });

  it('leaves out ignored fields (AWS example 2)', () => {
    expect(util.transform.toSubscriptionFilter(documentedFilter({ gt: 20 }), ['percentageUp', 'author'])).toEqual({
      filterGroup: [{ filters: [entry('title', 'ne', 'Book1'), entry('downvotes', 'gt', 20), entry('isPublished', 'eq', false)] }],
    });
  });

  it('adds the rules as alternatives, ignored fields included (AWS example 3)', () => {
    // AWS's page feeds `downvotes: { lt: 20 }` but prints `gt`, a typo; the input's operator is kept.
    const rules = { upvotes: { gte: 250 }, author: { eq: 'Person1' } };
    const common = [entry('title', 'ne', 'Book1'), entry('downvotes', 'lt', 20), entry('isPublished', 'eq', false)];
    expect(util.transform.toSubscriptionFilter(documentedFilter({ lt: 20 }), ['percentageUp', 'author'], rules)).toEqual({
      filterGroup: [{ filters: [...common, entry('upvotes', 'gte', 250)] }, { filters: [...common, entry('author', 'eq', 'Person1')] }],
    });
  });

  it.each([
    { name: 'an empty filter', filter: {}, groups: [] },
    { name: 'a field with no operator', filter: { a: {} }, groups: [] },
    {
      name: 'an or nested in an and',
      filter: { and: [{ a: { eq: 1 } }, { or: [{ b: { eq: 2 } }, { c: { eq: 3 } }] }] },
      groups: [
        [entry('a', 'eq', 1), entry('b', 'eq', 2)],
        [entry('a', 'eq', 1), entry('c', 'eq', 3)],
      ],
    },
    { name: 'not treated as a field name', filter: { not: { a: { eq: 1 } } }, groups: [[entry('not', 'a', { eq: 1 })]] },
    {
      name: 'a field path kept as written',
      filter: { 'loc.addr.country': { eq: 'USA' } },
      groups: [[entry('loc.addr.country', 'eq', 'USA')]],
    },
    { name: 'containsAny with a list', filter: { a: { containsAny: ['x', 'y'] } }, groups: [[entry('a', 'containsAny', ['x', 'y'])]] },
  ])('$name', ({ filter, groups }) => {
    expect(util.transform.toSubscriptionFilter(filter)).toEqual({ filterGroup: groups.map((filters) => ({ filters })) });
  });

  it('applies rules alone to an empty filter', () => {
    expect(util.transform.toSubscriptionFilter({}, [], { r1: { eq: 1 } })).toEqual({ filterGroup: [{ filters: [entry('r1', 'eq', 1)] }] });
  });

  it.each([[null], [undefined], [[]], ['{"a":{"eq":1}}']])('is null for %j', (filter) => {
    expect(util.transform.toSubscriptionFilter(filter)).toBeNull();
  });
});

describe('util.transform.toElasticsearchQueryDSL', () => {
  it('renders AWS documented example', () => {
    const query = util.transform.toElasticsearchQueryDSL({
      upvotes: { ne: 15, range: [10, 20] },
      title: { eq: 'hihihi', wildcard: 'h*i' },
    });
    expect(JSON.parse(query ?? 'null')).toEqual({
      bool: {
        must: [
          { bool: { must: [{ bool: { must_not: { term: { upvotes: 15 } } } }, { range: { upvotes: { gte: 10, lte: 20 } } }] } },
          { bool: { must: [{ term: { title: 'hihihi' } }, { wildcard: { title: 'h*i' } }] } },
        ],
      },
    });
  });

  it.each([
    { filter: { title: { eq: 'x' } }, query: { term: { title: 'x' } } },
    { filter: { n: { gte: 1 } }, query: { range: { n: { gte: 1 } } } },
    { filter: { t: { matchPhrase: 'a b' } }, query: { match_phrase: { t: 'a b' } } },
    { filter: { t: { exists: false } }, query: { bool: { must_not: { exists: { field: 't' } } } } },
    { filter: { or: [{ a: { eq: 1 } }, { b: { eq: 2 } }] }, query: { bool: { should: [{ term: { a: 1 } }, { term: { b: 2 } }] } } },
    { filter: { not: { a: { eq: 1 } } }, query: { bool: { must_not: { term: { a: 1 } } } } },
  ])('$query', ({ filter, query }) => {
    expect(JSON.parse(util.transform.toElasticsearchQueryDSL(filter) ?? 'null')).toEqual(query);
  });

  it.each([[null], [{ a: { bogus: 1 } }], [{ a: { range: [1] } }]])('is null for %j', (filter) => {
    expect(util.transform.toElasticsearchQueryDSL(filter)).toBeNull();
  });
});
