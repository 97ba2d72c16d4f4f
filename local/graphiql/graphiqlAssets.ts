/**
 * Serves the local GraphiQL page (app.ts, browser code) at `/`: bundled with
 * esbuild on first request, kept in memory, and cached under `.local/graphiql/`
 * by a key over the sources and the versions of what they bundle, so a restart
 * serves it at once and nothing generated is committed.
 *
 * @example
 * const graphiql = new GraphiqlAssets();
 * if (await graphiql.serve(pathname, response, { apiName: 'Api', apiKey: 'da2-…' })) return;
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { introspectionFromSchema, type GraphQLSchema } from 'graphql';
import { defaultTabsFor, type DefaultTabsOptions } from './defaultTabs.ts';
import type { PageAuthConfig } from './pageAuth.ts';

export interface GraphiqlPageConfig {
  apiName: string;
  apiKey: string;
  /** The API's modes and what the page needs to call it in each (pageAuth.ts). */
  auth: PageAuthConfig;
  /** The schema served now: the page reads it from /graphiql/schema.json rather than by an introspection query. */
  schema: GraphQLSchema;
  /** Whether the page (API key) may call a root field: the default tabs hold only such fields. */
  callable: DefaultTabsOptions['callable'];
  /** The subscription the default tabs open on, when the app's launcher names one (defaultTabs.ts). */
  subscription?: string;
}

interface Bundle {
  key: string;
  js: Buffer;
  css: Buffer;
}

const require = createRequire(import.meta.url);
const SOURCE_DIR = path.dirname(fileURLToPath(import.meta.url));
const ENTRY = path.join(SOURCE_DIR, 'app.ts');
const BUNDLED_PACKAGES = ['graphiql', '@graphiql/react', 'react', 'react-dom', 'graphql', 'ulid', 'esbuild'];
const PAGE_PATHS = new Set(['/', '/graphiql']);

export class GraphiqlAssets {
  private bundle: Promise<Bundle> | undefined;
  private readonly cacheDir: string;
  private readonly introspections = new WeakMap<GraphQLSchema, string>();

  constructor(options: { cacheDir?: string } = {}) {
    this.cacheDir = path.resolve(options.cacheDir ?? '.local/graphiql');
  }

  /** Answer GET `/`, `/graphiql`, `/graphiql/app.js`, `/graphiql/app.css`, `/graphiql/schema.json` (and `/favicon.ico`, empty); false for any other path. */
  async serve(pathname: string, response: ServerResponse, config: GraphiqlPageConfig): Promise<boolean> {
    if (pathname === '/favicon.ico') {
      response.writeHead(204, { 'cache-control': 'public, max-age=86400' });
      response.end();
      return true;
    }
    if (pathname === '/graphiql/schema.json') {
      // From the schema itself, not an IntrospectionQuery through the API: the 13 levels of that query
      // exceed any QueryDepthLimit under 13 (this stack's is 15), and an API may switch introspection off.
      let json = this.introspections.get(config.schema);
      if (!json) {
        json = JSON.stringify(introspectionFromSchema(config.schema));
        this.introspections.set(config.schema, json);
      }
      response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
      response.end(json);
      return true;
    }
    if (!PAGE_PATHS.has(pathname) && pathname !== '/graphiql/app.js' && pathname !== '/graphiql/app.css') return false;
    let bundle: Bundle;
    try {
      bundle = await this.load();
    } catch (error) {
      this.bundle = undefined; // try again on the next request (a fixed source, a finished npm install)
      response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      response.end(`The GraphiQL page could not be bundled:\n${(error as Error).message}`);
      return true;
    }
    if (pathname === '/graphiql/app.js' || pathname === '/graphiql/app.css') {
      const js = pathname.endsWith('.js');
      response.writeHead(200, {
        'content-type': js ? 'text/javascript; charset=utf-8' : 'text/css; charset=utf-8',
        // The page asks for ?v=<key>: a new bundle is a new URL.
        'cache-control': 'public, max-age=31536000, immutable',
      });
      response.end(js ? bundle.js : bundle.css);
      return true;
    }
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    response.end(pageHtml(bundle.key, config));
    return true;
  }

