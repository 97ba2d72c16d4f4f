/**
 * The local AppSync endpoint: one port serving plain HTTP and TLS (the first
 * byte of a connection tells which: 0x16 starts a TLS handshake), because
 * aws-amplify v6 always opens the real-time socket as `wss://`.
 *
 * - POST /graphql: queries and mutations, AppSync's status codes and bodies
 * - GET  /graphql/realtime (upgrade): the real-time protocol
 * - GET  / : GraphiQL with AppSync real-time subscriptions (local/graphiql), /api-config
 * - GET  /local/credentials: the credentials issued per IAM role (loopback callers only)
 * - GET  /_local: the local console and its JSON API (local/console; loopback callers only)
 * - POST /_local/graphiql/user-token, /_local/graphiql/sign: what the GraphiQL page needs to call the API as a
 *   local user or role (local/graphiql/graphiqlAuthEndpoints.ts; loopback callers and this server's pages only)
 */
import { createReadStream, existsSync } from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import path from 'node:path';
import { Duplex } from 'node:stream';
import { createRequire } from 'node:module';
import { authenticate, UnauthorizedError, type ApiAuthConfig } from './authorization.ts';
import { tooManyVariableValues } from './documentCheck/requestBody.ts';
import type { LocalGraphqlApi } from './graphqlApi.ts';
import { RealtimeServer, REALTIME_PATH } from './realtime.ts';
import { authorizedOperationOf } from './lambdaAuthorizer/lambdaAuthorizer.ts';
import type { RequestBodyRead } from './documentCheck/requestBody.ts';
import { GraphiqlAssets, type GraphiqlPageConfig } from '../graphiql/graphiqlAssets.ts';
import { GraphiqlAuthEndpoints } from '../graphiql/graphiqlAuthEndpoints.ts';
import { pageAuthOf, type PageAuthConfig } from '../graphiql/pageAuth.ts';
import { crossSiteRefusal, LOOPBACK_ADDRESSES } from './localCallers.ts';

export interface LocalAppSyncServerOptions {
  api: LocalGraphqlApi;
  auth: ApiAuthConfig;
  port: number;
  host?: string;
  tls?: { key: string; cert: string };
  keepAliveMs?: number;
  onEvent?: (line: string) => void;
  /** The subscription GraphiQL's default tabs open on (an app's launcher may name one); else derived from the schema. */
  graphiqlSubscription?: string;
  /** The local console (local/console), handed every request first; it answers those under /_local. */
  console?: { serve(request: IncomingMessage, response: ServerResponse): Promise<boolean> };
}

const require = createRequire(import.meta.url);
const GRAPHIQL_ROOT = path.join(path.dirname(require.resolve('@aws-amplify/amplify-appsync-simulator/package.json')), 'public');
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};
const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers':
    'content-type, x-api-key, authorization, x-amz-date, x-amz-security-token, x-amz-user-agent, x-correlation-id',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
};

/** How long an idle HTTP keep-alive connection stays open (Node's default: 5 s). */
const IDLE_KEEP_ALIVE_MS = 30_000;

export class LocalAppSyncServer {
  private options: LocalAppSyncServerOptions;
  private readonly plain: http.Server;
  private readonly secure: https.Server | undefined;
  private readonly front: net.Server;
  private readonly realtime: RealtimeServer;
  private readonly sockets = new Set<net.Socket>();
  private readonly graphiql = new GraphiqlAssets();
  private readonly graphiqlAuth = new GraphiqlAuthEndpoints(() => this.options.auth);
  private pageAuthCache: { api: LocalGraphqlApi; auth: ApiAuthConfig; page: PageAuthConfig } | undefined;

