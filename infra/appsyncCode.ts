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

/** The module name generic steps and resolvers import their aggregate from (functions/eventStore/boundAggregate.ts). */
export const AGGREGATE_MODULE = '@aggregate';

const bundles = new Map<string, string>();

/**
 * The bundled code of one file under the project root, e.g. `resolvers/Mutation.createReservation.ts`.
 * With `aggregate` (e.g. `functions/reservation/aggregate.ts`), the file's `@aggregate` import is
 * that module: how a generic step or resolver is bound to one aggregate at bundle time.
 */
export function bundleAppSyncCode(relativePath: string, aggregate?: string): string {
  const key = aggregate ? `${relativePath} with ${aggregate}` : relativePath;
  const cached = bundles.get(key);
  if (cached !== undefined) {
    return cached;
  }
  const result = buildSync({
    entryPoints: [path.join(PROJECT_ROOT, relativePath)],
    ...(aggregate ? { alias: { [AGGREGATE_MODULE]: path.join(PROJECT_ROOT, aggregate) } } : {}),
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
    throw new Error(
      `${key} bundles to ${code.length} characters; AppSync accepts at most ${APPSYNC_CODE_LIMIT}. Split the step or trim its imports.`,
    );
  }
  bundles.set(key, code);
  return code;
}

export interface PipelineStepProps {
  api: appsync.IGraphqlApi;
  /** The step's file, e.g. `functions/eventStore/appendEvent.ts`. */
  file: string;
  dataSource: appsync.BaseDataSource;
  /** The AppSync function's name; default the file's, so the console and logs name the source file. */
  name?: string;
  /** Binds the file's `@aggregate` import (see bundleAppSyncCode). */
  aggregate?: string;
}

/** One APPSYNC_JS pipeline step, bundled, on its data source. */
export function pipelineStep(scope: Construct, id: string, props: PipelineStepProps): appsync.AppsyncFunction {
  return new appsync.AppsyncFunction(scope, id, {
    name: props.name ?? path.basename(props.file, '.ts'),
    api: props.api,
    dataSource: props.dataSource,
    runtime: appsync.FunctionRuntime.JS_1_0_0,
    code: appsync.Code.fromInline(bundleAppSyncCode(props.file, props.aggregate)),
  });
}

export interface ResolverProps {
  api: appsync.IGraphqlApi;
  /** `Type.field`. */
  field: string;
  /** The resolver's file; default `resolvers/<Type.field>.ts`. */
  file?: string;
  aggregate?: string;
  /** The steps of a pipeline resolver, or the data source of a unit resolver. */
  pipeline: appsync.IAppsyncFunction[] | appsync.BaseDataSource;
}

/** One APPSYNC_JS resolver of `Type.field`: a pipeline of steps, or a unit resolver on a data source. */
export function fieldResolver(scope: Construct, props: ResolverProps): appsync.Resolver {
  const [typeName, fieldName] = props.field.split('.') as [string, string];
  const code = appsync.Code.fromInline(bundleAppSyncCode(props.file ?? `resolvers/${props.field}.ts`, props.aggregate));
  const shape = Array.isArray(props.pipeline) ? { pipelineConfig: props.pipeline } : { dataSource: props.pipeline };
  return new appsync.Resolver(scope, props.field.replace('.', ''), {
    api: props.api,
    typeName,
    fieldName,
    runtime: appsync.FunctionRuntime.JS_1_0_0,
    code,
    ...shape,
  });
}
