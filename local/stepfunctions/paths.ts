/**
 * JSONPath as Step Functions reads it (Jayway JsonPath semantics, "Paths" in
 * https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-paths.html):
 * - a Path (`InputPath`, `OutputPath`, `x.$` in Parameters, `ItemsPath`) may use the full syntax,
 *   filters and wildcards included: a definite path gives its value, an indefinite one a list;
 * - a Reference Path (`ResultPath`, Choice `Variable`) names one node, with `.name`, `['name']` and `[0]` only;
 * - `$$.` reads the context object, `$name.` a workflow variable (JSONPath states may read variables).
 * Evaluation uses `jsonpath-plus` (its safe evaluator for filters); what reaches nothing is `PathNotFound`.
 */
import { JSONPath } from 'jsonpath-plus';

export class PathNotFound extends Error {
  constructor(readonly path: string) {
    super(`Invalid path '${path}' : No results for path: ${bracketed(path)}`);
  }
}

export class InvalidPath extends Error {}

export interface PathScope {
  /** The context object, for `$$` paths. */
  context: unknown;
  /** Workflow variables, for `$name` paths. */
  variables: Record<string, unknown>;
}

const INDEFINITE = /\.\.|\*|\[\?|\[[^\]]*[:,][^\]]*\]|@/;

/** Jayway's spelling of a path in its messages: `$.a.b[0]` → `$['a']['b'][0]`. */
function bracketed(path: string): string {
  try {
    return (
      '$' +
      parseReferencePath(path.replace(/^\$\$?[A-Za-z_][\w]*?(?=\.|\[|$)/, '$'))
        .map((step) => (typeof step === 'number' ? `[${step}]` : `['${step}']`))
        .join('')
    );
  } catch {
    return path;
  }
}

/** Whether `path` may reach several nodes (and so yields a list). */
export function isIndefinite(path: string): boolean {
  return INDEFINITE.test(path);
}

/** Splits a variable or context path into where it reads and the `$…` path within. */
function rootOf(path: string, input: unknown, scope: PathScope | undefined): { root: unknown; path: string } {
  if (path.startsWith('$$')) return { root: scope?.context, path: `$${path.slice(2)}` };
  const variable = /^\$([A-Za-z_][A-Za-z0-9_]*)/.exec(path);
  if (variable) {
    const name = variable[1]!;
    if (!scope || !Object.hasOwn(scope.variables, name)) throw new PathNotFound(path);
    return { root: scope.variables[name], path: `$${path.slice(variable[0].length)}` };
  }
  return { root: input, path };
}

/**
 * The value a Path selects. Throws `PathNotFound` when a definite path reaches nothing
 * (an indefinite path that reaches nothing gives `[]`, as Jayway does).
 */
export function evaluatePath(path: string, input: unknown, scope?: PathScope): unknown {
  if (typeof path !== 'string' || !path.startsWith('$'))
    throw new InvalidPath(`The value for the field must be a valid JSONPath: ${String(path)}`);
  const { root, path: within } = rootOf(path, input, scope);
  if (within === '$') return root;
  const indefinite = isIndefinite(within);
  let results: unknown[];
  try {
    results = JSONPath({ path: within, json: root as object, wrap: true, eval: 'safe' }) as unknown[];
  } catch (error) {
    throw new InvalidPath(`Invalid path '${path}': ${(error as Error).message}`);
  }
  if (indefinite) return results ?? [];
  if (!results || results.length === 0) throw new PathNotFound(path);
  return results[0];
}

/** The steps of a Reference Path: names and array indices. Throws `InvalidPath` for anything else. */
export function parseReferencePath(path: string): (string | number)[] {
  if (!path.startsWith('$')) throw new InvalidPath(`A reference path must start with '$': ${path}`);
  const steps: (string | number)[] = [];
  let i = 1;
  while (i < path.length) {
    if (path[i] === '.') {
      const match = /^[^.[\]]+/.exec(path.slice(i + 1));
      if (!match) throw new InvalidPath(`Invalid reference path: ${path}`);
      steps.push(match[0]);
      i += 1 + match[0].length;
    } else if (path[i] === '[') {
      const close = path.indexOf(']', i);
      if (close < 0) throw new InvalidPath(`Invalid reference path: ${path}`);
      const inner = path.slice(i + 1, close).trim();
      if (/^\d+$/.test(inner)) steps.push(Number(inner));
      else if (/^'[^']*'$/.test(inner) || /^"[^"]*"$/.test(inner)) steps.push(inner.slice(1, -1));
      else throw new InvalidPath(`A reference path may only name fields and array indices: ${path}`);
      i = close + 1;
    } else {
      throw new InvalidPath(`Invalid reference path: ${path}`);
    }
  }
  return steps;
}

/**
 * `ResultPath`: `result` placed into a copy of `input` at `path`, creating objects on the way.
 * `$` replaces the input. A step that cannot be applied (through a non-object) is a `ResultPathMatchFailure`,
 * reported by the caller with AWS's error name.
 */
export function setAtReferencePath(input: unknown, path: string, result: unknown): unknown {
  const steps = parseReferencePath(path);
  if (steps.length === 0) return result;
  const copy = structuredClone(input) as unknown;
  let node = copy;
  for (let index = 0; index < steps.length; index += 1) {
    const step = steps[index]!;
    const last = index === steps.length - 1;
    if (typeof step === 'number') {
      if (!Array.isArray(node) || step >= node.length)
        throw new InvalidPath(`Unable to apply step "${step}" to input ${JSON.stringify(node)}`);
      if (last) node[step] = result;
      else node = node[step];
      continue;
    }
    if (node === null || typeof node !== 'object' || Array.isArray(node))
      throw new InvalidPath(`Unable to apply step "${step}" to input ${JSON.stringify(node)}`);
    const record = node as Record<string, unknown>;
    if (last) record[step] = result;
    else {
      if (record[step] === undefined || record[step] === null) record[step] = {};
      node = record[step];
    }
  }
  return copy;
}
