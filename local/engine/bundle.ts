import { readFile } from 'node:fs/promises';
import { build } from 'esbuild';

/**
 * Read resolver or function code from a file as AWS would receive it: a `.ts` (or `.mts`) file is
 * bundled with esbuild the way AWS documents it (ESM, `@aws-appsync/utils` external, no minify),
 * a `.js` file is taken as is.
 *
 * @example
 * const source = await readResolverCode('resolvers/Query.getReservation.ts');
 * const code = loadCode(source, { file: 'resolvers/Query.getReservation.ts' });
 */
export async function readResolverCode(file: string): Promise<string> {
  if (!/\.m?ts$/.test(file)) return readFile(file, 'utf8');
  const result = await build({
    entryPoints: [file],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    target: 'esnext',
    sourcemap: false,
    minify: false,
    external: ['@aws-appsync/utils', '@aws-appsync/utils/*'],
    logLevel: 'silent',
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error(`esbuild produced no output for ${file}`);
  return output.text;
}
