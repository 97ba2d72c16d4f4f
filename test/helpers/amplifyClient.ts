/**
 * A front-end server's real client, aws-amplify v6, configured with nothing but
 * a local stack's endpoint and API key, for the integration and e2e suites.
 *
 * @example
 * const local = useLocalStack();
 * const amplify = useAmplify(local);
 * const saved = amplify.firstMessage('onRoomSaved', 'id status version', id);
 * await saved.ready;
 * await amplify.send('mutation ($input: RegisterRoomInput!) { registerRoom(input: $input) { id } }', { input });
 * expect((await saved.message).status).toBe('SAVED');
 */
import { readFileSync } from 'node:fs';
import { Amplify } from 'aws-amplify';
import { generateClient } from 'aws-amplify/api';
import WebSocket from 'ws';
import { beforeAll } from 'vitest';
import type { LocalStackFixture } from './localStack.ts';

/** The two shapes `client.graphql` answers with: a promise for queries and mutations, an observable for subscriptions. */
interface AmplifyGraphQLClient {
  graphql(options: { query: string; variables?: Record<string, unknown> }): unknown;
}

export interface AmplifyError {
  errors: { errorType: string; message: string; errorInfo: { violations: { rule: string; message: string }[] } | null }[];
}

export interface AmplifyFixture {
  /** Send a query or mutation; resolve with Amplify's result, or with the error object it rejects with. */
  send<T>(query: string, variables?: Record<string, unknown>): Promise<{ data: T } | AmplifyError>;
  /** Subscribe to `field(id)` selecting `selection`; `message` is the first message's `field` value. */
  firstMessage<T = Record<string, unknown>>(
    field: string,
    selection: string,
    id: string,
  ): { ready: Promise<void>; message: Promise<T>; unsubscribe: () => void };
  /** Subscribe to `field(id)`; `messages` resolves with every message up to the first for which `last` is true (and unsubscribes). */
  messagesUntil<T = Record<string, unknown>>(
    field: string,
    selection: string,
    id: string,
    last: (message: T) => boolean,
  ): { ready: Promise<void>; messages: Promise<T[]>; unsubscribe: () => void };
  /** Subscribe to `field(id)`; `received` fills with every message's `field` value, in arrival order, until `unsubscribe`. */
  collect<T = Record<string, unknown>>(
    field: string,
    selection: string,
    id: string,
  ): { ready: Promise<void>; received: T[]; failed: unknown[]; unsubscribe: () => void };
}

export function isAmplifyError(answer: unknown): answer is AmplifyError {
  return typeof answer === 'object' && answer !== null && Array.isArray((answer as AmplifyError).errors);
}

/** What Amplify's `client.graphql` answers for a subscription: an observable of `{ data: { [field]: T } }`. */
interface SubscriptionObservable<T> {
  subscribe(observer: { next: (value: { data: Record<string, T> }) => void; error: (error: unknown) => void }): { unsubscribe(): void };
}

/** Subscribe to `field(id) { selection }`. */
function observe<T>(client: AmplifyGraphQLClient, field: string, selection: string, id: string): SubscriptionObservable<T> {
  const query = `subscription ($id: ID!) { ${field}(id: $id) { ${selection} } }`;
  return client.graphql({ query, variables: { id } }) as SubscriptionObservable<T>;
}

/** Node 20 has no global WebSocket: give Amplify `ws`, trusting the local CA (`caFile`) as NODE_EXTRA_CA_CERTS would. */
export function useLocalCaWebSocket(caFile: string): void {
  const ca = readFileSync(caFile);
  globalThis.WebSocket = class extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { ca });
    }
  } as unknown as typeof globalThis.WebSocket;
}

export function useAmplify(local: LocalStackFixture): AmplifyFixture {
  let client: AmplifyGraphQLClient;
  beforeAll(() => {
    useLocalCaWebSocket(local.stack.caFile);
    Amplify.configure({
      API: { GraphQL: { endpoint: local.stack.graphqlUrl, region: 'us-east-1', defaultAuthMode: 'apiKey', apiKey: local.stack.apiKey } },
    });
    client = generateClient() as unknown as AmplifyGraphQLClient;
  });
  return {
    send<T>(query: string, variables?: Record<string, unknown>) {
      return (client.graphql({ query, variables }) as Promise<{ data: T }>).catch((error: AmplifyError) => error);
    },
    firstMessage<T>(field: string, selection: string, id: string) {
      let unsubscribe = () => undefined as void;
      let ready!: () => void;
      const readyPromise = new Promise<void>((resolve) => (ready = resolve));
      const message = new Promise<T>((resolve, reject) => {
        const observable = observe<T>(client, field, selection, id);
        const subscription = observable.subscribe({ next: ({ data }) => resolve(data[field]!), error: reject });
        unsubscribe = () => subscription.unsubscribe();
      });
      // Amplify acknowledges a subscription only through its connection-state hub; a short settle suffices locally.
      setTimeout(ready, 500);
      return { ready: readyPromise, message, unsubscribe };
    },
    collect<T>(field: string, selection: string, id: string) {
      const received: T[] = [];
      const failed: unknown[] = [];
      const observable = observe<T>(client, field, selection, id);
      const subscription = observable.subscribe({ next: ({ data }) => received.push(data[field]!), error: (error) => failed.push(error) });
      // As firstMessage: Amplify acknowledges a subscription only through its connection-state hub.
      const ready = new Promise<void>((resolve) => setTimeout(resolve, 500));
      return { ready, received, failed, unsubscribe: () => subscription.unsubscribe() };
    },
    messagesUntil<T>(field: string, selection: string, id: string, last: (message: T) => boolean) {
      let unsubscribe = () => undefined as void;
      let ready!: () => void;
      const readyPromise = new Promise<void>((resolve) => (ready = resolve));
      const messages = new Promise<T[]>((resolve, reject) => {
        const received: T[] = [];
        const observable = observe<T>(client, field, selection, id);
        const subscription = observable.subscribe({
          next: ({ data }) => {
            received.push(data[field]!);
            if (last(data[field]!)) {
              subscription.unsubscribe();
              resolve(received);
            }
          },
          error: reject,
        });
        unsubscribe = () => subscription.unsubscribe();
      });
      setTimeout(ready, 500);
      return { ready: readyPromise, messages, unsubscribe };
    },
  };
}
