import * as acorn from 'acorn';
import * as walk from 'acorn-walk';
import type { CodeError } from '../codeError.ts';
import {
  ALLOWED_MODULES,
  BANNED_GLOBALS,
  CALLBACK_METHODS,
  DENIED_INSTANCE_METHODS,
  DENIED_STATIC_METHODS,
  MAX_CODE_LENGTH,
} from './languageRules.ts';
import { IMPORT_FUNCTION } from '../load/transformModule.ts';
import { INVOKE_SLOT } from '../sandbox/realm.ts';

import {
  analyseScopes,
  findRecursion,
  isFunctionNode,
  type Binding,
  type FunctionNode,
  type Node,
  type ScopeNode,
} from './scopeAnalysis.ts';

/** The result of parsing: the program, or the parser's error as a code error. */
export type ParseResult = { ok: true; program: acorn.Program } | { ok: false; error: CodeError };

/** Parse APPSYNC_JS source as an ES module (what esbuild emits), with locations. */
export function parseModule(source: string): ParseResult {
  try {
    const program = acorn.parse(source, { ecmaVersion: 'latest', sourceType: 'module', locations: true });
    return { ok: true, program };
  } catch (error) {
    const e = error as SyntaxError & { loc?: { line: number; column: number } };
    // acorn appends " (line:column)" to its messages; the location says it already.
    const message = e.message.replace(/ \(\d+:\d+\)$/, '');
    return {
      ok: false,
      error: {
        errorType: 'PARSER_ERROR',
        value: `Parsing error: ${message}`,
        location: { line: e.loc?.line ?? 0, column: (e.loc?.column ?? -1) + 1, span: -1 },
      },
    };
  }
}

/**
 * Check source against the language limits of APPSYNC_JS and return every violation, in source
 * order, as AWS's `codeErrors`. An empty list means AWS would accept the code.
 *
 * @example
 * checkCode('export function request(ctx) { let i = 0; i++; return {} }');
 * // [{ errorType: 'LINT_ERROR', value: 'The operator ++ is not supported.', location: { line: 1, column: 43, span: 3 } }]
 */
export function checkCode(source: string): CodeError[] {
  return checkSource(source).errors;
}

/** `checkCode`, also returning the parsed program when the source parses. */
export function checkSource(source: string): { program?: acorn.Program; errors: CodeError[] } {
  const errors: CodeError[] = [];
  if (source.length > MAX_CODE_LENGTH) {
    errors.push({
      errorType: 'LINT_ERROR',
      value: `Code is ${source.length} characters long; APPSYNC_JS accepts at most ${MAX_CODE_LENGTH}.`,
      location: { line: 1, column: 1, span: source.length },
    });
  }
  const parsed = parseModule(source);
  if (!parsed.ok) return { errors: [...errors, parsed.error] };
  errors.push(...checkProgram(parsed.program));
  return { program: parsed.program, errors: sortErrors(errors) };
}

/** Source order: line, then column. */
export function sortErrors(errors: CodeError[]): CodeError[] {
  return errors.sort((a, b) => a.location.line - b.location.line || a.location.column - b.location.column);
}

