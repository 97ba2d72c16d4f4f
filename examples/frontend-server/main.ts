/**
 * `npm run example:frontend`: the example front-end server against the local
 * stack (`npm start` in another terminal) or a deployed one.
 *
 * Environment: APPSYNC_ENDPOINT, APPSYNC_API_KEY, PORT (default 3000),
 * LOCAL_CA_FILE (default: the local stack's .local/tls/local-ca.pem, when the
 * endpoint is on this machine and the file exists).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { startFrontendServer } from './frontendServer.ts';

const endpoint = process.env.APPSYNC_ENDPOINT ?? 'http://localhost:20002/graphql';
const apiKey = process.env.APPSYNC_API_KEY ?? 'da2-fakeApiId123456';
const port = Number(process.env.PORT ?? 3000);
const localCa = path.resolve('.local/tls/local-ca.pem');
const isLocal = ['localhost', '127.0.0.1', '[::1]'].includes(new URL(endpoint).hostname);
const caFile = process.env.LOCAL_CA_FILE ?? (isLocal && existsSync(localCa) ? localCa : undefined);

const server = await startFrontendServer({ endpoint, apiKey, port, caFile });
console.log(`Front-end server at ${server.url}
  core        ${endpoint}${caFile ? `\n  trusting    ${caFile}` : ''}
Ctrl-C stops it.`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    void server.close().then(() => process.exit(0));
  });
}
