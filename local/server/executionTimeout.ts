/**
 * AppSync's request execution time: 30 seconds for queries, mutations and subscriptions (AppSync quota
 * "Request execution time for mutations, queries, and subscriptions",
 * https://docs.aws.amazon.com/general/latest/gr/appsync.html). Past it, AppSync answers each root field
 * null with an `ExecutionTimeout` error, as recorded from AWS:
 * `{"data":{"listPets":null},"errors":[{"path":["listPets"],"data":null,"errorType":"ExecutionTimeout",
 * "errorInfo":null,"locations":[{"line":2,"column":9,"sourceName":null}],"message":"Execution timed out."}]}`
 * (the same message in awslabs/aws-mobile-appsync-sdk-android#280).
 *
 * Locally the answer goes out at the deadline; work already started (a data-source call) finishes on its
 * own, as it does behind AppSync.
 */
import {
  isNonNullType,
  type DocumentNode,
  type FieldNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

export const EXECUTION_TIMED_OUT = Symbol('execution timed out');

/**
 * `work`'s result, or EXECUTION_TIMED_OUT once `timeoutMs` has passed.
 *
 * @example
 * const result = await withinExecutionTime(execute(args), 30_000);
 * if (result === EXECUTION_TIMED_OUT) return executionTimedOut(schema, document, operation);
 */
export async function withinExecutionTime<T>(work: Promise<T>, timeoutMs: number): Promise<T | typeof EXECUTION_TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<typeof EXECUTION_TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(EXECUTION_TIMED_OUT), timeoutMs);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

export interface TimedOutResponse {
  data: Record<string, null> | null;
  errors: {
    path: string[];
    data: null;
    errorType: 'ExecutionTimeout';
    errorInfo: null;
    locations: { line: number; column: number; sourceName: null }[];
    message: string;
  }[];
}

/** AppSync's answer to an operation past its deadline: each root field null, each with its error (data null when one may not be null). */
export function executionTimedOut(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): TimedOutResponse {
  const rootType =
    operation.operation === 'mutation'
      ? schema.getMutationType()
      : operation.operation === 'subscription'
        ? schema.getSubscriptionType()
        : schema.getQueryType();
  const fields = new Map<string, FieldNode>();
  for (const field of rootFieldsOf(operation.selectionSet, document)) {
    const responseName = field.alias?.value ?? field.name.value;
    if (!fields.has(responseName)) fields.set(responseName, field);
  }
  const data: Record<string, null> = {};
  let nullable = true;
  for (const [responseName, field] of fields) {
    data[responseName] = null;
    const type = rootType?.getFields()[field.name.value]?.type;
    if (type && isNonNullType(type)) nullable = false;
  }
  return {
    data: nullable ? data : null,
    errors: [...fields].map(([responseName, field]) => ({
      path: [responseName],
      data: null,
      errorType: 'ExecutionTimeout',
      errorInfo: null,
      locations: field.loc ? [{ line: field.loc.startToken.line, column: field.loc.startToken.column, sourceName: null }] : [],
      message: 'Execution timed out.',
    })),
  };
}

/** The root fields of an operation, through inline fragments and fragment spreads (each fragment once). */
function rootFieldsOf(selectionSet: SelectionSetNode, document: DocumentNode, seen = new Set<string>()): FieldNode[] {
  return selectionSet.selections.flatMap((selection) => {
    if (selection.kind === 'Field') return [selection];
    if (selection.kind === 'InlineFragment') return rootFieldsOf(selection.selectionSet, document, seen);
    if (seen.has(selection.name.value)) return [];
    seen.add(selection.name.value);
    const fragment = document.definitions.find(
      (definition) => definition.kind === 'FragmentDefinition' && definition.name.value === selection.name.value,
    );
    return fragment?.kind === 'FragmentDefinition' ? rootFieldsOf(fragment.selectionSet, document, seen) : [];
  });
}
