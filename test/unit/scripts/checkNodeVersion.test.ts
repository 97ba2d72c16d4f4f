import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const script = join(import.meta.dirname, '../../../scripts/check-node-version.mjs');

/** Run the check as `npm start` and `npm test` do (prestart, pretest), on this Node. */
function check(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [script, ...args], (error, out, err) => resolve({ code: error ? Number(error.code) : 0, out, err }));
  });
}

describe('the Node.js version check before npm start and npm test', () => {
  it.each(['18.20.4', '20.18.1', '21.7.3', '22.14.0', '23.11.0'])(
    'refuses Node %s, saying which versions to install instead',
    async (version) => {
      const { code, out, err } = await check(version);
      expect(code).toBe(1);
      expect(out).toBe('');
      expect(err).toContain(`This project needs Node.js 20.19+, 22.15+ or 24+ (package.json "engines"); this is Node.js v${version}.`);
      expect(err).toMatch(/Install Node\.js 24 .*then run the command again/);
    },
  );

  it.each(['20.19.0', '20.20.2', '22.15.0', '22.23.5', '24.0.0', '24.22.3', '26.1.0', 'v24.1.0'])(
    'lets Node %s through silently',
    async (version) => {
      expect(await check(version)).toEqual({ code: 0, out: '', err: '' });
    },
  );

  it('checks the Node it runs on when given no version', async () => {
    expect(await check()).toEqual({ code: 0, out: '', err: '' });
  });

  it('answers a version it cannot read with usage, not a stack trace', async () => {
    const { code, err } = await check('twenty');
    expect(code).toBe(2);
    expect(err).toBe('"twenty" is not a Node.js version (expected X.Y.Z).\n');
  });
});