  /** Bundle now (or read the cache), so the first page view does not wait. */
  warm(): Promise<void> {
    return this.load().then(
      () => undefined,
      () => undefined,
    );
  }

  private load(): Promise<Bundle> {
    this.bundle ??= this.build();
    return this.bundle;
  }

  private async build(): Promise<Bundle> {
    const key = bundleKey();
    const dir = path.join(this.cacheDir, key);
    const jsFile = path.join(dir, 'app.js');
    const cssFile = path.join(dir, 'app.css');
    if (existsSync(jsFile) && existsSync(cssFile)) {
      return { key, js: readFileSync(jsFile), css: readFileSync(cssFile) };
    }
    const result = await esbuild.build({
      entryPoints: { app: ENTRY },
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      minify: true,
      write: false,
      outdir: dir,
      legalComments: 'none',
      logLevel: 'silent',
      // graphql and React read NODE_ENV to drop their development checks.
      define: { 'process.env.NODE_ENV': '"production"' },
    });
    const output = (ext: string) => {
      const file = result.outputFiles.find((candidate) => candidate.path.endsWith(ext));
      if (!file) throw new Error(`esbuild produced no ${ext} file for ${ENTRY}`);
      return Buffer.from(file.contents);
    };
    const bundle = { key, js: output('.js'), css: output('.css') };
    mkdirSync(dir, { recursive: true });
    // Write then rename: two servers starting together never read half a file.
    for (const [file, contents] of [
      [jsFile, bundle.js],
      [cssFile, bundle.css],
    ] as const) {
      const temporary = `${file}.${process.pid}.tmp`;
      writeFileSync(temporary, contents);
      renameSync(temporary, file);
    }
    // Bundles of older sources or package versions are never asked for again.
    for (const other of readdirSync(this.cacheDir)) {
      if (other !== key) rmSync(path.join(this.cacheDir, other), { recursive: true, force: true });
    }
    return bundle;
  }
}

/** What the bundle depends on: our sources and the versions of the packages in it. */
function bundleKey(): string {
  const hash = createHash('sha256');
  for (const file of readdirSync(SOURCE_DIR)
    .filter((name) => name.endsWith('.ts'))
    .sort()) {
    hash.update(file).update(readFileSync(path.join(SOURCE_DIR, file)));
  }
  for (const name of BUNDLED_PACKAGES) {
    const manifest = JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version: string };
    hash.update(`${name}@${manifest.version}`);
  }
  return hash.digest('hex').slice(0, 16);
}

function pageHtml(key: string, config: GraphiqlPageConfig): string {
  const tabs = defaultTabsFor(config.schema, { callable: config.callable, subscription: config.subscription });
  const pageConfig = {
    apiName: config.apiName,
    apiKey: config.apiKey,
    auth: config.auth,
    graphqlPath: '/graphql',
    realtimePath: '/graphql/realtime',
    schemaPath: '/graphiql/schema.json',
    tabs,
  };
  // `<` escaped so no value can close the script element.
  const configJson = JSON.stringify(pageConfig).replace(/</g, '\\u003c');
  const title = config.apiName.replace(/[&<>"]/g, (char) => `&#${char.charCodeAt(0)};`);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>GraphiQL · ${title} (local)</title>
<link rel="stylesheet" href="/graphiql/app.css?v=${key}">
<style>
  html, body, #root { height: 100%; margin: 0; }
  #root { display: flex; flex-direction: column; }
  #graphiql { flex: 1; min-height: 0; }
  .appsync-banner { font: 13px/1.4 system-ui, sans-serif; padding: 6px 14px; background: #232f3e; color: #fff; }
  .appsync-banner a { color: #ffb84d; }
  .appsync-banner code { font-size: 12px; }
  .appsync-banner-note { color: #aab7c4; }
  .appsync-auth { display: flex; flex-wrap: wrap; gap: 4px 14px; align-items: center; margin-top: 4px; }
  .appsync-auth input, .appsync-auth select { font: 12px system-ui, sans-serif; }
  .appsync-auth-status { color: #aab7c4; }
</style>
<script type="application/json" id="appsync-config">${configJson}</script>
</head>
<body>
<div id="root"></div>
<script type="module" src="/graphiql/app.js?v=${key}"></script>
</body>
</html>
`;
}
