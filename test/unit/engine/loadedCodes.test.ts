import { describe, expect, it } from 'vitest';
import { CodeLoadError, LoadedCodes } from '../../../local/engine/index.ts';

const echo = `export function request(ctx) { return { payload: ctx.args } }
export function response(ctx) { return ctx.result }`;
const counter = `let calls = 0;
export function request(ctx) { calls = calls + 1; return { payload: calls } }
export function response(ctx) { return ctx.result }`;

describe('codes loaded once each', () => {
  it('gives every resolver naming one function the same loaded code', () => {
    const codes = new LoadedCodes();
    const first = codes.load(echo, 'echo.js');
    expect(codes.load(echo, 'echo.js')).toBe(first);
  });

  it('loads the same source again under another file name, which its errors and stack traces show', () => {
    const codes = new LoadedCodes();
    expect(codes.load(echo, 'a.js')).not.toBe(codes.load(echo, 'b.js'));
    expect(codes.load(echo, 'b.js').file).toBe('b.js');
  });

  it('keeps a shared module with top-level state fresh for each evaluation, as for one resolver', () => {
    const codes = new LoadedCodes();
    const shared = codes.load(counter, 'counter.js');
    expect(shared.evaluate('request', {}).outcome).toEqual({ status: 'returned', value: { payload: 1 } });
    expect(codes.load(counter, 'counter.js').evaluate('request', {}).outcome).toEqual({ status: 'returned', value: { payload: 1 } });
  });

  it('takes unchanged codes from the previous version of the API and loads only what changed', () => {
    const before = new LoadedCodes();
    const unchanged = before.load(echo, 'echo.js');
    const edited = before.load(counter, 'counter.js');
    const after = new LoadedCodes(before);
    expect(after.load(echo, 'echo.js')).toBe(unchanged);
    expect(after.load(counter.replace('calls + 1', 'calls + 2'), 'counter.js')).not.toBe(edited);
  });

  it('rejects a preload with the first code AWS would refuse, naming its file and line', async () => {
    const refused =
      'export function request(ctx) {\n  let i = 0;\n  i++;\n  return {};\n}\nexport function response(ctx) { return ctx.result }';
    const preload = new LoadedCodes().preload([
      { source: echo, file: 'Query.echo.js' },
      { source: refused, file: 'Query.count.js' },
    ]);
    await expect(preload).rejects.toBeInstanceOf(CodeLoadError);
    await expect(preload).rejects.toThrow('Query.count.js:3:3: LINT_ERROR The operator ++ is not supported.');
  });
});
