import { readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { build } from 'esbuild';
import { createSourceMapper, type OriginalPosition, type SourceMapV3 } from './load/sourceMap.ts';

/** Code as AWS would receive it, and, for bundled TypeScript, a way back to the sources. */
export interface ResolverCode {
  code: string;
  file: string;
  /** Where a position (1-based) of `code` comes from, when `code` was bundled. */
  originalPosition?: (line: number, column: number) => OriginalPosition | undefined;
}

/**
 * Read resolver or function code from a file as AWS would receive it: a `.ts` (or `.mts`) file is
 * bundled with esbuild the way AWS documents it (ESM, `@aws-appsync/utils` external, no minify),
 * a `.js` file is taken as is.
 *
 * @example
 * const { code, originalPosition } = await bundleResolverCode('resolvers/Query.getReservation.ts');
 * const loaded = loadCode(code, { file: 'resolvers/Query.getReservation.ts', originalPosition });
 */
export async function bundleResolverCode(file: string): Promise<ResolverCode> {
  if (!/\.m?ts$/.test(file)) return { code: await readFile(file, 'utf8'), file };
  const absolute = resolve(file);
  const outfile = join(dirname(absolute), '.appsync-js-bundle.js'); // never written: write is false
  const result = await build({
    entryPoints: [absolute],
    bundle: true,
    write: false,
    outfile,
    format: 'esm',
    platform: 'node',
    target: 'esnext',
    sourcemap: 'external',
    minify: false,
    external: ['@aws-appsync/utils', '@aws-appsync/utils/*'],
    logLevel: 'silent',
  });
  const output = result.outputFiles.find((f) => f.path.endsWith('.js'));
  const mapFile = result.outputFiles.find((f) => f.path.endsWith('.js.map'));
  if (!output) throw new Error(`esbuild produced no output for ${file}`);
  // esbuild appends a sourceMappingURL comment pointing at a file that does not exist: drop it.
  const code = output.text.replace(/\n\/\/# sourceMappingURL=\S+\n?$/, '\n');
  if (!mapFile) return { code, file };
  const map = JSON.parse(mapFile.text) as SourceMapV3;
  return { code, file, originalPosition: createSourceMapper(map, (source) => relative(process.cwd(), resolve(dirname(outfile), source))) };
}

/**
 * The code of a file as AWS would receive it (see `bundleResolverCode`).
 *
 * @example
 * const source = await readResolverCode('resolvers/Query.getReservation.ts');
 */
export async function readResolverCode(file: string): Promise<string> {
  return (await bundleResolverCode(file)).code;
}