  constructor(options: LocalAppSyncServerOptions) {
    this.options = options;
    const handler = (request: IncomingMessage, response: ServerResponse) => void this.handle(request, response);
    this.plain = http.createServer(handler);
    this.secure = options.tls ? https.createServer({ key: options.tls.key, cert: options.tls.cert }, handler) : undefined;
    for (const server of [this.plain, this.secure]) {
      // Node closes an idle keep-alive connection after 5 s and tells clients so; a client that sends on it
      // just then gets ECONNRESET for a POST it cannot retry. That race is won by whoever's timer runs first
      // after a long synchronous stretch (a reload rebuilds the API for seconds on a loaded machine), and a
      // client in the same process (tests, benches) lost it. Half a minute keeps it far from any such stretch (and under the 60 s headersTimeout).
      if (server) server.keepAliveTimeout = IDLE_KEEP_ALIVE_MS;
    }
    this.realtime = new RealtimeServer({
      api: options.api,
      auth: options.auth,
      keepAliveMs: options.keepAliveMs,
      onEvent: options.onEvent,
    });
    for (const server of [this.plain, this.secure]) {
      server?.on('upgrade', (request: IncomingMessage, socket, head: Buffer) => {
        const pathname = new URL(request.url ?? '/', 'http://localhost').pathname.replace(/\/$/, '');
        if (pathname === REALTIME_PATH) this.realtime.handleUpgrade(request, socket, head);
        else socket.destroy();
      });
    }
    // One port, two protocols: read the first byte and hand the connection to the right server.
    // noDelay: real-time messages are small and must not wait for the client's delayed ACK (Nagle).
    this.front = net.createServer({ noDelay: true }, (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.once('data', (first) => {
        if (first[0] === 0x16 && this.secure) {
          // TLS reads from the socket's native handle, which would miss the byte already read:
          // give it a stream that replays that byte, then relays the socket.
          this.secure.emit('connection', replaying(socket, first));
        } else {
          socket.pause();
          socket.unshift(first);
          this.plain.emit('connection', socket);
          socket.resume();
        }
      });
    });
  }

  /** How requests authenticate (the API's modes, its key, credentials, user pool and Lambda authorizer). */
  get auth(): ApiAuthConfig {
    return this.options.auth;
  }

