/**
 * The JSONPath subset EventBridge evaluates in `InputPath` and `InputPathsMap`: `$`, dot notation
 * (names may hold dashes, underscores, slashes, digits), array indices `[0]` and wildcards `*`.
 * A wildcard yields the array of what it reached; a path that reaches nothing yields `undefined`.
 */
type Step = { kind: 'name'; name: string } | { kind: 'index'; index: number } | { kind: 'wildcard' };

const cache = new Map<string, Step[]>();

export class JsonPathError extends Error {}

export function parseJsonPath(path: string): Step[] {
  const cached = cache.get(path);
  if (cached) return cached;
  if (!path.startsWith('$')) throw new JsonPathError(`JSON path must start with $: ${path}`);
  const steps: Step[] = [];
  let i = 1;
  while (i < path.length) {
    const c = path[i];
    if (c === '.') {
      let j = i + 1;
      while (j < path.length && path[j] !== '.' && path[j] !== '[') j += 1;
      const name = path.slice(i + 1, j);
      if (name === '') throw new JsonPathError(`empty name in JSON path: ${path}`);
      steps.push(name === '*' ? { kind: 'wildcard' } : { kind: 'name', name });
      i = j;
    } else if (c === '[') {
      const close = path.indexOf(']', i);
      const inner = close < 0 ? '' : path.slice(i + 1, close);
      if (inner === '*') steps.push({ kind: 'wildcard' });
      else if (/^\d+$/.test(inner)) steps.push({ kind: 'index', index: Number(inner) });
      else throw new JsonPathError(`only array indices and * may be bracketed (EventBridge uses dot notation): ${path}`);
      i = close + 1;
    } else {
      throw new JsonPathError(`unexpected "${c}" in JSON path: ${path}`);
    }
  }
  cache.set(path, steps);
  return steps;
}

/**
 * The value `path` reaches in `root`, or undefined. With `digitsIndexArrays`, a name of digits on an
 * array is an index (`$.roles.L.0.S`), as EventBridge Pipes reads it (recorded: stackoverflow.com/q/75587543).
 */
export function evaluateJsonPath(root: unknown, path: string, options: { digitsIndexArrays?: boolean } = {}): unknown {
  let current: unknown[] = [root];
  let spread = false;
  for (const step of parseJsonPath(path)) {
    const next: unknown[] = [];
    for (const value of current) {
      if (step.kind === 'name') {
        if (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.hasOwn(value, step.name)) {
          next.push((value as Record<string, unknown>)[step.name]);
        } else if (options.digitsIndexArrays && Array.isArray(value) && /^\d+$/.test(step.name) && Number(step.name) < value.length) {
          next.push(value[Number(step.name)]);
        }
      } else if (step.kind === 'index') {
        if (Array.isArray(value) && step.index < value.length) next.push(value[step.index]);
      } else if (Array.isArray(value)) {
        next.push(...value);
      } else if (typeof value === 'object' && value !== null) {
        next.push(...Object.values(value));
      }
    }
    if (step.kind === 'wildcard') spread = true;
    current = next;
  }
  if (spread) return current.length === 0 ? undefined : current;
  return current[0];
}
