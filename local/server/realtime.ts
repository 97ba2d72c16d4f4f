/**
 * AppSync's real-time WebSocket protocol on `/graphql/realtime`
 * (subprotocol `graphql-ws`): connection_init → connection_ack
 * (connectionTimeoutMs) and `ka` keep-alives; start → start_ack, then `data`
 * per matching publication; stop → complete; errors as `error` /
 * `connection_error`. Auth comes from the `header` query parameter (AppSync's
 * documented form) or a `header-<base64url>` subprotocol (aws-amplify v6),
 * and from each start message's `extensions.authorization`. For AWS_LAMBDA both carry
 * `{ Authorization: <token>, host }` (real-time-websocket-client.html, "AWS Lambda authorization"), which the
 * authorizer decides as for HTTP: the connection's with an empty operation, each start's with its subscription.
 *
 * Limits (serverLimits.ts): AppSync's 100 subscriptions per connection and 240 KB per published payload;
 * and, chosen, a message size, a message rate and the bytes a client may leave unread. Every message and
 * every delivery runs in its own turn of the event loop, so no connection holds the others up.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { DocumentNode } from 'graphql';
import { authenticate, UnauthorizedError, type ApiAuthConfig, type RequestAuth } from './authorization.ts';
import { tooManyVariableValues } from './documentCheck/requestBody.ts';
import type { LocalGraphqlApi, RequestMeta } from './graphqlApi.ts';
import { eventLoopTurns } from './eventLoopTurns.ts';
import { authorizedOperationOf } from './lambdaAuthorizer/lambdaAuthorizer.ts';
import { MessageAllowance } from './messageAllowance.ts';
import { matchesArguments, matchesFilter, type SubscriptionFilter } from './subscriptionFilter.ts';

export const REALTIME_PATH = '/graphql/realtime';
/** What an IAM client signs to connect: a POST of `{}` to the GraphQL endpoint + `/connect` (AppSync's real-time docs). */
const IAM_CONNECT_PATH = '/graphql/connect';
const GRAPHQL_PATH = '/graphql';
const CONNECTION_TIMEOUT_MS = 300_000;
/** The owner of handshakes in the event loop's turns: handshakes take turns with everything else, one at a time. */
const HANDSHAKES = Symbol('real-time handshakes');

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
  /** Each publication's size, measured once for all its subscribers. */
  private readonly payloadSizes = new WeakMap<object, number>();

  constructor(options: RealtimeOptions) {
    this.options = options;
    this.wss = new WebSocketServer({
      noServer: true,
      // A larger frame closes the connection with 1009 (Message Too Big) before it is buffered.
      maxPayload: options.api.limits.realtimeMessageBytes,
      // One message per turn of the event loop: a client that sends thousands in one packet does not run them all at once.
      allowSynchronousEvents: false,
      handleProtocols: (protocols) => (protocols.has('graphql-ws') ? 'graphql-ws' : false),
    });
  }

  /** Hand an HTTP upgrade on REALTIME_PATH to the protocol; each handshake in a turn of its own (a flood of connections is many short turns). */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    void eventLoopTurns.next(HANDSHAKES).then(() => {
      if (socket.destroyed) return;
      this.wss.handleUpgrade(request, socket, head, (ws) => this.onConnection(ws, request));
    });
  }

  get connectionCount(): number {
    return this.wss.clients.size;
  }

  replaceApi(api: LocalGraphqlApi, auth: ApiAuthConfig = this.options.auth): void {
    this.options = { ...this.options, api, auth };
    for (const client of this.wss.clients) client.close(1012, 'Service restart: the API was reloaded');
  }

  close(): void {
    for (const client of this.wss.clients) client.terminate();
    this.wss.close();
  }

  private onConnection(ws: WebSocket, request: IncomingMessage): void {
    const limits = this.options.api.limits;
    const subscriptions = new Map<string, ActiveSubscription>();
    /** Ids of starts still being prepared: they count toward the subscriptions of the connection. */
    const starting = new Set<string>();
    const stopped = new Set<string>();
    const meta: RequestMeta = { headers: {}, sourceIp: request.socket.remoteAddress ?? '127.0.0.1', domainName: null };
    const allowance = new MessageAllowance(limits.realtimeMessageBurst, limits.realtimeMessagesPerSecond);
    let throttled = false;
    let keepAlive: NodeJS.Timeout | undefined;
    const send = (message: unknown) => {
      if (ws.readyState !== ws.OPEN) return;
      if (ws.bufferedAmount > limits.realtimeUnreadBytes) {
        // A client that does not read: its messages would pile up in this process without end.
        this.options.onEvent?.(
          `real-time connection closed: ${ws.bufferedAmount} bytes unread by the client (more than ${limits.realtimeUnreadBytes})`,
        );
        ws.terminate();
        return;
      }
      ws.send(JSON.stringify(message));
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

    ws.on('message', (raw) => {
      if (!allowance.take()) {
        // AppSync's answer to a client subscribing too fast, as recorded from the service (no id: it is the connection's):
        // {"type":"error","payload":{"errors":{"errorType":"LimitExceededError","message":"Rate limit exceeded"}}}
        // (aws-amplify/aws-appsync-realtime-client-ios#67). Said once per pause; the connection is not read until it may send again.
        if (!throttled) {
          throttled = true;
          send({ type: 'error', payload: { errors: { errorType: 'LimitExceededError', message: 'Rate limit exceeded' } } });
          ws.pause();
          setTimeout(() => {
            throttled = false;
            if (ws.readyState === ws.OPEN) ws.resume();
          }, allowance.msUntilNext()).unref();
        }
        return;
      }
      // In order, each in a turn of its own: thousands of connections sending at once take turns with everyone else.
      void eventLoopTurns
        .next(ws)
        .then(() => connectionAuth)
        .then((auth) => auth && onMessage(raw, auth));
    });
    ws.on('error', (error) => this.options.onEvent?.(`real-time connection closed: ${error.message}`));
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
        case 'start': {
          const id = message.id ?? '';
          if (starting.has(id)) {
            send({
              type: 'error',
              id,
              payload: {
                errors: [{ errorType: 'DuplicateSubscriptionId', message: `Subscription id ${id} is already in use on this connection.` }],
              },
            });
            return;
          }
          if (id && !subscriptions.has(id) && subscriptions.size + starting.size >= limits.subscriptionsPerConnection) {
            // AppSync's answer, as recorded from the service: errors is an object here, not a list
            // (aws-amplify/aws-appsync-realtime-client-ios, RealtimeConnectionProviderResponse.swift; amplify-cli#7427).
            send({
              type: 'error',
              id,
              payload: {
                errors: {
                  errorType: 'MaxSubscriptionsReachedError',
                  message: `Max number of ${limits.subscriptionsPerConnection} subscriptions reached`,
                },
              },
            });
            return;
          }
          starting.add(id);
          void this.start(
            id,
            message.payload,
            auth,
            meta,
            subscriptions,
            send,
            () => ws.readyState === ws.OPEN && !stopped.has(id),
          ).finally(() => {
            starting.delete(id);
            stopped.delete(id);
          });
          return;
        }
        case 'stop': {
          const id = message.id ?? '';
          // A stop for a start still being prepared: that start must not subscribe when it is done.
          if (starting.has(id)) stopped.add(id);
          subscriptions.get(id)?.stop();
          subscriptions.delete(id);
          send({ type: 'complete', id });
          return;
        }
        default:
          send({
            type: 'error',
            id: message.id,
            payload: { errors: [{ errorType: 'UnsupportedOperation', message: `Unknown message type ${String(message.type)}.` }] },
          });
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
    isWanted: () => boolean,
  ): Promise<void> {
    const fail = (errorType: string, message: string) => send({ type: 'error', id, payload: { errors: [{ errorType, message }] } });
    if (!id) return fail('MalformedMessage', 'A start message needs an id.');
    if (subscriptions.has(id)) return fail('DuplicateSubscriptionId', `Subscription id ${id} is already in use on this connection.`);

    let auth = connectionAuth;
    const authorization = payload?.extensions?.authorization;
    if (authorization && Object.keys(authorization).some((key) => key.toLowerCase() !== 'host')) {
      try {
        // An IAM client signs the start as a POST of payload.data to the GraphQL endpoint; a Lambda authorizer is
        // shown the subscription's operation.
        const data = payload?.data ?? '';
        auth = await authenticate(authorization, this.options.auth, {
          method: 'POST',
          path: GRAPHQL_PATH,
          body: data,
          operation: async () => {
            const read = await this.options.api.readBody(data);
            return authorizedOperationOf(read.kind === 'json' ? read.body : undefined);
          },
        });
      } catch (error) {
        return fail(error instanceof UnauthorizedError ? error.errorType : 'BadRequest', (error as Error).message);
      }
    }

    const { api } = this.options;
    const read = await api.readBody(payload?.data ?? '');
    if (read.kind === 'not-json') {
      return fail('MalformedMessage', 'payload.data must be a JSON string holding {"query", "variables"}.');
    }
    if (read.kind === 'too-many-variable-values') {
      return send({ type: 'error', id, payload: { errors: [tooManyVariableValues(api.limits.variableValues)] } });
    }
    const body = read.body as { query?: unknown; variables?: unknown };
    const prepared = await api.prepare(body);
    if ('errors' in prepared) {
      return send({ type: 'error', id, payload: { errors: prepared.errors } });
    }
    const { document, operation, variables } = prepared;
    if (operation.operation !== 'subscription') {
      return fail(
        'UnsupportedOperation',
        'Only subscriptions are served on the real-time endpoint; send queries and mutations to /graphql.',
      );
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
      const result = await resolver.resolve({
        arguments: args,
        identity: auth.identity,
        request: { headers: meta.headers, domainName: null },
        info: { variables },
      });
      if (result.errors.length > 0) {
        return send({ type: 'error', id, payload: { errors: result.errors } });
      }
      filter = result.extensions.subscriptionFilter as SubscriptionFilter | undefined;
    }

    // The connection may have closed, or stopped this id, while the start was prepared.
    if (!isWanted()) return;
    const stop = api.onPublish(field, (published) => {
      // AppSync publishes only mutation results that resolved to data.
      if (published === null || typeof published !== 'object') return;
      if (!this.withinPayloadLimit(field, published)) return;
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
    // Each subscriber's payload is rendered in a turn of its own, connections taking turns (`send` is the connection's):
    // a publication to many heavy selections never runs as one block, nor starves the other connections.
    await eventLoopTurns.next(send);
    const rendered = await this.options.api.renderSubscriptionPayload(document, variables, published, auth, meta);
    send({ type: 'data', id, payload: rendered });
  }

  /**
   * AppSync's "Subscription payload size" quota (240 KB): a larger mutation result reaches no subscriber, silently on
   * AWS (its InboundMessageError metric counts it; aws/aws-appsync-community#33, #175). Locally the log says so, once.
   */
  private withinPayloadLimit(field: string, published: Record<string, unknown>): boolean {
    let size = this.payloadSizes.get(published);
    if (size === undefined) {
      size = Buffer.byteLength(JSON.stringify(published));
      this.payloadSizes.set(published, size);
      const limit = this.options.api.limits.subscriptionPayloadBytes;
      if (size > limit)
        this.options.onEvent?.(
          `publication to ${field} not delivered: its payload is ${size} bytes, over AppSync's subscription payload limit of ${limit}`,
        );
    }
    return size <= this.options.api.limits.subscriptionPayloadBytes;
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
  if (headers === null || typeof headers !== 'object' || Array.isArray(headers))
    throw new UnauthorizedError('The header parameter must encode a JSON object of headers.');
  return headers as Record<string, string>;
}

function argumentValues(
  field: { arguments?: readonly { name: { value: string }; value: unknown }[] },
  variables: Record<string, unknown>,
): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const argument of field.arguments ?? []) {
    values[argument.name.value] = literalValue(argument.value as never, variables);
  }
  return values;
}

type ValueNode = {
  kind: string;
  value?: unknown;
  name?: { value: string };
  values?: ValueNode[];
  fields?: { name: { value: string }; value: ValueNode }[];
};

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
