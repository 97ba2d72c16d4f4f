/**
 * Bundles an APPSYNC_JS resolver or function the way AWS documents it:
 * esbuild, ESM, `@aws-appsync/utils` left external (AppSync provides it),
 * everything else inlined. The bundle is embedded in the template, so the
 * local runtime runs exactly the code that deploys.
 */
import * as appsync from 'aws-cdk-lib/aws-appsync';
import type { Construct } from 'constructs';
import { buildSync } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** AppSync refuses resolver or function code over this many characters. */
export const APPSYNC_CODE_LIMIT = 32_768;

const bundles = new Map<string, string>();

/** The bundled code of one file under the project root, e.g. `resolvers/Query.getReservation.ts`. */
export function bundleAppSyncCode(relativePath: string): string {
  const cached = bundles.get(relativePath);
  if (cached !== undefined) {
    return cached;
  }
  const result = buildSync({
    entryPoints: [path.join(PROJECT_ROOT, relativePath)],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    target: 'esnext',
    external: ['@aws-appsync/utils', '@aws-appsync/utils/*'],
    // Type-only imports vanish; a value import that pulls Node code would fail in AppSync.
    logLevel: 'silent',
    legalComments: 'none',
  });
  const code = result.outputFiles[0]!.text;
  if (code.length > APPSYNC_CODE_LIMIT) {
    throw new Error(`${relativePath} bundles to ${code.length} characters; AppSync accepts at most ${APPSYNC_CODE_LIMIT}. Split the step or trim its imports.`);
  }
  bundles.set(relativePath, code);
  return code;
}

/**
 * One APPSYNC_JS pipeline step: `functions/<folder>/<name>.ts`, bundled, on `dataSource`.
 * The AppSync function takes the file's name, so the console and logs name the source file.
 */
export function pipelineStep(scope: Construct, api: appsync.IGraphqlApi, folder: string, name: string, dataSource: appsync.BaseDataSource): appsync.AppsyncFunction {
  return new appsync.AppsyncFunction(scope, name, {
    name,
    api,
    dataSource,
    runtime: appsync.FunctionRuntime.JS_1_0_0,
    code: appsync.Code.fromInline(bundleAppSyncCode(`functions/${folder}/${name}.ts`)),
  });
}
