/**
 * Copy a value out of the sandbox into plain Node data, with JSON's rules: what a handler returns
 * reaches AppSync as JSON (data source requests, results, the stash between handlers), so
 * `undefined` and functions disappear, `NaN` becomes `null`, and `toJSON` is honoured (a Date
 * becomes its ISO string). The copy has Node's prototypes, so code outside the engine can use
 * `instanceof Object`, lodash, the AWS SDK's marshaller and friends on it.
 *
 * @example
 * toHostData({ a: undefined, b: [undefined, NaN], c: new Date(0) }); // { b: [null, null], c: '1970-01-01T00:00:00.000Z' }
 */
export function toHostData(value: unknown): unknown {
  return copy(value, 0);
}

const MAX_DEPTH = 1000;

function copy(value: unknown, depth: number): unknown {
  if (value === null) return null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'object':
      break;
    case 'bigint':
      throw new TypeError('Do not know how to serialize a BigInt');
    default:
      return undefined;
  }
  if (depth > MAX_DEPTH) throw new TypeError('Converting circular structure to JSON');
  const object = value as Record<string, unknown> & { toJSON?: unknown };
  if (typeof object.toJSON === 'function') return copy((object.toJSON as () => unknown)(), depth + 1);
  if (Array.isArray(value)) {
    const out: unknown[] = new Array(value.length);
    for (let i = 0; i < value.length; i += 1) {
      const item = copy(value[i], depth + 1);
      out[i] = item === undefined ? null : item;
    }
    return out;
  }
  const out: Record<string, unknown> = {};
  // for-in rather than Object.keys: faster here, and the sandbox's prototypes are frozen built-ins
  // with nothing enumerable.
  for (const key in object) {
    const item = copy(object[key], depth + 1);
    if (item === undefined) continue;
    if (key === '__proto__') Object.defineProperty(out, key, { value: item, enumerable: true, writable: true, configurable: true });
    else out[key] = item;
  }
  return out;
}
