/**
 * Prints every message onReservationSaved(id) delivers, as a front-end server
 * would receive them with aws-amplify v6 configured with only the endpoint
 * and API key.
 *
 *   npm run example:watch -- <reservation id>
 *
 * Environment: APPSYNC_ENDPOINT (default http://localhost:20002/graphql),
 * APPSYNC_API_KEY (default da2-fakeApiId123456), LOCAL_CA_FILE (default
 * .local/tls/local-ca.pem, the CA `npm start` made, trusted for wss://).
 */
import { existsSync, readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { Amplify } from 'aws-amplify';
import { generateClient } from 'aws-amplify/api';
import WebSocket from 'ws';

const id = process.argv[2];
if (!id) {
  console.error('Usage: npm run example:watch -- <reservation id>');
  process.exit(2);
}
const endpoint = process.env.APPSYNC_ENDPOINT ?? 'http://localhost:20002/graphql';
const apiKey = process.env.APPSYNC_API_KEY ?? 'da2-fakeApiId123456';
const caFile = process.env.LOCAL_CA_FILE ?? '.local/tls/local-ca.pem';

// Node 20 has no global WebSocket; Amplify opens wss:// even for an http:// endpoint.
const ca = existsSync(caFile) ? [...rootCertificates, readFileSync(caFile, 'utf8')] : undefined;
globalThis.WebSocket = class extends WebSocket {
  constructor(url: string, protocols?: string | string[]) {
    super(url, protocols, ca ? { ca } : {});
  }
} as unknown as typeof globalThis.WebSocket;

Amplify.configure({ API: { GraphQL: { endpoint, region: 'us-east-1', defaultAuthMode: 'apiKey', apiKey } } });
const client = generateClient() as unknown as {
  graphql(options: { query: string; variables: Record<string, unknown> }): { subscribe(observer: object): unknown };
};

client
  .graphql({
    query: `subscription OnSaved($id: ID!) { onReservationSaved(id: $id) {
      id commandId status version reason repeat reservation { status version roomId dateStart dateEnd cancellationReason } } }`,
    variables: { id },
  })
  .subscribe({
    next: ({ data }: { data: unknown }) => console.log(JSON.stringify(data, null, 2)),
    error: (error: unknown) => {
      console.error('Subscription failed:', JSON.stringify(error));
      process.exit(1);
    },
  });
console.log(`Watching onReservationSaved(id: "${id}") at ${endpoint}. Ctrl-C stops.`);
