/**
 * Browser code (typed with the web globals Node shares: fetch, WebSocket, btoa, crypto): a GraphiQL fetcher for an AppSync API. Queries and mutations
 * are POSTed to the GraphQL endpoint with the API key; subscriptions run over
 * AppSync's real-time protocol (not graphql-ws's, whose subprotocol name it
 * shares): `wss://…/graphql/realtime?header=<base64 JSON>&payload=e30=`,
 * connection_init → connection_ack, start → start_ack, data…, stop → complete.
 *
 * @example
 * const fetcher = appSyncFetcher({ graphqlUrl: '/graphql', realtimeUrl: 'ws://localhost:20002/graphql/realtime', apiKey: 'da2-…' });
 */
import { getOperationAST, parse, type DocumentNode } from 'graphql';

export interface AppSyncFetcherOptions {
  /** Where queries and mutations are POSTed. */
  graphqlUrl: string;
  /** The real-time endpoint (ws:// or wss://). */
  realtimeUrl: string;
  apiKey: string;
  /** The `host` AppSync expects in the auth headers: the GraphQL endpoint's host. */
  host: string;
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
  const authHeaders = { host: options.host, 'x-api-key': options.apiKey };
  return (
    requested: FetcherParams,
    fetcherOptions?: { headers?: Record<string, unknown> },
  ): Promise<ExecutionResult> | ResultObservable => {
    // Parsed here: GraphiQL's documentAST (like its operationName) can still be the tab it just left.
    const document = parseOrUndefined(requested.query);
    const params = { ...requested, operationName: knownOperationName(document, requested.operationName) };
    if (document && getOperationAST(document, params.operationName ?? undefined)?.operation === 'subscription') {
      return subscribe(options.realtimeUrl, authHeaders, params);
    }
    return post(options.graphqlUrl, { ...authHeaders, ...stringHeaders(fetcherOptions?.headers) }, params);
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

async function post(url: string, headers: Record<string, string>, params: FetcherParams): Promise<ExecutionResult> {
  const { host: _host, ...sent } = headers;
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...sent },
    body: JSON.stringify({ query: params.query, operationName: params.operationName ?? undefined, variables: params.variables ?? {} }),
  });
  return (await response.json()) as ExecutionResult;
}

/** One connection per subscription: GraphiQL runs one operation at a time, and stopping it closes the socket. */
function subscribe(realtimeUrl: string, authHeaders: Record<string, string>, params: FetcherParams): ResultObservable {
  return {
    subscribe(observer) {
      const id = crypto.randomUUID();
      const header = btoa(JSON.stringify(authHeaders));
      const socket = new WebSocket(`${realtimeUrl}?header=${encodeURIComponent(header)}&payload=e30=`, ['graphql-ws']);
      let closedByUs = false;
      let started = false;
      const send = (message: unknown) => socket.send(JSON.stringify(message));

      socket.addEventListener('open', () => send({ type: 'connection_init' }));
      socket.addEventListener('message', (event: { data: unknown }) => {
        const message = JSON.parse(String(event.data)) as RealtimeMessage;
        switch (message.type) {
          case 'connection_ack':
            send({
              id,
              type: 'start',
              payload: {
                data: JSON.stringify({
                  query: params.query,
                  operationName: params.operationName ?? undefined,
                  variables: params.variables ?? {},
                }),
                extensions: { authorization: authHeaders },
              },
            });
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
      return { unsubscribe: close };
    },
  };
}

function stringHeaders(headers: Record<string, unknown> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([key, value]) => [key, String(value)]));
}
