/**
 * Executes an operation with thousands of root fields (`{ a0: … a9999: … }`) in pieces of a few hundred,
 * each in a turn of the event loop of its own. graphql-js runs a selection set's fields in one go (10 000
 * aliased fields: 20 ms of the event loop, 80 on a busy machine); root fields do not depend on each other,
 * so executing them piece by piece, in order, answers the same data and errors: a query's root fields are
 * independent, a mutation's run one after another anyway, and fields sharing a response name stay in one
 * piece to be merged as graphql-js merges them. One context is shared, so the resolver count runs on across
 * pieces. Operations with fragments at the root run whole.
 *
 * @example
 * const result = await executeInPieces({ schema, document, operation, ... }, 500, () => eventLoopTurns.next(context));
 */
import {
  execute,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type FieldNode,
  type OperationDefinitionNode,
} from 'graphql';

/**
 * The result of `args`, executed piece by piece when the operation's root holds more than `pieceSize` fields.
 * `betweenPieces` is awaited before each piece after the first.
 */
export async function executeInPieces(
  args: ExecutionArgs & { operation: OperationDefinitionNode },
  pieceSize: number,
  betweenPieces: () => Promise<void>,
): Promise<ExecutionResult> {
  const pieces = rootPieces(args.operation, pieceSize);
  if (!pieces) return execute(args);
  const data: Record<string, unknown> = {};
  const errors: NonNullable<ExecutionResult['errors']>[number][] = [];
  let nulled = false;
  for (const [index, fields] of pieces.entries()) {
    if (index > 0) await betweenPieces();
    const result = await execute({ ...args, document: withRootFields(args.document, args.operation, fields) });
    // Variables that do not fit: every piece would say so; graphql-js answers it without data.
    if (!('data' in result)) return result;
    errors.push(...(result.errors ?? []));
    if (result.data === null || result.data === undefined) nulled = true;
    else Object.assign(data, result.data);
  }
  // A non-null root field that failed nulls the whole response, as in one execution.
  return errors.length > 0 ? { data: nulled ? null : data, errors } : { data: nulled ? null : data };
}

/** The root fields in pieces of about `size` (fields sharing a response name kept together), or undefined when one piece will do. */
function rootPieces(operation: OperationDefinitionNode, size: number): FieldNode[][] | undefined {
  const selections = operation.selectionSet.selections;
  if (selections.length <= size || selections.some((selection) => selection.kind !== 'Field')) return undefined;
  const byResponseName = new Map<string, FieldNode[]>();
  for (const field of selections as readonly FieldNode[]) {
    const responseName = field.alias?.value ?? field.name.value;
    const group = byResponseName.get(responseName);
    if (group) group.push(field);
    else byResponseName.set(responseName, [field]);
  }
  const pieces: FieldNode[][] = [[]];
  for (const group of byResponseName.values()) {
    if (pieces.at(-1)!.length >= size) pieces.push([]);
    pieces.at(-1)!.push(...group);
  }
  return pieces;
}

/** The same document with the operation's root fields replaced; every node shared, so locations are unchanged. */
function withRootFields(document: DocumentNode, operation: OperationDefinitionNode, fields: FieldNode[]): DocumentNode {
  const piece: OperationDefinitionNode = { ...operation, selectionSet: { ...operation.selectionSet, selections: fields } };
  return { ...document, definitions: document.definitions.map((definition) => (definition === operation ? piece : definition)) };
}
