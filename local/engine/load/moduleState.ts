import type * as acorn from 'acorn';
import * as walk from 'acorn-walk';

type Node = acorn.AnyNode;

/** An initializer that cannot hold state: a primitive literal, a function, or an expression of such. */
function isStateless(node: Node | null | undefined): boolean {
  if (!node) return true;
  switch (node.type) {
    case 'Literal':
      return !('regex' in node && node.regex);
    case 'TemplateLiteral':
      return node.expressions.every(isStateless);
    case 'FunctionExpression':
    case 'ArrowFunctionExpression':
    case 'Identifier':
      return true;
    case 'UnaryExpression':
      return isStateless(node.argument);
    case 'BinaryExpression':
    case 'LogicalExpression':
      return isStateless(node.left) && isStateless(node.right);
    case 'ConditionalExpression':
      return isStateless(node.test) && isStateless(node.consequent) && isStateless(node.alternate);
    case 'MemberExpression':
      // Reading a member of an import (util.time, ddb.operations...): the modules are frozen.
      return !node.computed && isStateless(node.object);
    default:
      return false;
  }
}

/**
 * Whether a module keeps state at its top level that a request could change or that depends on
 * the request's time: a top-level call, an object or array (mutable), or a top-level binding
 * some code assigns. AWS starts every invocation from a fresh module; the engine re-runs the
 * module body per evaluation for such modules (about a microsecond), and evaluates the module
 * body only once for the rest (functions and constants, most bundles).
 *
 * @example
 * moduleHasState(parse('const MAX = 30; export function request(ctx) { return {} }')); // false
 * moduleHasState(parse('const seen = []; export function request(ctx) { seen.push(1); return {} }')); // true
 */
export function moduleHasState(program: acorn.Program): boolean {
  const topLevel = new Set<string>();
  for (const statement of program.body) {
    const declaration =
      statement.type === 'ExportNamedDeclaration' || statement.type === 'ExportDefaultDeclaration' ? statement.declaration : statement;
    if (!declaration) continue;
    switch (declaration.type) {
      case 'ImportDeclaration':
      case 'FunctionDeclaration':
      case 'EmptyStatement':
        break;
      case 'VariableDeclaration':
        for (const d of declaration.declarations) {
          if (d.id.type !== 'Identifier' || !isStateless(d.init)) return true;
          topLevel.add(d.id.name);
        }
        break;
      default:
        // Expressions, ifs, loops at the top level: they run per invocation on AWS.
        if (statement.type !== 'ExportDefaultDeclaration' || !isStateless(declaration as Node)) return true;
        break;
    }
  }
  if (topLevel.size === 0) return false;
  let assigned = false;
  walk.simple(program, {
    AssignmentExpression(node) {
      if (node.left.type === 'Identifier' && topLevel.has(node.left.name)) assigned = true;
    },
    UpdateExpression(node) {
      if (node.argument.type === 'Identifier' && topLevel.has(node.argument.name)) assigned = true;
    },
  });
  // A same-named local assigned in a function counts too: a false alarm costs a microsecond, a miss costs parity.
  return assigned;
}
