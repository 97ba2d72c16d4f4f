/**
 * What AppSync publishes of a mutation's result to its subscribers: the fields the mutation's caller
 * selected, nothing more ("subscriptions are triggered from mutations and the mutation selection set is
 * sent to subscribers": AWS AppSync Developer Guide, "Using subscriptions for real-time data
 * applications"). A field the caller left out reaches subscribers as null, and a subscription argument
 * that filters on it never matches.
 *
 * @example
 * publishedSelection({ id: '1', status: 'SAVED', version: 3 }, info) // mutation selected { id status } → { id: '1', status: 'SAVED' }
 */
import type { FragmentDefinitionNode, GraphQLResolveInfo, SelectionSetNode } from 'graphql';

/** `result` cut down to the selection of the root field `info` resolves (aliases ignored: subscribers select by field name). */
export function publishedSelection(result: unknown, info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>): unknown {
  const selectionSet = info.fieldNodes[0]?.selectionSet;
  return selectionSet ? project(result, selectionSet, info.fragments) : result;
}

function project(value: unknown, selectionSet: SelectionSetNode, fragments: Record<string, FragmentDefinitionNode>): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => project(item, selectionSet, fragments));
  const source = value as Record<string, unknown>;
  const projected: Record<string, unknown> = {};
  for (const selection of selectionSet.selections) {
    if (selection.kind === 'Field') {
      const name = selection.name.value;
      if (!(name in source)) continue;
      const part = selection.selectionSet ? project(source[name], selection.selectionSet, fragments) : source[name];
      projected[name] = merge(projected[name], part);
    } else {
      const fragmentSet = selection.kind === 'InlineFragment' ? selection.selectionSet : fragments[selection.name.value]?.selectionSet;
      if (fragmentSet) Object.assign(projected, merge(projected, project(source, fragmentSet, fragments)));
    }
  }
  return projected;
}

/** The same field selected twice (directly and in a fragment) publishes the union of both selections. */
function merge(existing: unknown, added: unknown): unknown {
  if (existing === undefined || existing === null || typeof existing !== 'object' || typeof added !== 'object' || added === null) {
    return added;
  }
  if (Array.isArray(existing) && Array.isArray(added)) return added.map((item, index) => merge(existing[index], item));
  const merged: Record<string, unknown> = { ...(existing as Record<string, unknown>) };
  for (const [key, value] of Object.entries(added as Record<string, unknown>)) merged[key] = merge(merged[key], value);
  return merged;
}
