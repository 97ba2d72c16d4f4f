/**
 * A document's size in fields, and how much pairwise work graphql-js 15's OverlappingFieldsCanBeMergedRule
 * will do on it, counted before it runs. The rule compares, in every selection set, each pair of fields that share a response
 * name (and their sub-selections), and each pair of fragments spread side by side; on a document without
 * exact repeats (repeatedSelections.ts) that is the only part of validation that grows faster than the
 * document. A document of 3 000 distinct fragments spread in one selection (36 000 tokens, valid) takes
 * it 9 s; this count refuses such a document at once instead of after its time budget.
 */
import type { DocumentNode, FieldNode, SelectionSetNode } from 'graphql';

export interface DocumentShape {
  /** Field selections written in the document's operations and fragments. */
  fields: number;
  /** An upper estimate of the overlap rule's comparisons (and of the variable rules' walks of fragments per operation). */
  overlapComparisons: number;
}

/**
 * The document's fields and the pairwise work its validation will take.
 *
 * @example
 * documentShape(parse('{ a: x a: y }')) // { fields: 2, overlapComparisons: 1 }
 */
export function documentShape(document: DocumentNode): DocumentShape {
  const fragmentWidths = new Map<string, number>();
  for (const definition of document.definitions) {
    if (definition.kind === 'FragmentDefinition') fragmentWidths.set(definition.name.value, fieldsOf(definition.selectionSet).length);
  }
  let comparisons = 0;
  const sizes = new Map<SelectionSetNode, number>();
  /** The number of fields below a selection set (fragments not followed); counts the comparisons of each set on the way. */
  const walk = (selectionSet: SelectionSetNode): number => {
    let size = sizes.get(selectionSet);
    if (size !== undefined) return size;
    size = 0;
    const byResponseName = new Map<string, number[]>();
    for (const field of fieldsOf(selectionSet)) {
      const below = field.selectionSet ? walk(field.selectionSet) : 0;
      size += 1 + below;
      const responseName = field.alias?.value ?? field.name.value;
      const group = byResponseName.get(responseName);
      if (group) group.push(below);
      else byResponseName.set(responseName, [below]);
    }
    for (const group of byResponseName.values())
      comparisons += pairs(group.length) * (1 + group.reduce((most, below) => Math.max(most, below), 0));
    const spreads = new Set(spreadsOf(selectionSet));
    const widest = [...spreads].reduce((most, name) => Math.max(most, fragmentWidths.get(name) ?? 0), 0);
    comparisons += pairs(spreads.size) * (1 + widest) + spreads.size * byResponseName.size;
    sizes.set(selectionSet, size);
    return size;
  };
  let operations = 0;
  let fields = 0;
  for (const definition of document.definitions) {
    if (definition.kind === 'OperationDefinition' || definition.kind === 'FragmentDefinition') fields += walk(definition.selectionSet);
    if (definition.kind === 'OperationDefinition') operations += 1;
  }
  // The variable rules gather, for each operation, every fragment it reaches.
  return { fields, overlapComparisons: comparisons + operations * fragmentWidths.size };
}

function pairs(count: number): number {
  return (count * (count - 1)) / 2;
}

/** The fields of a selection set as the rule collects them: inline fragments' fields included. */
function fieldsOf(selectionSet: SelectionSetNode): FieldNode[] {
  return selectionSet.selections.flatMap((selection) =>
    selection.kind === 'Field' ? [selection] : selection.kind === 'InlineFragment' ? fieldsOf(selection.selectionSet) : [],
  );
}

function spreadsOf(selectionSet: SelectionSetNode): string[] {
  return selectionSet.selections.flatMap((selection) =>
    selection.kind === 'FragmentSpread'
      ? [selection.name.value]
      : selection.kind === 'InlineFragment'
        ? spreadsOf(selection.selectionSet)
        : [],
  );
}
