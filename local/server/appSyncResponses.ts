/**
 * Requests and responses in AppSync's shapes: its errors (with `sourceName` locations), its refusal
 * of a malformed request, the variables check as graphql-js words it, and the field paths and
 * selection lists a resolver's `ctx.info` carries.
 */
import {
  coerceInputValue,
  isInputType,
  isNonNullType,
  print,
  typeFromAST,
  type GraphQLError,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { AppSyncGraphQLError } from '../engine/index.ts';

/** Every way the request's variables fail their declared types (a required one missing, a wrong type), as graphql-js words it. */
export function variableErrorsOf(schema: GraphQLSchema, operation: OperationDefinitionNode, variables: Record<string, unknown>): string[] {
  const errors: string[] = [];
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    const type = typeFromAST(schema, definition.type as never);
    if (!type || !isInputType(type)) continue; // validate() already reported it
    if (!Object.hasOwn(variables, name) || variables[name] === undefined) {
      if (isNonNullType(type) && !definition.defaultValue)
        errors.push(`Variable "$${name}" of required type "${String(type)}" was not provided.`);
      continue;
    }
    coerceInputValue(variables[name], type, (path, _invalid, error) => {
      const at = path.length > 0 ? ` at "${name}${path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${key}`)).join('')}"` : '';
      errors.push(`Variable "$${name}" got invalid value${at}; ${error.message}`);
    });
  }
  return errors;
}

export function malformed(message: string): { data: null; errors: { message: string; errorType: string; path: null }[] } {
  return { data: null, errors: [{ message, errorType: 'MalformedHttpRequestException', path: null }] };
}

export function withSourceName(location: { line: number; column: number }) {
  return { line: location.line, column: location.column, sourceName: null };
}

export function operationFieldNames(operation: OperationDefinitionNode): string[] {
  return operation.selectionSet.selections.flatMap((selection) => (selection.kind === 'Field' ? [selection.name.value] : []));
}

export function responsePath(info: GraphQLResolveInfo): (string | number)[] {
  const path: (string | number)[] = [];
  for (let step: GraphQLResolveInfo['path'] | undefined = info.path; step; step = step.prev) path.unshift(step.key);
  return path;
}

/** AppSync's `selectionSetList`: every selected field path, nested ones as `parent/child`. */
export function selectionSetList(selectionSet: SelectionSetNode | undefined, prefix = ''): string[] {
  if (!selectionSet) return [];
  return selectionSet.selections.flatMap((selection) => {
    if (selection.kind === 'InlineFragment') return selectionSetList(selection.selectionSet, prefix);
    if (selection.kind !== 'Field') return [];
    const name = `${prefix}${selection.name.value}`;
    return [name, ...selectionSetList(selection.selectionSet, `${name}/`)];
  });
}

/** What a resolver's `ctx.info` says of its field's selection: `selectionSetList` and `selectionSetGraphQL`. */
export interface SelectionInfo {
  selectionSetList: string[];
  selectionSetGraphQL: string;
}

/**
 * Kept per selection-set node: documents are kept by query text (ValidatedDocuments), so a client's repeated operation
 * hands the same nodes each time, and printing the selection again cost about 7 µs of a one-field mutation (profiled).
 * Weak: a document dropped from that cache takes its entries along. Shared safely: the engine copies ctx into its realm.
 */
const selectionInfos = new WeakMap<SelectionSetNode, SelectionInfo>();
const NO_SELECTION: SelectionInfo = Object.freeze({ selectionSetList: [], selectionSetGraphQL: '' });

/** The field's `ctx.info` selection parts, printed once per selection-set node. */
export function selectionInfoOf(selectionSet: SelectionSetNode | undefined): SelectionInfo {
  if (!selectionSet) return NO_SELECTION;
  let info = selectionInfos.get(selectionSet);
  if (!info) {
    info = { selectionSetList: selectionSetList(selectionSet), selectionSetGraphQL: print(selectionSet) };
    selectionInfos.set(selectionSet, info);
  }
  return info;
}

/** A graphql-js error (or a simulator error inside it) in AppSync's shape. */
export function toAppSyncGraphQLError(error: GraphQLError): AppSyncGraphQLError {
  const original = error.originalError as { errorType?: string; data?: unknown; errorInfo?: unknown } | undefined;
  return {
    message: error.message,
    errorType: original?.errorType ?? null,
    data: null,
    errorInfo: original?.errorInfo && Object.keys(original.errorInfo as object).length > 0 ? original.errorInfo : null,
    path: [...(error.path ?? [])],
    locations: (error.locations ?? []).map(withSourceName),
  };
}
