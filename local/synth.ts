/**
 * Synthesizes a CDK app into a cloud assembly the way the CDK CLI does: runs
 * the `app` command of `cdk.json` with `CDK_OUTDIR` set, so the local runtime
 * serves exactly what `cdk deploy` would deploy.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

export interface SynthResult {
  outdir: string;
  durationMs: number;
}

export async function synthesize(projectDir: string, outdir = path.join(projectDir, 'cdk.out')): Promise<SynthResult> {
  const started = performance.now();
  const config = JSON.parse(readFileSync(path.join(projectDir, 'cdk.json'), 'utf8')) as { app?: string; context?: Record<string, unknown> };
  if (!config.app) throw new Error(`${path.join(projectDir, 'cdk.json')} has no "app" command to synthesize.`);
  const output: string[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(config.app!, {
      cwd: projectDir,
      shell: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify(config.context ?? {}) },
    });
    child.stdout.on('data', (chunk: Buffer) => output.push(String(chunk)));
    child.stderr.on('data', (chunk: Buffer) => output.push(String(chunk)));
    child.on('error', reject);
    child.on('exit', resolve);
  });
  if (code !== 0) {
    throw new Error(`Synthesis failed (\`${config.app}\` exited with ${code}):\n${output.join('').trim()}`);
  }
  return { outdir, durationMs: performance.now() - started };
}
