/**
 * Browser code (typed with the web globals Node shares: fetch, WebSocket, btoa, crypto): a GraphiQL fetcher for an AppSync API. Queries and mutations
 * are POSTed to the GraphQL endpoint with the chosen mode's auth headers; subscriptions run over
 * AppSync's real-time protocol (not graphql-ws's, whose subprotocol name it
 * shares): `wss://…/graphql/realtime?header=<base64 JSON>&payload=e30=`,
 * connection_init → connection_ack, start → start_ack, data…, stop → complete. The auth headers
 * (pageAuthorization.ts) go in the connection's `header` and in each start's `extensions.authorization`.
 *
 * @example
 * const fetcher = appSyncFetcher({ graphqlUrl: '/graphql', realtimeUrl: 'ws://localhost:20002/graphql/realtime', authorize: (request) => authorization.headersFor(request) });
 */
import { getOperationAST, parse, type DocumentNode } from 'graphql';
import type { AuthorizedRequest } from './pageAuthorization.ts';

export interface AppSyncFetcherOptions {
  /** Where queries and mutations are POSTed. */
  graphqlUrl: string;
  /** The real-time endpoint (ws:// or wss://). */
  realtimeUrl: string;
  /** The auth headers of a request (`host` included), in the mode the page is in; rejects with what to do. */
  authorize: (request: AuthorizedRequest) => Promise<Record<string, string>>;
}

export interface FetcherParams {
  query: string;
  operationName?: string | null;
  variables?: unknown;
}

export interface ExecutionResult {
  data?: unknown;
  errors?: unknown[];
  extensions?: Record<string, unknown>;
}

/** The observable shape GraphiQL accepts for a subscription. */
export interface ResultObservable {
  subscribe(observer: { next: (value: ExecutionResult) => void; error: (error: unknown) => void; complete: () => void }): {
    unsubscribe: () => void;
  };
}

interface RealtimeMessage {
  type: string;
  id?: string;
  payload?: ExecutionResult & { errors?: { errorType?: string; message?: string }[] };
}

export function appSyncFetcher(options: AppSyncFetcherOptions) {
  return (
    requested: FetcherParams,
    fetcherOptions?: { headers?: Record<string, unknown> },
  ): Promise<ExecutionResult> | ResultObservable => {
    // Parsed here: GraphiQL's documentAST (like its operationName) can still be the tab it just left.
    const document = parseOrUndefined(requested.query);
    const params = { ...requested, operationName: knownOperationName(document, requested.operationName) };
    if (document && getOperationAST(document, params.operationName ?? undefined)?.operation === 'subscription') {
      return subscribe(options.realtimeUrl, options.authorize, params);
    }
    return post(options.graphqlUrl, options.authorize, stringHeaders(fetcherOptions?.headers), params);
  };
}

function parseOrUndefined(query: string): DocumentNode | undefined {
  try {
    return parse(query);
  } catch {
    return undefined; // a syntax error: the server says so
  }
}

/**
 * GraphiQL can hand over the operation name of the tab it just left: a name the document does not
 * hold is dropped when the document has only one operation, which then runs.
 */
function knownOperationName(document: DocumentNode | undefined, operationName: string | null | undefined): string | undefined {
  if (!operationName || !document) return operationName ?? undefined;
  const names = document.definitions.flatMap((definition) => (definition.kind === 'OperationDefinition' ? [definition.name?.value] : []));
  return names.includes(operationName) || names.length !== 1 ? operationName : undefined;
}

/** POST a query or mutation; headers typed in GraphiQL's Headers tab go after the mode's (and may replace them). */
async function post(
  url: string,
  authorize: AppSyncFetcherOptions['authorize'],
  typedHeaders: Record<string, string>,
  params: FetcherParams,
): Promise<ExecutionResult> {
  // The body as sent: an IAM signature covers these bytes.
  const body = JSON.stringify({ query: params.query, operationName: params.operationName ?? undefined, variables: params.variables ?? {} });
  let auth: Record<string, string>;
  try {
    auth = await authorize({ path: '/graphql', body });
  } catch (error) {
    return notAuthorized(error);
  }
  // The browser sends Host itself (a signature covers the same value: the page's host).
  const { host: _host, ...sent } = auth;
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...sent, ...typedHeaders }, body });
  return (await response.json()) as ExecutionResult;
}

