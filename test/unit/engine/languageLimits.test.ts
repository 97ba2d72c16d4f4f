import { describe, expect, it } from 'vitest';
import { checkCode, CodeLoadError, loadCode, MAX_CODE_LENGTH } from '../../../local/engine/index.ts';
import { locationOf, moduleWith, onlyError } from './engine.fixtures.ts';

/** Expect `body` (inside `request`) to be refused once, at `needle`, with a message matching `value`. */
function expectRefused(body: string, needle: string, value: RegExp, header?: string): void {
  const source = moduleWith(body, header);
  const error = onlyError(source);
  expect(error.errorType).toBe('LINT_ERROR');
  expect(error.value).toMatch(value);
  expect(error.location).toMatchObject(locationOf(source, needle));
}

describe('the APPSYNC_JS language check', () => {
  describe('refuses statements AWS does not support', () => {
    it('refuses try/catch/finally', () => {
      expectRefused('  try { return {} } catch (e) { return {} } finally { }', 'try', /try\/catch\/finally is not supported/);
    });
    it('refuses throw', () => {
      expectRefused("  throw new Error('x');", 'throw', /throw is not supported.*util\.error/);
    });
    it('refuses while', () => {
      expectRefused('  let n = 0;\n  while (n < 3) { n += 1 }\n  return {};', 'while', /while loops are not supported/);
    });
    it('refuses do-while', () => {
      expectRefused('  let n = 0;\n  do { n += 1 } while (n < 3);\n  return {};', 'do {', /do-while loops are not supported/);
    });
    it('refuses continue', () => {
      expectRefused('  for (const x of ctx.args.xs) { if (x) continue; }\n  return {};', 'continue', /continue is not supported/);
    });
    it('refuses the classic for(;;) loop', () => {
      expectRefused(
        '  const out = [];\n  for (let i = 0; i < 3; i += 1) { out.push(i) }\n  return out;',
        'for (let',
        /for\(initialization; condition; afterthought\) is not supported/,
      );
    });
    it('refuses labels', () => {
      expectRefused(
        '  outer: for (const x of ctx.args.xs) { break outer; }\n  return {};',
        'outer:',
        /Labeled statements are not supported/,
      );
    });
  });

  describe('refuses operators AWS does not support', () => {
    it('refuses ++', () => {
      expectRefused('  let n = 0;\n  n++;\n  return { n };', 'n++', /The operator \+\+ is not supported/);
    });
    it('refuses --', () => {
      expectRefused('  let n = 1;\n  --n;\n  return { n };', '--n', /The operator -- is not supported/);
    });
    it('refuses unary ~', () => {
      expectRefused('  return { n: ~ctx.args.n };', '~ctx', /The operator ~ is not supported/);
    });
    it('refuses in', () => {
      expectRefused("  return { has: 'id' in ctx.args };", "'id' in", /in operator is not supported.*Object\.hasOwn/);
    });
    it('refuses instanceof', () => {
      expectRefused(
        '  return { isArray: ctx.args.xs instanceof Array };',
        'ctx.args.xs instanceof',
        /instanceof operator is not supported/,
      );
    });
  });

  describe('refuses constructs AWS does not support', () => {
    it('refuses this', () => {
      expectRefused('  return { self: this };', 'this', /this is not supported/);
    });
    it('refuses classes', () => {
      expectRefused('  class Point {}\n  return {};', 'class', /Classes are not supported/);
    });
    it('refuses async functions', () => {
      const source = moduleWith('  return {};').replace('function request', 'async function request');
      const error = onlyError(source);
      expect(error.value).toMatch(/async functions are not supported/);
      expect(error.location).toMatchObject(locationOf(source, 'async function'));
    });
    it('refuses await', () => {
      const source = moduleWith('  return {};').replace(
        'function response(ctx) {\n  return ctx.result;',
        'async function response(ctx) {\n  return await ctx.result;',
      );
      const errors = checkCode(source);
      expect(errors.map((e) => e.value)).toEqual([
        expect.stringMatching(/async functions/),
        expect.stringMatching(/await is not supported/),
      ]);
      expect(errors[1]?.location).toMatchObject(locationOf(source, 'await'));
    });
    it('refuses Promise', () => {
      expectRefused('  return { p: Promise.resolve(1) };', 'Promise', /Promise is not supported/);
    });
    it('refuses generators', () => {
      const source = moduleWith('  return {};').replace('function response(ctx)', 'function* response(ctx)');
      const error = onlyError(source);
      expect(error.value).toMatch(/Generators are not supported/);
      expect(error.location).toMatchObject(locationOf(source, 'function* response'));
    });
    it('refuses regular expression literals', () => {
      expectRefused('  return { ok: /^a+$/.test(ctx.args.s) };', '/^a+$/', /Regular expression literals are not supported/);
    });
    it('refuses direct recursion, where the function calls itself', () => {
      const source = moduleWith('  return { n: depth(ctx.args.tree) };').replace(
        'function request',
        'function depth(node) {\n  return node ? 1 + depth(node.child) : 0;\n}\nfunction request',
      );
      const error = onlyError(source);
      expect(error.value).toBe('Recursive function calls are not supported: depth calls itself.');
      expect(error.location).toMatchObject(locationOf(source, 'depth(node.child)'));
    });
    it('refuses mutual recursion', () => {
      const source = moduleWith('  return { even: isEven(4) };').replace(
        'function request',
        'function isEven(n) {\n  return n === 0 ? true : isOdd(n - 1);\n}\nconst isOdd = (n) => (n === 0 ? false : isEven(n - 1));\nfunction request',
      );
      const errors = checkCode(source);
      expect(errors.map((e) => e.value)).toEqual([
        'Recursive function calls are not supported: isEven -> isOdd -> isEven.',
        'Recursive function calls are not supported: isOdd -> isEven -> isOdd.',
      ]);
      expect(errors[0]?.location).toMatchObject(locationOf(source, 'isOdd(n - 1)'));
    });
    it('refuses recursion through an array callback', () => {
      const source = moduleWith('  return flatten(ctx.args.tree);').replace(
        'function request',
        'function flatten(node) {\n  return [node.id, ...node.children.flatMap((c) => flatten(c))];\n}\nfunction request',
      );
      const error = onlyError(source);
      expect(error.value).toMatch(/flatten calls itself/);
      expect(error.location).toMatchObject(locationOf(source, 'flatten(c)'));
    });
    it('refuses passing a function to anything but the supported array methods', () => {
      expectRefused(
        '  const twice = (f) => f(f(1));\n  return { n: twice((x) => x + 1) };',
        'twice((x)',
        /Functions can be passed only to the array methods map, filter/,
      );
    });
    it('refuses sort with a comparator, as AWS does when the code is saved', () => {
      expectRefused(
        '  return ctx.args.scores.sort((a, b) => a.score - b.score);',
        'ctx.args.scores.sort(',
        /Functions can be passed only to the array methods map, filter, .*flatMap\.$/,
      );
    });
    it('refuses returning a function', () => {
      expectRefused('  return () => 1;', 'return () => 1', /Returning a function is not supported/);
    });
    it('refuses re-assigning a function', () => {
      expectRefused('  const f = (x) => x;\n  const g = f;\n  return { n: g(1) };', 'g = f', /Re-assigning a function is not supported/);
    });
    it('refuses writing ctx or its first-level properties', () => {
      expectRefused(
        '  ctx.args = { id: 1 };\n  return {};',
        'ctx.args =',
        /ctx is read-only: adding or updating ctx\.args is not supported/,
      );
    });
    it('refuses dynamic import', () => {
      expectRefused("  return import('./other.js');", "import('./other.js')", /Dynamic import\(\) is not supported/);
    });
    it('refuses importing modules other than @aws-appsync/utils', () => {
      const source = moduleWith('  return {};', "import { util } from '@aws-appsync/utils';\nimport { v4 } from 'uuid';");
      const error = onlyError(source);
      expect(error.value).toMatch(/Import of 'uuid' is not supported/);
      expect(error.location).toMatchObject({ line: 2, column: 1 });
    });
  });

  describe('refuses built-ins AWS does not offer', () => {
    it.each(['Proxy', 'Reflect', 'Symbol', 'WeakMap', 'Map', 'Set', 'BigInt', 'Intl', 'globalThis'])('refuses %s', (name) => {
      expectRefused(`  return { x: typeof ${name} };`, name, new RegExp(`^${name} is not supported in APPSYNC_JS\\.$`));
    });
    it('refuses eval', () => {
      expectRefused("  return eval('1 + 1');", 'eval', /eval is not supported/);
    });
    it('refuses the Function constructor', () => {
      expectRefused("  return { f: new Function('return 1') };", 'Function', /Function is not supported/);
    });
    it('refuses Object.defineProperty and the other methods AWS does not implement', () => {
      expectRefused(
        "  const o = {};\n  Object.defineProperty(o, 'a', { value: 1 });\n  return o;",
        'Object.defineProperty',
        /Method Object\.defineProperty is not supported/,
      );
    });
    it('refuses String.prototype.padStart', () => {
      expectRefused("  return { id: ctx.args.id.padStart(8, '0') };", 'padStart', /Method padStart is not supported/);
    });
    it('refuses Function.prototype.call', () => {
      expectRefused('  const f = (x) => x;\n  return f.call(null, 1);', 'call', /Method call is not supported/);
    });
    it.each(['constructor', 'toString', 'hasOwnProperty', 'valueOf', '__proto__'])(
      'checks a member of a binding named %s like any other (names of Object.prototype are no built-ins)',
      (name) => {
        // Before, `toString.x` found Object.prototype.toString in the table of denied statics and the check threw a TypeError.
        expect(checkCode(moduleWith(`  const ${name} = { x: 1 };\n  return { n: ${name}.x };`))).toEqual([]);
      },
    );
    it('allows a local binding that shadows a banned name', () => {
      expect(checkCode(moduleWith('  const Set = { of: 1 };\n  return { n: Set.of };'))).toEqual([]);
    });
  });

  it('refuses code longer than 32,768 characters', () => {
    const source = moduleWith(`  return { s: '${'x'.repeat(MAX_CODE_LENGTH)}' };`);
    const errors = checkCode(source);
    expect(errors).toEqual([
      { errorType: 'LINT_ERROR', value: expect.stringMatching(/at most 32768/), location: { line: 1, column: 1, span: source.length } },
    ]);
  });

  it('reports a syntax error as a PARSER_ERROR with its line and column', () => {
    const source = "export function request(ctx) {\n  return { a: 'unterminated };\n}\n";
    expect(checkCode(source)).toEqual([
      { errorType: 'PARSER_ERROR', value: 'Parsing error: Unterminated string constant', location: { line: 2, column: 15, span: -1 } },
    ]);
  });

  it('accepts what AWS supports: for-of, for-in, array callbacks, sort without a comparator, spread, templates, Object.hasOwn', () => {
    const source = moduleWith(
      [
        '  const out = [];',
        '  for (const item of ctx.args.items) { if (!item) break; out.push(item); }',
        '  for (const key in ctx.args) { out.push(key); }',
        '  const sorted = [...out].sort().map((x) => `${x}!`).filter((x) => x.length > 1);',
        '  const total = ctx.args.items.reduce((sum, n) => sum + n, 0);',
        "  return { sorted, total, has: Object.hasOwn(ctx.args, 'items'), bits: ctx.args.n & 1, kind: typeof ctx.args.n, n: ctx.args.n ?? 0, deep: ctx.args?.a?.b };",
      ].join('\n'),
    );
    expect(checkCode(source)).toEqual([]);
  });

  it('refuses at load time, listing every error with file, line and column', () => {
    const source = moduleWith('  let n = 0;\n  n++;\n  while (n) { n -= 1 }\n  return {};');
    let caught: unknown;
    try {
      loadCode(source, { file: 'resolvers/Query.count.js' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CodeLoadError);
    const error = caught as CodeLoadError;
    expect(error.codeErrors).toHaveLength(2);
    expect(error.message).toContain('resolvers/Query.count.js:4:3: LINT_ERROR The operator ++ is not supported.');
    expect(error.message).toContain('resolvers/Query.count.js:5:3: LINT_ERROR while loops are not supported');
  });
});
