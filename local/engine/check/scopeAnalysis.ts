/**
 * What the checker knows of a program's names: the bindings of each function scope, the functions
 * called through them, and the recursion APPSYNC_JS forbids (direct or through other functions).
 */
import * as acorn from 'acorn';
import * as walk from 'acorn-walk';

export type Node = acorn.AnyNode;
export type FunctionNode =
  acorn.FunctionDeclaration | acorn.AnonymousFunctionDeclaration | acorn.FunctionExpression | acorn.ArrowFunctionExpression;
export type ScopeNode = FunctionNode | acorn.Program;

/** What a name is bound to in a scope: a function (for the call graph) or anything else. */
export type Binding = { kind: 'function'; fn: FunctionNode; name: string } | { kind: 'other' };

export interface Analysis {
  scopes: Map<ScopeNode, Map<string, Binding>>;
  /** Functions not bound to a name (callbacks): calling their parent may run them. */
  anonymous: { parent: ScopeNode; fn: FunctionNode }[];
  /** The first parameter of `request` / `response`: the context, read-only. */
  contextParams: Set<acorn.Identifier>;
}

export function isFunctionNode(node: Node): node is FunctionNode {
  return node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression';
}

function patternNames(pattern: acorn.Pattern | null | undefined, out: string[] = []): string[] {
  if (!pattern) return out;
  switch (pattern.type) {
    case 'Identifier':
      out.push(pattern.name);
      break;
    case 'ObjectPattern':
      for (const prop of pattern.properties) patternNames(prop.type === 'RestElement' ? prop.argument : prop.value, out);
      break;
    case 'ArrayPattern':
      for (const element of pattern.elements) patternNames(element, out);
      break;
    case 'RestElement':
      patternNames(pattern.argument, out);
      break;
    case 'AssignmentPattern':
      patternNames(pattern.left, out);
      break;
    default:
      break;
  }
  return out;
}

/**
 * Bindings per function (block scopes are folded into their function: a close enough model for
 * telling locals from globals and for finding which function a call reaches).
 */
export function analyseScopes(program: acorn.Program): Analysis {
  const scopes = new Map<ScopeNode, Map<string, Binding>>([[program, new Map()]]);
  const anonymous: Analysis['anonymous'] = [];
  const contextParams = new Set<acorn.Identifier>();
  const scopeOf = (node: ScopeNode): Map<string, Binding> => {
    let scope = scopes.get(node);
    if (!scope) scopes.set(node, (scope = new Map()));
    return scope;
  };
  const nearestScope = (ancestors: Node[], skipSelf: boolean): ScopeNode => {
    for (let i = ancestors.length - (skipSelf ? 2 : 1); i >= 0; i -= 1) {
      const a = ancestors[i] as Node;
      if (isFunctionNode(a) || a.type === 'Program') return a;
    }
    return program;
  };
  const declare = (scope: ScopeNode, name: string, binding: Binding): void => {
    const names = scopeOf(scope);
    if (!names.has(name) || binding.kind === 'function') names.set(name, binding);
  };

  walk.fullAncestor(program, (node, _state, ancestors) => {
    switch (node.type) {
      case 'VariableDeclarator': {
        const scope = nearestScope(ancestors, true);
        if (node.id.type === 'Identifier' && node.init && isFunctionNode(node.init)) {
          declare(scope, node.id.name, { kind: 'function', fn: node.init, name: node.id.name });
        } else {
          for (const name of patternNames(node.id)) declare(scope, name, { kind: 'other' });
        }
        break;
      }
      case 'FunctionDeclaration':
      case 'FunctionExpression':
      case 'ArrowFunctionExpression': {
        const own = scopeOf(node);
        for (const param of node.params) for (const name of patternNames(param)) own.set(name, { kind: 'other' });
        const parent = nearestScope(ancestors, true);
        const holder = ancestors[ancestors.length - 2];
        if (node.type === 'FunctionDeclaration' && node.id) {
          declare(parent, node.id.name, { kind: 'function', fn: node, name: node.id.name });
        } else if (node.type === 'FunctionExpression' && node.id) {
          own.set(node.id.name, { kind: 'function', fn: node, name: node.id.name });
        }
        const named = node.id || (holder?.type === 'VariableDeclarator' && holder.init === node);
        if (!named) anonymous.push({ parent, fn: node });
        const handlerName =
          node.id?.name ?? (holder?.type === 'VariableDeclarator' && holder.id.type === 'Identifier' ? holder.id.name : undefined);
        const first = node.params[0];
        if ((handlerName === 'request' || handlerName === 'response') && parent === program && first?.type === 'Identifier') {
          contextParams.add(first);
        }
        break;
      }
      case 'ImportSpecifier':
      case 'ImportDefaultSpecifier':
      case 'ImportNamespaceSpecifier':
        declare(program, node.local.name, { kind: 'other' });
        break;
      case 'ClassDeclaration':
        if (node.id) declare(nearestScope(ancestors, true), node.id.name, { kind: 'other' });
        break;
      case 'CatchClause':
        for (const name of patternNames(node.param)) declare(nearestScope(ancestors, true), name, { kind: 'other' });
        break;
      default:
        break;
    }
  });
  return { scopes, anonymous, contextParams };
}

/**
 * Recursion: a call from A to B where B can reach A again, through calls or through callbacks
 * defined inside B (so `f` calling itself from inside `items.map(x => f(x))` counts).
 */
export function findRecursion(
  analysis: Analysis,
  calls: { from: ScopeNode; to: FunctionNode; call: acorn.CallExpression }[],
  report: (node: Node, value: string, span?: number) => void,
): void {
  const edges = new Map<ScopeNode, Set<ScopeNode>>();
  const addEdge = (from: ScopeNode, to: ScopeNode): void => {
    let set = edges.get(from);
    if (!set) edges.set(from, (set = new Set()));
    set.add(to);
  };
  for (const { parent, fn } of analysis.anonymous) addEdge(parent, fn);
  for (const { from, to } of calls) addEdge(from, to);

  const names = new Map<ScopeNode, string>();
  for (const scope of analysis.scopes.values()) {
    for (const binding of scope.values()) if (binding.kind === 'function') names.set(binding.fn, binding.name);
  }
  const nameOf = (node: ScopeNode): string => names.get(node) ?? 'anonymous function';

  /** The path from `start` to `goal`, or undefined. */
  const pathTo = (start: ScopeNode, goal: ScopeNode): ScopeNode[] | undefined => {
    const seen = new Set<ScopeNode>();
    const stack: { node: ScopeNode; path: ScopeNode[] }[] = [{ node: start, path: [start] }];
    for (let item = stack.pop(); item; item = stack.pop()) {
      if (item.node === goal) return item.path;
      if (seen.has(item.node)) continue;
      seen.add(item.node);
      for (const next of edges.get(item.node) ?? []) stack.push({ node: next, path: [...item.path, next] });
    }
    return undefined;
  };

  for (const { from, to, call } of calls) {
    if (from.type === 'Program') continue;
    const back = pathTo(to, from);
    if (!back) continue;
    const named = [from, ...back].filter((node) => names.has(node)).map(nameOf);
    const distinct = new Set(named);
    const value =
      distinct.size <= 1
        ? `Recursive function calls are not supported: ${nameOf(to)} calls itself.`
        : `Recursive function calls are not supported: ${[...named, named[0]].filter((n, i, all) => i === 0 || n !== all[i - 1]).join(' -> ')}.`;
    report(call, value);
  }
}
