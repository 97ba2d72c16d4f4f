/**
 * How many levels of selection an operation nests, for AppSync's `QueryDepthLimit`
 * (https://docs.aws.amazon.com/appsync/latest/devguide/configuration-limits.html). Fragments count at
 * the depth where they are spread. Each fragment's own depth is computed once, so a fragment spread
 * thousands of times, or fragments spreading each other twice per level, cost one walk each.
 */
import type { DocumentNode, FragmentDefinitionNode, SelectionSetNode } from 'graphql';

/**
 * The deepest nesting of fields below `selectionSet`.
 *
 * @example
 * selectionDepth(operation.selectionSet, document) // 2 for { getReservation(id: "…") { id } }
 */
export function selectionDepth(selectionSet: SelectionSetNode, document: DocumentNode): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === 'FragmentDefinition' && !fragments.has(definition.name.value)) fragments.set(definition.name.value, definition);
  }
  const fragmentDepths = new Map<string, number>();
  const depthOf = (set: SelectionSetNode): number => {
    let deepest = 0;
    for (const selection of set.selections) {
      if (selection.kind === 'Field') {
        deepest = Math.max(deepest, 1 + (selection.selectionSet ? depthOf(selection.selectionSet) : 0));
      } else if (selection.kind === 'InlineFragment') {
        deepest = Math.max(deepest, depthOf(selection.selectionSet));
      } else {
        const name = selection.name.value;
        if (!fragmentDepths.has(name)) {
          // Marked before the walk: a cycle (refused by validation anyway) adds nothing instead of recursing forever.
          fragmentDepths.set(name, 0);
          const fragment = fragments.get(name);
          if (fragment) fragmentDepths.set(name, depthOf(fragment.selectionSet));
        }
        deepest = Math.max(deepest, fragmentDepths.get(name)!);
      }
    }
    return deepest;
  };
  return depthOf(selectionSet);
}