/** What the page shows when it could not make the auth headers (nothing typed, a local endpoint refused). */
function notAuthorized(error: unknown): ExecutionResult {
  return { errors: [{ errorType: 'GraphiQLAuthorization', message: error instanceof Error ? error.message : String(error) }] };
}

/** One connection per subscription: GraphiQL runs one operation at a time, and stopping it closes the socket. */
function subscribe(realtimeUrl: string, authorize: AppSyncFetcherOptions['authorize'], params: FetcherParams): ResultObservable {
  return {
    subscribe(observer) {
      let stopped = false;
      let unsubscribe = () => {
        stopped = true;
      };
      // The connection's header is made first (IAM: signed by the server), then the socket opened.
      authorize({ path: '/graphql/connect', body: '{}' }).then(
        (connectionHeaders) => {
          if (!stopped) unsubscribe = openSubscription(realtimeUrl, connectionHeaders, authorize, params, observer);
        },
        (error: unknown) => {
          observer.next(notAuthorized(error));
          observer.complete();
        },
      );
      return { unsubscribe: () => unsubscribe() };
    },
  };
}

function openSubscription(
  realtimeUrl: string,
  connectionHeaders: Record<string, string>,
  authorize: AppSyncFetcherOptions['authorize'],
  params: FetcherParams,
  observer: Parameters<ResultObservable['subscribe']>[0],
): () => void {
  const id = crypto.randomUUID();
  const header = btoa(JSON.stringify(connectionHeaders));
  const socket = new WebSocket(`${realtimeUrl}?header=${encodeURIComponent(header)}&payload=e30=`, ['graphql-ws']);
  let closedByUs = false;
  let started = false;
  const send = (message: unknown) => socket.send(JSON.stringify(message));
  const start = async () => {
    const data = JSON.stringify({
      query: params.query,
      operationName: params.operationName ?? undefined,
      variables: params.variables ?? {},
    });
    let authorization: Record<string, string>;
    try {
      // Each start carries its own authorization: IAM signs the start's data as a POST to /graphql.
      authorization = await authorize({ path: '/graphql', body: data });
    } catch (error) {
      observer.next(notAuthorized(error));
      close();
      observer.complete();
      return;
    }
    if (!closedByUs) send({ id, type: 'start', payload: { data, extensions: { authorization } } });
  };

  socket.addEventListener('open', () => send({ type: 'connection_init' }));
  socket.addEventListener('message', (event: { data: unknown }) => {
    const message = JSON.parse(String(event.data)) as RealtimeMessage;
    switch (message.type) {
      case 'connection_ack':
        void start();
        return;
      case 'start_ack':
        started = true;
        // Shown until the first publication replaces it: the subscription is live on the server.
        observer.next({ data: null, extensions: { subscription: 'started (start_ack): waiting for a publication…' } });
        return;
      case 'data':
        if (message.id === id && message.payload) observer.next(message.payload);
        return;
      case 'error':
      case 'connection_error':
        observer.next({ errors: message.payload?.errors ?? [{ message: `AppSync answered ${message.type}.` }] });
        close();
        observer.complete();
        return;
      case 'complete':
        close();
        observer.complete();
        return;
      default:
        // ka (keep-alive) and anything new: nothing to show.
        return;
    }
  });
  socket.addEventListener('close', (event) => {
    if (closedByUs) return;
    observer.error(
      new Error(
        `The real-time connection closed (${event.code}${event.reason ? `: ${event.reason}` : ''})${started ? '' : ' before the subscription started'}.`,
      ),
    );
  });

  function close() {
    if (closedByUs) return;
    closedByUs = true;
    if (socket.readyState === WebSocket.OPEN) {
      if (started) send({ id, type: 'stop' });
      socket.close(1000);
    } else if (socket.readyState === WebSocket.CONNECTING) {
      socket.addEventListener('open', () => socket.close(1000));
    }
  }
  return close;
}

function stringHeaders(headers: Record<string, unknown> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([key, value]) => [key, String(value)]));
}
