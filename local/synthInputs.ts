/**
 * What a synthesis read, as one hash: every file of the project (but dependencies, version control,
 * dot folders and cloud assemblies), the locked dependency versions among them, plus the Node version
 * and the CDK_* environment. `npm start` skips the synthesis when cdk.out was written from the same
 * hash: nothing the app could import has changed. Hashing the whole tree, not a list of folders, because
 * an app may import any file; a changed test or doc costs one needless synthesis, never a stale one.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, writeFileSync, type Dirent } from 'node:fs';
import path from 'node:path';

/** Where the hash of the inputs is kept, inside the cloud assembly it describes. */
const HASH_FILE = '.synthesis-inputs.sha256';

/** Folders never read as inputs: installed packages, version control, cloud assemblies. */
const SKIPPED = new Set(['node_modules', '.git']);

function isSkipped(entry: Dirent, outdir: string, dir: string): boolean {
  return SKIPPED.has(entry.name) || entry.name.startsWith('.') || entry.name.startsWith('cdk.out') || path.join(dir, entry.name) === outdir;
}

function filesUnder(dir: string, outdir: string, found: string[]): void {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (isSkipped(entry, outdir, dir)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) filesUnder(full, outdir, found);
    else if (entry.isFile()) found.push(full);
  }
}

/** The hash of everything a synthesis of `projectDir` into `outdir` can depend on. */
export function synthesisInputsHash(projectDir: string, outdir: string, environment: Record<string, string | undefined>): string {
  const hash = createHash('sha256');
  hash.update(`node ${process.version}\n`);
  for (const name of Object.keys(environment)
    .filter((key) => key.startsWith('CDK_') && key !== 'CDK_OUTDIR')
    .sort()) {
    hash.update(`env ${name}=${environment[name]}\n`);
  }
  const files: string[] = [];
  filesUnder(path.resolve(projectDir), path.resolve(outdir), files);
  for (const file of files) {
    hash.update(`file ${path.relative(projectDir, file)}\n`);
    hash.update(readFileSync(file));
  }
  return hash.digest('hex');
}

/** The inputs' hash cdk.out was last written from, if any. */
export function recordedInputsHash(outdir: string): string | undefined {
  try {
    return readFileSync(path.join(outdir, HASH_FILE), 'utf8').trim();
  } catch {
    return undefined;
  }
}

export function recordInputsHash(outdir: string, inputsHash: string): void {
  writeFileSync(path.join(outdir, HASH_FILE), `${inputsHash}\n`);
}

/** Before a synthesis writes cdk.out: if it fails halfway, no hash claims the half-written assembly. */
export function forgetInputsHash(outdir: string): void {
  rmSync(path.join(outdir, HASH_FILE), { force: true });
}