  /** Listen; resolves with the port (a free one when `port` is 0). */
  async start(): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.front.once('error', (error: NodeJS.ErrnoException) =>
        reject(
          error.code === 'EADDRINUSE'
            ? new Error(`Port ${this.options.port} is already in use: stop what holds it, or start with --port <other>.`)
            : error,
        ),
      );
      this.front.listen(this.options.port, this.options.host ?? '127.0.0.1', () => resolve());
    });
    return (this.front.address() as AddressInfo).port;
  }

  /**
   * Serve a rebuilt API (after a resolver or schema change), and its auth configuration, without a restart. Open real-time
   * connections are closed, as AppSync does on a schema update; clients reconnect and resubscribe.
   */
  replaceApi(api: LocalGraphqlApi, auth: ApiAuthConfig = this.options.auth): void {
    const previous = this.options.api;
    this.options.api = api;
    this.options.auth = auth;
    this.realtime.replaceApi(api, auth);
    void previous.close();
  }

  async stop(): Promise<void> {
    this.realtime.close();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.front.close(() => resolve()));
    await this.options.api.close();
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const pathname = url.pathname.replace(/\/$/, '') || '/';
    try {
      // Before the console, which answers the rest of /_local (GET only).
      if (await this.graphiqlAuth.serve(request, response)) return;
      if (this.options.console && (await this.options.console.serve(request, response))) return;
      if (request.method === 'OPTIONS') return this.send(response, 204, undefined);
      if (request.method === 'POST' && pathname === '/graphql') return await this.graphql(request, response, url);
      if (request.method === 'GET' && pathname === '/api-config') return this.send(response, 200, this.graphiqlConfig());
      if (request.method === 'GET' && pathname === '/local/credentials') return this.localCredentials(request, response);
      if (request.method === 'GET' && (await this.graphiql.serve(pathname, response, this.graphiqlPage()))) return;
      if (request.method === 'GET') return this.staticFile(pathname, response);
      return this.send(response, 405, {
        errors: [{ errorType: 'MethodNotAllowed', message: `${request.method} is not served here; POST GraphQL to /graphql.` }],
      });
    } catch (error) {
      this.options.onEvent?.(`internal error: ${(error as Error).stack ?? String(error)}`);
      return this.send(response, 500, {
        errors: [{ errorType: 'InternalFailure', message: 'The local server failed to handle the request; see its log.' }],
      });
    }
  }

  private async graphql(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    const headers = request.headers as Record<string, string | string[] | undefined>;
    const { api } = this.options;
    const raw = await readBody(request, api.limits.requestBytes);
    if (raw === undefined) {
      return this.send(response, 413, {
        errors: [
          {
            errorType: 'PayloadTooLarge',
            message: `The request body is larger than the local server accepts (${megabytes(api.limits.requestBytes)}).`,
          },
        ],
      });
    }
    // Parsed once: for a Lambda authorizer's requestContext (only when it is called), then for the execution.
    let parsed: Promise<RequestBodyRead> | undefined;
    const readOnce = () => (parsed ??= api.readBody(raw));
    let auth;
    try {
      // SigV4 signs the request line and body too, so the body is read first. The URL is the one handle() parsed.
      auth = await authenticate(headers, this.options.auth, {
        method: request.method ?? 'POST',
        path: url.pathname,
        query: queryOf(url),
        body: raw,
        operation: async () => {
          const read = await readOnce();
          return authorizedOperationOf(read.kind === 'json' ? read.body : undefined);
        },
      });
    } catch (error) {
      if (!(error instanceof UnauthorizedError)) throw error;
      return this.send(
        response,
        error.status,
        { errors: [{ errorType: error.errorType, message: error.message }] },
        { 'x-amzn-errortype': error.errorType },
      );
    }
    const read = await readOnce();
    if (read.kind === 'not-json') {
      return this.send(response, 400, {
        errors: [{ errorType: 'MalformedHttpRequestException', message: 'The request body is not valid JSON.' }],
      });
    }
    if (read.kind === 'too-many-variable-values') {
      return this.send(response, 200, { data: null, errors: [tooManyVariableValues(api.limits.variableValues)] });
    }
    const body = read.body;
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      return this.send(response, 400, {
        errors: [{ errorType: 'MalformedHttpRequestException', message: 'The request body must be a JSON object with a query.' }],
      });
    }
    const flatHeaders = Object.fromEntries(
      Object.entries(headers).map(([key, value]) => [key.toLowerCase(), Array.isArray(value) ? value.join(',') : String(value ?? '')]),
    );
    const result = await api.execute(body, auth, {
      headers: flatHeaders,
      sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
      domainName: null,
    });
    const text = JSON.stringify(result);
    if (Buffer.byteLength(text) > api.limits.responseBytes) {
      this.options.onEvent?.(`response of ${Buffer.byteLength(text)} bytes not sent: over ${api.limits.responseBytes}`);
      return this.send(response, 200, { data: null, errors: [responseTooLarge(api.limits.responseBytes)] });
    }
    // GraphQL errors travel with 200, as AppSync sends them (aws-amplify reads them only then).
    return this.sendText(response, 200, text);
  }

  /** What the GraphiQL page shows: this API, its modes, its schema, and default tabs of fields the page's first mode (the API key when the API takes one) may call. */
  private graphiqlPage(): GraphiqlPageConfig {
    const api = this.options.api;
    const auth = this.pageAuth();
    const pageMode = auth.defaultMode;
    return {
      apiName: api.model.name,
      apiKey: this.options.auth.apiKey ?? '',
      auth,
      schema: api.schema,
      callable: (typeName, fieldName) => api.modesOf(typeName, fieldName).includes(pageMode),
      subscription: this.options.graphiqlSubscription,
    };
  }

  /** The page's auth configuration, computed once per served API (each role is checked against every root field). */
  private pageAuth(): PageAuthConfig {
    const { api, auth } = this.options;
    if (this.pageAuthCache?.api !== api || this.pageAuthCache.auth !== auth) {
      this.pageAuthCache = { api, auth, page: pageAuthOf(auth, api) };
    }
    return this.pageAuthCache.page;
  }

  private graphiqlConfig() {
    const { api } = this.options;
    return {
      name: api.model.name,
      apiKey: this.options.auth.apiKey,
      defaultAuthenticationType: { authenticationType: api.model.defaultAuthentication },
      additionalAuthenticationProviders: api.model.additionalAuthentications.map((mode) => ({ authenticationType: mode })),
    };
  }

  private staticFile(pathname: string, response: ServerResponse): void {
    const relative = pathname === '/' || pathname === '/graphiql' ? 'index.html' : pathname.slice(1);
    const file = path.resolve(GRAPHIQL_ROOT, relative);
    if (!file.startsWith(GRAPHIQL_ROOT) || !existsSync(file)) {
      return this.send(response, 404, {
        errors: [{ errorType: 'NotFound', message: `Nothing at ${pathname}. GraphQL is at POST /graphql, GraphiQL at /.` }],
      });
    }
    response.writeHead(200, { 'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream', ...CORS });
    createReadStream(file).pipe(response);
  }

  /** The credentials issued per template role, for local clients that sign as a role; never to other hosts. */
  private localCredentials(request: IncomingMessage, response: ServerResponse): void {
    const peer = request.socket.remoteAddress ?? '';
    const refusal = LOOPBACK_ADDRESSES.has(peer) ? crossSiteRefusal(request) : 'Local credentials are served to loopback callers only.';
    // Never with CORS headers: they are every role's secrets, and a page of another site open on this machine must not read them.
    const answer = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
      response.end(JSON.stringify(body));
    };
    if (refusal) return answer(403, { errors: [{ errorType: 'AccessDenied', message: refusal }] });
    const roles = this.options.auth.credentials?.list() ?? [];
    return answer(200, { region: this.options.auth.region ?? 'us-east-1', roles });
  }

  private send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    this.sendText(response, status, body === undefined ? '' : JSON.stringify(body), headers);
  }

  private sendText(response: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
    response.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...CORS, ...headers });
    response.end(text);
  }
}

