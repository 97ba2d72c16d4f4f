/**
 * AppSync's real-time WebSocket protocol on `/graphql/realtime`
 * (subprotocol `graphql-ws`): connection_init → connection_ack
 * (connectionTimeoutMs) and `ka` keep-alives; start → start_ack, then `data`
 * per matching publication; stop → complete; errors as `error` /
 * `connection_error`. Auth comes from the `header` query parameter (AppSync's
 * documented form) or a `header-<base64url>` subprotocol (aws-amplify v6),
 * and from each start message's `extensions.authorization`.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { DocumentNode } from 'graphql';
import { authenticate, UnauthorizedError, type ApiAuthConfig, type RequestAuth } from './authorization.ts';
import type { LocalGraphqlApi, RequestMeta } from './graphqlApi.ts';
import { matchesArguments, matchesFilter, type SubscriptionFilter } from './subscriptionFilter.ts';

export const REALTIME_PATH = '/graphql/realtime';
/** What an IAM client signs to connect: a POST of `{}` to the GraphQL endpoint + `/connect` (AppSync's real-time docs). */
const IAM_CONNECT_PATH = '/graphql/connect';
const GRAPHQL_PATH = '/graphql';
const CONNECTION_TIMEOUT_MS = 300_000;

export interface RealtimeOptions {
  api: LocalGraphqlApi;
  auth: ApiAuthConfig;
  /** How often to send `ka`. aws-amplify flags a connection dead after 65 s without one. */
  keepAliveMs?: number;
  onEvent?: (line: string) => void;
}

interface ActiveSubscription {
  field: string;
  stop: () => void;
}

export class RealtimeServer {
  private readonly wss: WebSocketServer;
  private options: RealtimeOptions;

