/**
 * The local console at `/_local` on the local server's port: one static page (console.html, .js, .css
 * beside this file; no build step) and the JSON API it polls, under `/_local/api/`. Local only: the
 * local server routes these paths before anything else, they are no GraphQL field, and they answer
 * loopback callers only (as /local/credentials), since the console shows every stored event.
 *
 *   GET /_local                               the page
 *   GET /_local/api/streams                   tables holding event streams, each stream summarized
 *   GET /_local/api/streams/{table}/{stream}  one stream's events
 *   GET /_local/api/deliveries                recent bus deliveries, failed deliveries (DLQ records), Lambda's asynchronous
 *                                             queue (waiting, ended) and its undelivered records
 *   GET /_local/api/schedules                 pending and recently ended schedules
 *   GET /_local/api/executions                state machine executions, newest first
 *   GET /_local/api/executions/{arn}          one execution: history and graph (SVG)
 *   GET /_local/api/pipes                     pipes, their recent batches and failed batches
 *   GET /_local/api/search?q={id}             every record above that mentions an id
 *
 * @example
 * const console = new LocalConsole(sources);
 * if (await console.serve(request, response)) return;
 */
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MIN_QUERY_LENGTH, searchById } from './commandSearch.ts';
import { ConsoleViews, type ConsoleSources } from './consoleViews.ts';
import { LOOPBACK_ADDRESSES } from '../server/localCallers.ts';

export const CONSOLE_PATH = '/_local';
const API = `${CONSOLE_PATH}/api/`;
const PAGE_DIR = path.dirname(fileURLToPath(import.meta.url));
const ASSETS: Record<string, { file: string; type: string }> = {
  [CONSOLE_PATH]: { file: 'console.html', type: 'text/html; charset=utf-8' },
  [`${CONSOLE_PATH}/console.js`]: { file: 'console.js', type: 'text/javascript; charset=utf-8' },
  [`${CONSOLE_PATH}/console.css`]: { file: 'console.css', type: 'text/css; charset=utf-8' },
};

export interface LocalConsoleOptions {
  /** Masks NoEcho parameter values in every answer, as the stack's log lines are masked (a target's error may echo one). */
  mask?: (text: string) => string;
}

export class LocalConsole {
  private readonly views: ConsoleViews;

  constructor(
    private readonly sources: ConsoleSources,
    private readonly options: LocalConsoleOptions = {},
  ) {
    this.views = new ConsoleViews(sources);
  }

  /** Answer a request under /_local; false for any other path. */
  async serve(request: IncomingMessage, response: ServerResponse): Promise<boolean> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const pathname = url.pathname.replace(/\/$/, '');
    if (pathname !== CONSOLE_PATH && !pathname.startsWith(`${CONSOLE_PATH}/`)) return false;
    if (!LOOPBACK_ADDRESSES.has(request.socket.remoteAddress ?? '')) {
      send(response, 403, { errorType: 'AccessDenied', message: 'The local console answers loopback callers only.' });
      return true;
    }
    if (request.method !== 'GET') {
      send(response, 405, { errorType: 'MethodNotAllowed', message: 'The local console is read-only: GET only.' });
      return true;
    }
    const asset = ASSETS[pathname];
    if (asset) {
      // Read at each request (small files): an edit shows on reload, as the rest of `npm start --watch` does.
      response.writeHead(200, { 'content-type': asset.type, 'cache-control': 'no-store' });
      response.end(readFileSync(path.join(PAGE_DIR, asset.file)));
      return true;
    }
    const answer = pathname.startsWith(API)
      ? await this.api(pathname.slice(API.length).split('/').map(decodeURIComponent), url)
      : undefined;
    if (answer === undefined) {
      send(response, 404, {
        errorType: 'NotFound',
        message: `Nothing at ${pathname}. The console is at ${CONSOLE_PATH}; its API lists streams, deliveries, schedules, executions, pipes and search.`,
      });
    } else {
      send(response, 200, answer, this.options.mask);
    }
    return true;
  }

  private async api(segments: string[], url: URL): Promise<unknown> {
    const [view, ...rest] = segments;
    switch (view) {
      case 'streams':
        if (rest.length === 0) return this.views.streams();
        // A stream id may itself hold '/' (any app's keys): everything after the table is the id.
        return rest.length >= 2 ? this.views.stream(rest[0]!, rest.slice(1).join('/')) : undefined;
      case 'deliveries':
        return rest.length === 0 ? this.views.deliveries() : undefined;
      case 'schedules':
        return rest.length === 0 ? this.views.schedules() : undefined;
      case 'executions':
        if (rest.length === 0) return this.views.executions();
        return this.views.execution(rest.join('/'));
      case 'pipes':
        return rest.length === 0 ? this.views.pipes() : undefined;
      case 'search': {
        const query = url.searchParams.get('q') ?? '';
        if (query.trim().length < MIN_QUERY_LENGTH)
          return { query, matches: [], note: `Give at least ${MIN_QUERY_LENGTH} characters of an id (a command id, an aggregate id …).` };
        return { query, matches: await searchById(this.views, this.sources, query) };
      }
      default:
        return undefined;
    }
  }
}

function send(response: ServerResponse, status: number, body: unknown, mask: (text: string) => string = (text) => text): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  response.end(mask(JSON.stringify(body)));
}