/**
 * The refusal of a response over the limit. AWS documents no whole-response size (only 5 MB per evaluated resolver
 * template), so the type and wording are the local server's own.
 */
function responseTooLarge(limit: number) {
  return {
    errorType: 'ResponseTooLarge',
    message: `The response is larger than the local server sends (${megabytes(limit)}): select fewer fields, or page through the results (limit, nextToken).`,
    path: null,
  };
}

function megabytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${+(bytes / (1024 * 1024)).toFixed(2)} MB` : `${bytes} bytes`;
}

/** A URL's query as the SigV4 signer takes it: repeated keys as arrays. */
function queryOf(url: URL): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of url.searchParams) {
    const existing = query[key];
    query[key] = existing === undefined ? value : [...[existing].flat(), value];
  }
  return query;
}

/** The request body's bytes, or undefined when they pass `limit` (read to the end, so the answer reaches the client). */
function readBody(request: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      else chunks.push(chunk);
    });
    request.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/** A duplex stream that yields `first`, then everything `socket` receives, and writes to `socket`. */
function replaying(socket: net.Socket, first: Buffer): Duplex {
  const relay = new Duplex({
    read() {
      socket.resume();
    },
    write(chunk: Buffer, _encoding, callback) {
      socket.write(chunk, callback);
    },
    final(callback) {
      socket.end(callback);
    },
    destroy(error, callback) {
      socket.destroy(error ?? undefined);
      callback(error);
    },
  });
  relay.push(first);
  socket.on('data', (chunk: Buffer) => {
    if (!relay.push(chunk)) socket.pause();
  });
  socket.on('end', () => relay.push(null));
  socket.on('close', () => relay.destroy());
  socket.on('error', (error) => relay.destroy(error));
  // What servers read off a socket for logs and ctx: the peer's address.
  // Socket options the servers set (ws turns Nagle off) reach the real socket.
  Object.assign(relay, {
    remoteAddress: socket.remoteAddress,
    remotePort: socket.remotePort,
    setTimeout: () => relay,
    setNoDelay: (noDelay?: boolean) => (socket.setNoDelay(noDelay), relay),
    setKeepAlive: (enable?: boolean, delay?: number) => (socket.setKeepAlive(enable, delay), relay),
  });
  return relay;
}