  constructor(options: RealtimeOptions) {
    this.options = options;
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: 256 * 1024,
      handleProtocols: (protocols) => (protocols.has('graphql-ws') ? 'graphql-ws' : false),
    });
  }

  /** Hand an HTTP upgrade on REALTIME_PATH to the protocol. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(request, socket, head, (ws) => this.onConnection(ws, request));
  }

  get connectionCount(): number {
    return this.wss.clients.size;
  }

  replaceApi(api: LocalGraphqlApi): void {
    this.options = { ...this.options, api };
    for (const client of this.wss.clients) client.close(1012, 'Service restart: the API was reloaded');
  }

  close(): void {
    for (const client of this.wss.clients) client.terminate();
    this.wss.close();
  }

  private onConnection(ws: WebSocket, request: IncomingMessage): void {
    const subscriptions = new Map<string, ActiveSubscription>();
    const meta: RequestMeta = { headers: {}, sourceIp: request.socket.remoteAddress ?? '127.0.0.1', domainName: null };
    let keepAlive: NodeJS.Timeout | undefined;
    const send = (message: unknown) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
    };

    // Authenticated once per connection; messages wait for it, in order, and are dropped if it fails.
    const connectionAuth: Promise<RequestAuth | undefined> = (async () => {
      try {
        const headers = connectionHeaders(request);
        meta.headers = Object.fromEntries(Object.entries(headers).map(([key, value]) => [key.toLowerCase(), String(value)]));
        return await authenticate(headers, this.options.auth, { method: 'POST', path: IAM_CONNECT_PATH, body: '{}' });
      } catch (error) {
        const errorType = error instanceof UnauthorizedError ? error.errorType : 'UnauthorizedException';
        send({ type: 'connection_error', payload: { errors: [{ errorType, message: (error as Error).message }] } });
        ws.close(1000);
        return undefined;
      }
    })();

    ws.on('message', (raw) => void connectionAuth.then((auth) => auth && onMessage(raw, auth)));
    const onMessage = (raw: unknown, auth: RequestAuth) => {
      let message: { type?: string; id?: string; payload?: { data?: string; extensions?: { authorization?: Record<string, string> } } };
      try {
        message = JSON.parse(String(raw));
      } catch {
        send({ type: 'error', payload: { errors: [{ errorType: 'MalformedMessage', message: 'Messages must be JSON.' }] } });
        return;
      }
      switch (message.type) {
        case 'connection_init':
          send({ type: 'connection_ack', payload: { connectionTimeoutMs: CONNECTION_TIMEOUT_MS } });
          send({ type: 'ka' });
          keepAlive ??= setInterval(() => send({ type: 'ka' }), this.options.keepAliveMs ?? 60_000);
          return;
        case 'start':
          void this.start(message.id ?? '', message.payload, auth, meta, subscriptions, send);
          return;
        case 'stop': {
          const id = message.id ?? '';
          subscriptions.get(id)?.stop();
          subscriptions.delete(id);
          send({ type: 'complete', id });
          return;
        }
        default:
          send({ type: 'error', id: message.id, payload: { errors: [{ errorType: 'UnsupportedOperation', message: `Unknown message type ${String(message.type)}.` }] } });
      }
    };
    ws.on('close', () => {
      if (keepAlive) clearInterval(keepAlive);
      for (const subscription of subscriptions.values()) subscription.stop();
      subscriptions.clear();
    });
  }

  private async start(
    id: string,
    payload: { data?: string; extensions?: { authorization?: Record<string, string> } } | undefined,
    connectionAuth: RequestAuth,
    meta: RequestMeta,
    subscriptions: Map<string, ActiveSubscription>,
    send: (message: unknown) => void,
  ): Promise<void> {
    const fail = (errorType: string, message: string) => send({ type: 'error', id, payload: { errors: [{ errorType, message }] } });
    if (!id) return fail('MalformedMessage', 'A start message needs an id.');
    if (subscriptions.has(id)) return fail('DuplicateSubscriptionId', `Subscription id ${id} is already in use on this connection.`);

    let auth = connectionAuth;
    const authorization = payload?.extensions?.authorization;
    if (authorization && Object.keys(authorization).some((key) => key.toLowerCase() !== 'host')) {
      try {
        // An IAM client signs the start as a POST of payload.data to the GraphQL endpoint.
        auth = await authenticate(authorization, this.options.auth, { method: 'POST', path: GRAPHQL_PATH, body: payload?.data ?? '' });
      } catch (error) {
        return fail(error instanceof UnauthorizedError ? error.errorType : 'BadRequest', (error as Error).message);
      }
    }

    let body: { query?: unknown; variables?: unknown };
    try {
      body = JSON.parse(payload?.data ?? '');
    } catch {
      return fail('MalformedMessage', 'payload.data must be a JSON string holding {"query", "variables"}.');
    }
    const { api } = this.options;
    const prepared = api.prepare(body);
    if ('errors' in prepared) {
      return send({ type: 'error', id, payload: { errors: prepared.errors } });
    }
    const { document, operation, variables } = prepared;
    if (operation.operation !== 'subscription') {
      return fail('UnsupportedOperation', 'Only subscriptions are served on the real-time endpoint; send queries and mutations to /graphql.');
    }
    const rootFields = operation.selectionSet.selections.filter((selection) => selection.kind === 'Field');
    if (rootFields.length !== 1 || rootFields[0]!.kind !== 'Field') {
      return fail('UnsupportedOperation', 'A subscription selects exactly one field.');
    }
    const field = rootFields[0]!.name.value;
    if (!api.isAllowed('Subscription', field, auth)) {
      return fail('Unauthorized', `Not Authorized to access ${field} on type Subscription`);
    }
    const args = argumentValues(rootFields[0]!, variables);

    let filter: SubscriptionFilter | undefined;
    const resolver = api.resolverOf('Subscription', field);
    if (resolver) {
      const result = await resolver.resolve({ arguments: args, identity: auth.identity, request: { headers: meta.headers, domainName: null }, info: { variables } });
      if (result.errors.length > 0) {
        return send({ type: 'error', id, payload: { errors: result.errors } });
      }
      filter = result.extensions.subscriptionFilter as SubscriptionFilter | undefined;
    }

    const stop = api.onPublish(field, (published) => {
      // AppSync publishes only mutation results that resolved to data.
      if (published === null || typeof published !== 'object') return;
      if (!matchesArguments(args, published) || !matchesFilter(filter, published)) return;
      void this.deliver(id, document, variables, published, auth, meta, send);
    });
    subscriptions.set(id, { field, stop });
    send({ type: 'start_ack', id });
    this.options.onEvent?.(`subscribe ${field}(${JSON.stringify(args)}) as ${auth.mode}`);
  }

  private async deliver(
    id: string,
    document: DocumentNode,
    variables: Record<string, unknown>,
    published: Record<string, unknown>,
    auth: RequestAuth,
    meta: RequestMeta,
    send: (message: unknown) => void,
  ): Promise<void> {
    const rendered = await this.options.api.renderSubscriptionPayload(document, variables, published, auth, meta);
    send({ type: 'data', id, payload: rendered });
  }
}

/** The auth headers of a connection: `?header=<base64 JSON>` or a `header-<base64url JSON>` subprotocol. */
function connectionHeaders(request: IncomingMessage): Record<string, string> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const fromQuery = url.searchParams.get('header');
  const fromProtocol = String(request.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((protocol) => protocol.trim())
    .find((protocol) => protocol.startsWith('header-'))
    ?.slice('header-'.length);
  const encoded = fromQuery ?? fromProtocol;
  if (!encoded) throw new UnauthorizedError('Valid authorization header not provided.');
  let headers: unknown;
  try {
    headers = JSON.parse(Buffer.from(encoded, fromQuery ? 'base64' : 'base64url').toString('utf8'));
  } catch {
    throw new UnauthorizedError('The header parameter is not base64-encoded JSON.');
  }
  if (headers === null || typeof headers !== 'object' || Array.isArray(headers)) throw new UnauthorizedError('The header parameter must encode a JSON object of headers.');
  return headers as Record<string, string>;
}

function argumentValues(field: { arguments?: readonly { name: { value: string }; value: unknown }[] }, variables: Record<string, unknown>): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const argument of field.arguments ?? []) {
    values[argument.name.value] = literalValue(argument.value as never, variables);
  }
  return values;
}

type ValueNode = { kind: string; value?: unknown; name?: { value: string }; values?: ValueNode[]; fields?: { name: { value: string }; value: ValueNode }[] };

function literalValue(node: ValueNode, variables: Record<string, unknown>): unknown {
  switch (node.kind) {
    case 'Variable':
      return variables[node.name!.value] ?? null;
    case 'IntValue':
    case 'FloatValue':
      return Number(node.value);
    case 'NullValue':
      return null;
    case 'ListValue':
      return (node.values ?? []).map((item) => literalValue(item, variables));
    case 'ObjectValue':
      return Object.fromEntries((node.fields ?? []).map((entry) => [entry.name.value, literalValue(entry.value, variables)]));
    default:
      return node.value;
  }
}
