/**
 * Where the end-to-end suite runs: a deployed stack when E2E_ENDPOINT and
 * E2E_API_KEY are set, else the local stack started in-process. Tests that
 * need to hold the store on purpose (a race, a timeout) ask `canHoldStore`
 * and run only where the runtime lets them: locally.
 *
 *   E2E_ENDPOINT=https://….appsync-api.eu-west-1.amazonaws.com/graphql E2E_API_KEY=da2-… npm run test:e2e
 */
import { readFileSync } from 'node:fs';
import { Amplify } from 'aws-amplify';
import { generateClient } from 'aws-amplify/api';
import WebSocket from 'ws';
import { beforeAll } from 'vitest';
import { rootCertificates } from 'node:tls';
import type { AppSyncTargetCall } from '../../local/index.ts';
import { useLocalStack, type LocalStackFixture } from './localStack.ts';

export interface E2eTarget {
  readonly endpoint: string;
  readonly apiKey: string;
  readonly realtimeUrl: string;
  /** The local stack, when the suite runs against it. */
  readonly local: LocalStackFixture | undefined;
  /** Hold every store delivery of these commands until the returned release is called (local only). */
  holdStore(commandIds: string[]): () => void;
  /** An aws-amplify v6 client configured with nothing but the endpoint and the key. */
  readonly client: AmplifyClient;
}

export interface AmplifyClient {
  graphql(options: { query: string; variables?: Record<string, unknown> }): unknown;
}

export function useE2eTarget(options: { commandTimeoutSeconds?: number } = {}): E2eTarget {
  const remote =
    process.env.E2E_ENDPOINT && process.env.E2E_API_KEY
      ? { endpoint: process.env.E2E_ENDPOINT, apiKey: process.env.E2E_API_KEY }
      : undefined;
  const held = new Map<string, Promise<void>>();
  const local = remote
    ? undefined
    : useLocalStack({
        ...(options.commandTimeoutSeconds ? { environment: { COMMAND_TIMEOUT_SECONDS: String(options.commandTimeoutSeconds) } } : {}),
        interceptDelivery: async (call: AppSyncTargetCall) => {
          const detail = call.event.detail as { commandId?: string; type?: string };
          if (detail.type !== 'CommandTimedOut') await held.get(detail.commandId ?? '');
          return 'deliver';
        },
      });
  let client: AmplifyClient | undefined;
  beforeAll(() => {
    // Node 20 has no global WebSocket; Amplify always opens wss://. Trust the local CA as NODE_EXTRA_CA_CERTS would.
    const ca = local ? [...rootCertificates, readFileSync(local.stack.caFile, 'utf8')] : undefined;
    globalThis.WebSocket = class extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols, ca ? { ca } : {});
      }
    } as unknown as typeof globalThis.WebSocket;
    const target = remote ?? { endpoint: local!.stack.graphqlUrl, apiKey: local!.stack.apiKey };
    Amplify.configure({
      API: {
        GraphQL: {
          endpoint: target.endpoint,
          region: process.env.E2E_REGION ?? 'us-east-1',
          defaultAuthMode: 'apiKey',
          apiKey: target.apiKey,
        },
      },
    });
    client = generateClient() as unknown as AmplifyClient;
  });
  return {
    get endpoint() {
      return remote?.endpoint ?? local!.stack.graphqlUrl;
    },
    get apiKey() {
      return remote?.apiKey ?? local!.stack.apiKey;
    },
    get realtimeUrl() {
      return remote
        ? remote.endpoint.replace('https://', 'wss://').replace('appsync-api', 'appsync-realtime-api')
        : local!.stack.realtimeUrl;
    },
    local,
    holdStore(commandIds) {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      for (const commandId of commandIds) held.set(commandId, gate);
      return () => {
        for (const commandId of commandIds) held.delete(commandId);
        release();
      };
    },
    get client() {
      return client!;
    },
  };
}
