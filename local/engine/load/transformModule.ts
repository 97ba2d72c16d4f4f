import type * as acorn from 'acorn';
import type { CodeError } from '../codeError.ts';

/** The name under which the wrapper receives the module loader; user code cannot name it usefully. */
export const IMPORT_FUNCTION = '__appsyncJsImport__';

export interface ModuleImport {
  module: string;
  /** `import * as ns`: the whole module. */
  namespace?: string;
  /** `import { a as b }`: imported name → local name. */
  named: { imported: string; local: string; node: acorn.Node }[];
}

export interface TransformedModule {
  /**
   * A function expression `(function (import) { ...; return { exports } })`, whose lines are the
   * original lines shifted down by one (compile it with `lineOffset: -1`).
   */
  wrapped: string;
  imports: ModuleImport[];
  exports: string[];
  errors: CodeError[];
}

/**
 * Turn the ES module esbuild emits (imports of @aws-appsync/utils, `export { request, response }`
 * or `export function request`) into a function body that a `vm.Script` can compile once.
 * Each rewritten statement keeps its line breaks, so line and column of the code stay those of
 * the source in stack traces (except on import lines).
 */
export function transformModule(source: string, program: acorn.Program): TransformedModule {
  const edits: { start: number; end: number; text: string }[] = [];
  const imports: ModuleImport[] = [];
  const exportMap = new Map<string, string>();
  const errors: CodeError[] = [];
  const keepLines = (start: number, end: number, text: string): void => {
    const lines = source.slice(start, end).split('\n').length - 1;
    edits.push({ start, end, text: text + '\n'.repeat(lines) });
  };
  const error = (node: acorn.Node, value: string): void => {
    errors.push({
      errorType: 'LINT_ERROR',
      value,
      location: { line: node.loc?.start.line ?? 0, column: (node.loc?.start.column ?? -1) + 1, span: node.end - node.start },
    });
  };

  for (const statement of program.body) {
    switch (statement.type) {
      case 'ImportDeclaration': {
        const entry: ModuleImport = { module: String(statement.source.value), named: [] };
        const parts: string[] = [];
        for (const spec of statement.specifiers) {
          if (spec.type === 'ImportNamespaceSpecifier') {
            entry.namespace = spec.local.name;
            parts.push(`const ${spec.local.name} = ${IMPORT_FUNCTION}(${JSON.stringify(entry.module)});`);
          } else if (spec.type === 'ImportDefaultSpecifier') {
            error(spec, `${entry.module} has no default export: use import { util } from '${entry.module}' or import * as.`);
          } else {
            const imported = spec.imported.type === 'Identifier' ? spec.imported.name : String(spec.imported.value);
            entry.named.push({ imported, local: spec.local.name, node: spec });
          }
        }
        if (entry.named.length > 0) {
          const pattern = entry.named.map((n) => `${JSON.stringify(n.imported)}: ${n.local}`).join(', ');
          parts.push(`const { ${pattern} } = ${IMPORT_FUNCTION}(${JSON.stringify(entry.module)});`);
        }
        imports.push(entry);
        keepLines(statement.start, statement.end, parts.join(' '));
        break;
      }
      case 'ExportNamedDeclaration': {
        if (statement.source) break; // refused by the language check
        if (statement.declaration) {
          const declaration = statement.declaration;
          if (declaration.type === 'VariableDeclaration') {
            for (const d of declaration.declarations) if (d.id.type === 'Identifier') exportMap.set(d.id.name, d.id.name);
          } else if (declaration.id) {
            exportMap.set(declaration.id.name, declaration.id.name);
          }
          edits.push({ start: statement.start, end: declaration.start, text: '' });
        } else {
          for (const spec of statement.specifiers) {
            const local = spec.local.type === 'Identifier' ? spec.local.name : String(spec.local.value);
            const exported = spec.exported.type === 'Identifier' ? spec.exported.name : String(spec.exported.value);
            exportMap.set(exported, local);
          }
          keepLines(statement.start, statement.end, '');
        }
        break;
      }
      case 'ExportDefaultDeclaration': {
        const declaration = statement.declaration;
        if ((declaration.type === 'FunctionDeclaration' || declaration.type === 'ClassDeclaration') && declaration.id) {
          exportMap.set('default', declaration.id.name);
          edits.push({ start: statement.start, end: declaration.start, text: '' });
        } else {
          exportMap.set('default', '__appsyncJsDefault__');
          edits.push({ start: statement.start, end: declaration.start, text: 'const __appsyncJsDefault__ = ' });
        }
        break;
      }
      default:
        break;
    }
  }

  edits.sort((a, b) => a.start - b.start);
  let body = '';
  let at = 0;
  for (const edit of edits) {
    body += source.slice(at, edit.start) + edit.text;
    at = edit.end;
  }
  body += source.slice(at);
  const exportsObject = [...exportMap].map(([exported, local]) => `${JSON.stringify(exported)}: ${local}`).join(', ');
  const wrapped = `(function (${IMPORT_FUNCTION}) { 'use strict';\n${body}\n;return { ${exportsObject} };\n})`;
  return { wrapped, imports, exports: [...exportMap.keys()], errors };
}