/** Check a parsed program (see `checkCode`). */
export function checkProgram(program: acorn.Program): CodeError[] {
  const analysis = analyseScopes(program);
  const errors: CodeError[] = [];
  const report = (node: Node, value: string, span = node.end - node.start): void => {
    const start = node.loc?.start ?? { line: 0, column: -1 };
    errors.push({ errorType: 'LINT_ERROR', value, location: { line: start.line, column: start.column + 1, span } });
  };
  const calls: { from: ScopeNode; to: FunctionNode; call: acorn.CallExpression }[] = [];

  const resolve = (name: string, ancestors: Node[]): Binding | undefined => {
    for (let i = ancestors.length - 1; i >= 0; i -= 1) {
      const scope = analysis.scopes.get(ancestors[i] as ScopeNode);
      const binding = scope?.get(name);
      if (binding) return binding;
    }
    return undefined;
  };
  const isFunctionValue = (node: Node, ancestors: Node[]): boolean =>
    isFunctionNode(node) || (node.type === 'Identifier' && resolve(node.name, ancestors)?.kind === 'function');
  const enclosingScope = (ancestors: Node[]): ScopeNode => {
    for (let i = ancestors.length - 2; i >= 0; i -= 1) {
      const a = ancestors[i] as Node;
      if (isFunctionNode(a) || a.type === 'Program') return a;
    }
    return program;
  };
  const isContextParam = (node: Node, ancestors: Node[]): boolean => {
    if (node.type !== 'Identifier') return false;
    for (const param of analysis.contextParams) {
      if (param.name !== node.name) continue;
      // The parameter is the binding when the nearest scope declaring the name is its function.
      for (let i = ancestors.length - 1; i >= 0; i -= 1) {
        const scope = analysis.scopes.get(ancestors[i] as ScopeNode);
        if (scope?.has(node.name)) return isFunctionNode(ancestors[i] as Node) && (ancestors[i] as FunctionNode).params[0] === param;
      }
    }
    return false;
  };
  /** `ctx = …`, `ctx.x = …`, `ctx[x] = …`: AppSync's context and its first-level properties are read-only. */
  const checkContextWrite = (target: Node, ancestors: Node[], what: string): void => {
    if (isContextParam(target, ancestors)) {
      report(target, `${(target as acorn.Identifier).name} is read-only: ${what} is not supported.`);
    } else if (target.type === 'MemberExpression' && isContextParam(target.object, ancestors)) {
      const prop = !target.computed && target.property.type === 'Identifier' ? target.property.name : undefined;
      const name = (target.object as acorn.Identifier).name;
      report(
        target,
        prop
          ? `${name} is read-only: adding or updating ${name}.${prop} is not supported.`
          : `${name} is read-only: adding or updating its properties is not supported.`,
      );
    }
  };

  walk.fullAncestor(program, (node, _state, ancestors, type) => {
    switch (node.type) {
      case 'TryStatement':
        report(node, 'try/catch/finally is not supported: use util.error to fail, util.appendError to report.', 3);
        break;
      case 'ThrowStatement':
        report(node, 'throw is not supported: use util.error(message, errorType, data, errorInfo).', 5);
        break;
      case 'WhileStatement':
        report(node, 'while loops are not supported: use for-of or for-in.', 5);
        break;
      case 'DoWhileStatement':
        report(node, 'do-while loops are not supported: use for-of or for-in.', 2);
        break;
      case 'ForStatement':
        report(node, 'for(initialization; condition; afterthought) is not supported: use for-of or for-in.', 3);
        break;
      case 'ContinueStatement':
        report(node, 'continue is not supported.');
        break;
      case 'LabeledStatement':
        report(node, 'Labeled statements are not supported.', node.label.end - node.start + 1);
        break;
      case 'UpdateExpression':
        report(node, `The operator ${node.operator} is not supported.`);
        checkContextWrite(node.argument, ancestors, `updating it`);
        break;
      case 'UnaryExpression':
        if (node.operator === '~') report(node, 'The operator ~ is not supported.');
        if (node.operator === 'delete') checkContextWrite(node.argument, ancestors, 'deleting it');
        break;
      case 'BinaryExpression':
        if (node.operator === 'in') report(node, 'The in operator is not supported: use Object.hasOwn(object, key).');
        if (node.operator === 'instanceof') report(node, 'The instanceof operator is not supported.');
        break;
      case 'ThisExpression':
        report(node, 'this is not supported.');
        break;
      case 'Super':
        report(node, 'super is not supported.');
        break;
      case 'MetaProperty':
        report(node, `${node.meta.name}.${node.property.name} is not supported.`);
        break;
      case 'ClassDeclaration':
      case 'ClassExpression':
        report(node, 'Classes are not supported.', 5);
        break;
      case 'FunctionDeclaration':
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
        if (node.async) report(node, 'async functions are not supported: APPSYNC_JS has no promises.');
        if (node.generator) report(node, 'Generators are not supported.');
        if (node.type === 'ArrowFunctionExpression' && node.expression && isFunctionValue(node.body, ancestors)) {
          report(node, 'Returning a function is not supported.');
        }
        break;
      case 'AwaitExpression':
        report(node, 'await is not supported: APPSYNC_JS has no promises.');
        break;
      case 'YieldExpression':
        report(node, 'yield is not supported.');
        break;
      case 'Literal':
        if ('regex' in node && node.regex) report(node, 'Regular expression literals are not supported.');
        if ('bigint' in node && node.bigint !== undefined) report(node, 'BigInt literals are not supported.');
        break;
      case 'ImportExpression':
        report(node, 'Dynamic import() is not supported.');
        break;
      case 'TaggedTemplateExpression':
        report(node, 'Tagged templates are not supported.');
        break;
      case 'ImportDeclaration': {
        const from = String(node.source.value);
        if (!ALLOWED_MODULES.has(from)) {
          report(
            node,
            `Import of '${from}' is not supported: APPSYNC_JS code may import only ${[...ALLOWED_MODULES].join(' and ')}; bundle other modules with esbuild.`,
          );
        }
        break;
      }
      case 'ExportAllDeclaration':
        report(node, 'export * is not supported: export request and response.');
        break;
      case 'ExportNamedDeclaration':
        if (node.source) report(node, 'Re-exporting from another module is not supported.');
        break;
      case 'Identifier':
        // type 'Identifier' is a read; declarations and assignment targets are walked as patterns.
        if (type === 'Identifier' && BANNED_GLOBALS.has(node.name) && !resolve(node.name, ancestors)) {
          report(node, `${node.name} is not supported in APPSYNC_JS.`);
        }
        if (node.name === IMPORT_FUNCTION || node.name === INVOKE_SLOT) report(node, `${node.name} is reserved by the local engine.`);
        // In an ES module, top-level `arguments` does not exist; in the engine's module wrapper it would.
        if (
          type === 'Identifier' &&
          node.name === 'arguments' &&
          !ancestors.some((a) => a.type === 'FunctionDeclaration' || a.type === 'FunctionExpression')
        ) {
          report(node, 'arguments is not defined outside a function.');
        }
        break;
      case 'MemberExpression': {
        if (node.computed || node.property.type !== 'Identifier' || node.object.type !== 'Identifier') break;
        // Own keys only: `toString.x` or `constructor.y` would otherwise find Object.prototype's methods.
        const denied = Object.hasOwn(DENIED_STATIC_METHODS, node.object.name) ? DENIED_STATIC_METHODS[node.object.name] : undefined;
        if (denied?.has(node.property.name) && !resolve(node.object.name, ancestors)) {
          report(node, `Method ${node.object.name}.${node.property.name} is not supported.`);
        }
        break;
      }
      case 'CallExpression': {
        const callee = node.callee;
        const property =
          callee.type === 'MemberExpression' && !callee.computed && callee.property.type === 'Identifier' ? callee.property : undefined;
        const method = property?.name;
        if (property && method && DENIED_INSTANCE_METHODS.has(method)) {
          report(property, `Method ${method} is not supported.`);
        }
        if (node.arguments.some((arg) => isFunctionValue(arg, ancestors)) && !(method && CALLBACK_METHODS.has(method))) {
          report(node, `Functions can be passed only to the array methods ${[...CALLBACK_METHODS].join(', ')}.`);
        }
        if (callee.type === 'Identifier') {
          const binding = resolve(callee.name, ancestors);
          if (binding?.kind === 'function') calls.push({ from: enclosingScope(ancestors), to: binding.fn, call: node });
        }
        break;
      }
      case 'ReturnStatement':
        if (node.argument && isFunctionValue(node.argument, ancestors)) report(node, 'Returning a function is not supported.');
        break;
      case 'VariableDeclarator':
        if (node.init?.type === 'Identifier' && isFunctionValue(node.init, ancestors))
          report(node, 'Re-assigning a function is not supported.');
        break;
      case 'AssignmentExpression':
        if (node.operator === '=' && node.right.type === 'Identifier' && isFunctionValue(node.right, ancestors)) {
          report(node, 'Re-assigning a function is not supported.');
        }
        checkContextWrite(node.left, ancestors, 'assigning it');
        break;
      default:
        break;
    }
  });

  findRecursion(analysis, calls, report);
  return errors;
}
