/**
 * `npm start` skips the synthesis when cdk.out was written from the same sources (local/synthInputs.ts).
 * The app here is a stand-in for `cdk.json`'s app command that counts its runs in the assembly, so each
 * test sees whether the synthesis ran; the reuse rule is the same whatever the app does.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { synthesize } from '../../../local/index.ts';

const APP = `import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
mkdirSync(process.env.CDK_OUTDIR, { recursive: true });
const runs = process.env.CDK_OUTDIR + '/runs.txt';
writeFileSync(runs, String((existsSync(runs) ? Number(readFileSync(runs, 'utf8')) : 0) + 1));
writeFileSync(process.env.CDK_OUTDIR + '/manifest.json', '{}');
`;

let project: string;
const outdir = () => path.join(project, 'cdk.out');
const runs = () => Number(readFileSync(path.join(outdir(), 'runs.txt'), 'utf8'));
const start = () => synthesize(project, undefined, { reuseUnchanged: true });

beforeEach(() => {
  project = mkdtempSync(path.join(tmpdir(), 'synthesis-reuse-'));
  writeFileSync(path.join(project, 'cdk.json'), JSON.stringify({ app: 'node app.mjs' }));
  writeFileSync(path.join(project, 'app.mjs'), APP);
  mkdirSync(path.join(project, 'infra'));
  writeFileSync(path.join(project, 'infra', 'stack.ts'), 'export const version = 1;\n');
});
afterEach(() => rmSync(project, { recursive: true, force: true }));

describe('synthesis reuse (npm start)', () => {
  it('synthesizes once, then reuses cdk.out while no source changed', async () => {
    expect((await start()).reused).toBe(false);
    expect((await start()).reused).toBe(true);
    expect(runs()).toBe(1);
  });

  it('synthesizes again when a source file changes, is added or is removed', async () => {
    await start();
    writeFileSync(path.join(project, 'infra', 'stack.ts'), 'export const version = 2;\n');
    expect((await start()).reused).toBe(false);
    writeFileSync(path.join(project, 'infra', 'other.ts'), 'export {};\n');
    expect((await start()).reused).toBe(false);
    rmSync(path.join(project, 'infra', 'other.ts'));
    expect((await start()).reused).toBe(false);
    expect(runs()).toBe(4);
  });

  it('synthesizes again when a CDK_ environment variable changes, and ignores node_modules, .git and cdk.out', async () => {
    await start();
    mkdirSync(path.join(project, 'node_modules'));
    writeFileSync(path.join(project, 'node_modules', 'x.js'), '1');
    mkdirSync(path.join(project, '.git'));
    writeFileSync(path.join(project, '.git', 'HEAD'), 'ref');
    expect((await start()).reused).toBe(true);
    process.env.CDK_SYNTHESIS_REUSE_TEST = 'changed';
    try {
      expect((await start()).reused).toBe(false);
    } finally {
      delete process.env.CDK_SYNTHESIS_REUSE_TEST;
    }
    expect(runs()).toBe(2);
  });

  it('always synthesizes when reuse is not asked for (tests, benchmarks, --synth), and records what it synthesized', async () => {
    await start();
    expect((await synthesize(project)).reused).toBe(false);
    expect(runs()).toBe(2);
    expect((await start()).reused).toBe(true);
    expect(runs()).toBe(2);
  });

  it('tells whether it synthesizes before the app runs, so npm start says the right thing while it waits', async () => {
    const decisions: boolean[] = [];
    const onDecision = (synthesizing: boolean) => decisions.push(synthesizing);
    const first = synthesize(project, undefined, { reuseUnchanged: true, onDecision });
    expect(decisions).toEqual([true]);
    await first;
    await synthesize(project, undefined, { reuseUnchanged: true, onDecision });
    expect(decisions).toEqual([true, false]);
  });

  it('never reuses an assembly a failed synthesis left behind', async () => {
    await start();
    writeFileSync(path.join(project, 'app.mjs'), `${APP}\nprocess.exit(3);\n`);
    await expect(start()).rejects.toThrow(/exited with 3/);
    writeFileSync(path.join(project, 'app.mjs'), APP);
    expect((await start()).reused).toBe(false);
    expect(runs()).toBe(3);
  });
});
