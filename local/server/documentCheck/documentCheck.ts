/**
 * Whether a GraphQL document may run: its size in tokens, its syntax, and the specification's
 * validation rules, answered as AppSync words each refusal. Pure and synchronous: it runs in the
 * document-check worker (documentCheckWorker.ts), off the server's event loop.
 */
import {
  GraphQLError,
  Lexer,
  NoFragmentCyclesRule,
  SingleFieldSubscriptionsRule,
  Source,
  TokenKind,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';
import { documentShape } from './documentShape.ts';
import { withoutRepeatedSelections } from './repeatedSelections.ts';

export interface Refusal {
  message: string;
  errorType: string;
  locations?: { line: number; column: number; sourceName: null }[];
  path: null;
}

export type DocumentCheck =
  /**
   * `repeats`: the `[start, end)` ranges of selections that exactly repeat a sibling; blank them before parsing again,
   * unless `text` is there: the query with them blanked already (the worker does it).
   * `fields`: the field selections left, which tells a heavy execution from a light one.
   */
  { ok: true; repeats: [number, number][]; fields: number; text?: string } | { ok: false; errors: Refusal[] };

/** graphql-js 16's default: enough to show what is wrong, without a response of thousands of errors. */
const MAX_VALIDATION_ERRORS = 100;
const RULES_ON_DISTINCT_SELECTIONS = specifiedRules.filter(
  (rule) => rule !== NoFragmentCyclesRule && rule !== SingleFieldSubscriptionsRule,
);

/**
 * Check one document against the schema; never throws.
 *
 * @example
 * checkDocument(schema, '{ __typename }', { documentTokens: 150_000, overlapComparisons: 1_000_000 }) // { ok: true, repeats: [], fields: 1 }
 */
export function checkDocument(
  schema: GraphQLSchema,
  query: string,
  limits: { documentTokens: number; overlapComparisons: number },
): DocumentCheck {
  if (tokenCount(query, limits.documentTokens) > limits.documentTokens) {
    return refused(
      'MalformedHttpRequestException',
      // graphql-java's parser words this limit so (its ParserOptions.maxTokens).
      `Validation error of type InvalidSyntax: More than ${limits.documentTokens} 'grammar' tokens have been presented. To prevent Denial Of Service attacks, parsing has been cancelled. Split the operation, or send repeated data as variables.`,
    );
  }
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch (error) {
    if (error instanceof RangeError)
      return refused('MalformedHttpRequestException', 'Validation error of type InvalidSyntax: the document nests too deeply to parse.');
    const syntax = error as GraphQLError;
    return {
      ok: false,
      errors: [
        {
          message: `Validation error of type InvalidSyntax: ${syntax.message}`,
          errorType: 'MalformedHttpRequestException',
          locations: syntax.locations?.map(withSourceName) ?? [],
          path: null,
        },
      ],
    };
  }
  try {
    // Every rule sees the document without exact repeats: the same verdict (a repeat is valid exactly when its twin is),
    // each error once, and no quadratic cost on repeats in the overlap rule. Each validate() walks the whole document,
    // so the walks over the document as sent are kept to what needs it.
    const distinct = withoutRepeatedSelections(document);
    const shape = documentShape(distinct.document);
    const comparisons = shape.overlapComparisons;
    if (comparisons > limits.overlapComparisons) {
      return refused(
        'ValidationError',
        `Validation error: checking which fields may merge would take ${comparisons} pairwise comparisons (fields sharing a response name, fragments spread side by side), more than the ${limits.overlapComparisons} the local server makes for one document. Give the fields different aliases, or spread fewer fragments in one selection.`,
      );
    }
    // Fragment cycles first: graphql@15's overlap rule recurses forever on them (fixed in graphql@16).
    let errors = validate(schema, distinct.document, [NoFragmentCyclesRule]);
    if (errors.length === 0) {
      errors = [
        ...rootFieldsOfSubscriptions(schema, document),
        ...validate(schema, distinct.document, RULES_ON_DISTINCT_SELECTIONS, undefined, { maxErrors: MAX_VALIDATION_ERRORS }),
      ];
    }
    if (errors.length > 0) {
      return {
        ok: false,
        errors: errors.map((error) => ({
          message: `Validation error: ${error.message}`,
          errorType: 'ValidationError',
          locations: error.locations?.map(withSourceName) ?? [],
          path: null,
        })),
      };
    }
    return { ok: true, repeats: distinct.repeats, fields: shape.fields };
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return refused('ValidationError', 'Validation error: the document is too deeply nested to validate.');
  }
}

/** The single-root-field rule counts a subscription's selections as written (twins included), so it reads the subscriptions as sent. */
function rootFieldsOfSubscriptions(schema: GraphQLSchema, document: DocumentNode): readonly GraphQLError[] {
  const subscriptions = document.definitions.filter(
    (definition) => definition.kind === 'OperationDefinition' && definition.operation === 'subscription',
  );
  return subscriptions.length === 0 ? [] : validate(schema, { ...document, definitions: subscriptions }, [SingleFieldSubscriptionsRule]);
}

/** How many tokens the document holds, counting no further than one past `limit`; a lexing error stops the count (parse reports it). */
export function tokenCount(query: string, limit: number): number {
  const lexer = new Lexer(new Source(query));
  let count = 0;
  try {
    while (count <= limit && lexer.advance().kind !== TokenKind.EOF) count += 1;
  } catch {
    // A syntax error: parse() answers it with its location.
  }
  return count;
}

function refused(errorType: string, message: string): DocumentCheck {
  return { ok: false, errors: [{ message, errorType, path: null }] };
}

function withSourceName(location: { line: number; column: number }) {
  return { line: location.line, column: location.column, sourceName: null };
}
