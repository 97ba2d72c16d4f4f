/**
 * Synthesizes a CDK app into a cloud assembly the way the CDK CLI does: runs
 * the `app` command of `cdk.json` with `CDK_OUTDIR` set, so the local runtime
 * serves exactly what `cdk deploy` would deploy.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { forgetInputsHash, recordInputsHash, recordedInputsHash, synthesisInputsHash } from './synthInputs.ts';

export interface SynthResult {
  outdir: string;
  durationMs: number;
  /** True when cdk.out was already written from the same inputs and the app was not run. */
  reused: boolean;
}

export interface SynthOptions {
  /** Skip the synthesis when `outdir` was written from the same inputs (synthInputs.ts); `npm start` does. */
  reuseUnchanged?: boolean;
  /** Context values added to cdk.json's (as `cdk synth -c key=value` would), e.g. `{ delivery: 'Guest:direct' }`; part of the inputs' hash. */
  context?: Record<string, string>;
  /** Told, before the app runs (or does not), whether this call synthesizes or reuses cdk.out: what to say while waiting. */
  onDecision?: (synthesizing: boolean) => void;
}

export async function synthesize(
  projectDir: string,
  outdir = path.join(projectDir, 'cdk.out'),
  options: SynthOptions = {},
): Promise<SynthResult> {
  const started = performance.now();
  const config = JSON.parse(readFileSync(path.join(projectDir, 'cdk.json'), 'utf8')) as { app?: string; context?: Record<string, unknown> };
  if (!config.app) throw new Error(`${path.join(projectDir, 'cdk.json')} has no "app" command to synthesize.`);
  // Always hashed and recorded (tens of milliseconds), so cdk.out never carries the hash of other sources than its own.
  const contextJson = JSON.stringify({ ...config.context, ...options.context });
  const inputsHash = synthesisInputsHash(projectDir, outdir, { ...process.env, CDK_CONTEXT_JSON: contextJson });
  if (options.reuseUnchanged && recordedInputsHash(outdir) === inputsHash) {
    options.onDecision?.(false);
    return { outdir, durationMs: performance.now() - started, reused: true };
  }
  options.onDecision?.(true);
  forgetInputsHash(outdir);
  const output: string[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(config.app!, {
      cwd: projectDir,
      shell: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        // What `cdk synth --no-validation` sets (aws/aws-cdk ae98e88): aws-cdk-lib then skips its built-in
        // CloudFormation template validation, a WebAssembly rule engine that took 2/3 of this app's synthesis
        // (17.3 s → 6.1 s of CPU, 30 s → 10 s on a loaded 2-core machine) and writes only a report beside the
        // template, which is the same byte for byte. `cdk deploy` still validates; CDK_VALIDATION=true here too.
        CDK_VALIDATION: 'false',
        ...process.env,
        CDK_OUTDIR: outdir,
        CDK_CONTEXT_JSON: contextJson,
      },
    });
    child.stdout.on('data', (chunk: Buffer) => output.push(String(chunk)));
    child.stderr.on('data', (chunk: Buffer) => output.push(String(chunk)));
    child.on('error', reject);
    child.on('exit', resolve);
  });
  if (code !== 0) {
    throw new Error(`Synthesis failed (\`${config.app}\` exited with ${code}):\n${output.join('').trim()}`);
  }
  recordInputsHash(outdir, inputsHash);
  return { outdir, durationMs: performance.now() - started, reused: false };
}
