/**
 * Regenerates a fixture app's committed synthesis: synthesizes the CDK app of `folder` (its `cdk.json`)
 * and keeps in `folder/assembly/` only what the local runtime reads (manifest, stack templates, asset
 * manifests and the assets themselves).
 *
 * @example
 * await synthesizeFixture('test/fixtures/parameterizedApp'); // writes test/fixtures/parameterizedApp/assembly
 */
import { cpSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { synthesize } from '../../local/index.ts';

export async function synthesizeFixture(folder: string): Promise<string> {
  const out = path.resolve('.local', `cdk.out.${path.basename(folder)}`);
  // CDK never cleans its output directory: start empty so no asset of an older synthesis is kept.
  rmSync(out, { recursive: true, force: true });
  await synthesize(path.resolve(folder), out);
  const target = path.resolve(folder, 'assembly');
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target);
  for (const file of readdirSync(out)) {
    if (file === 'manifest.json' || file.endsWith('.template.json') || file.endsWith('.assets.json') || file.startsWith('asset.'))
      cpSync(path.join(out, file), path.join(target, file), { recursive: true });
  }
  return target;
}
