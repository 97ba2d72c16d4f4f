/**
 * The local-only endpoints the GraphiQL page calls for the modes whose credentials a browser cannot make by
 * itself, under the server's local paths (never AppSync's own):
 *
 *   POST /_local/graphiql/user-token  {"username", "groups"?}            → {"token", "sub", "username", "groups"}
 *     an ID token of the local user pool (AMAZON_COGNITO_USER_POOLS), as a sign-in would hand one out;
 *   POST /_local/graphiql/sign        {"role", "path", "body"}           → {"headers"}
 *     the headers of a request signed (SigV4) with the local credentials of a template role (AWS_IAM), for
 *     `/graphql` (a query, a mutation, a subscription's start) or `/graphql/connect` (the real-time handshake),
 *     for the Host the page itself is served from. The browser needs no AWS SDK and never sees a secret.
 *
 * Both hand out what proves an identity, so they answer as the console does: loopback callers only (403), and
 * only POST (405). A browser page of another site runs on this machine too, so they also refuse a request whose
 * Origin is not this server's (403) and any body that is not JSON (415): a cross-site page can then neither send
 * one without a preflight, which gets 405 and no CORS headers, nor read an answer. And a Host that does not name
 * this machine's loopback (403): a site whose name an attacker points at 127.0.0.1 (DNS rebinding) would be
 * its own Origin.
 *
 * @example
 * const endpoints = new GraphiqlAuthEndpoints(() => server.auth);
 * if (await endpoints.serve(request, response)) return;
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { signAsRole } from '../auth/sigv4.ts';
import type { ApiAuthConfig } from '../server/authorization.ts';
import { crossSiteRefusal, LOOPBACK_ADDRESSES } from '../server/localCallers.ts';
import { GRAPHIQL_LOCAL_PATH, SIGN_PATH, USER_TOKEN_PATH } from './pageAuth.ts';

/** A signed body is a GraphQL request: the API takes 5 MB (serverLimits.ts); the JSON around it a little more. */
const MAX_BODY_BYTES = 6 * 1024 * 1024;
/** Cognito's limit on a username's length. */
const MAX_USERNAME_LENGTH = 128;
/** The paths the page signs: AppSync's GraphQL endpoint and its real-time handshake (`/graphql/connect`, realtime.ts). */
const SIGNABLE_PATHS = new Set(['/graphql', '/graphql/connect']);
/**
 * The headers the real-time handshake signs besides host, as AppSync's real-time guide lists them for IAM
 * (https://docs.aws.amazon.com/appsync/latest/devguide/real-time-websocket-client.html, "IAM").
 */
const CONNECT_HEADERS = {
  accept: 'application/json, text/javascript',
  'content-encoding': 'amz-1.0',
  'content-type': 'application/json; charset=UTF-8',
};
/** What a signed POST to /graphql carries besides host: its content type, sent as signed. */
const GRAPHQL_HEADERS = { 'content-type': 'application/json; charset=UTF-8' };

class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly errorType: string,
    message: string,
  ) {
    super(message);
  }
}

export class GraphiqlAuthEndpoints {
  constructor(private readonly auth: () => ApiAuthConfig) {}

  /** Answer a request under /_local/graphiql/; false for any other path. */
  async serve(request: IncomingMessage, response: ServerResponse): Promise<boolean> {
    const pathname = new URL(request.url ?? '/', 'http://localhost').pathname.replace(/\/$/, '');
    if (!pathname.startsWith(`${GRAPHIQL_LOCAL_PATH}/`)) return false;
    try {
      refuseOutsiders(request);
      const body = await readJson(request);
      if (pathname === USER_TOKEN_PATH) send(response, 200, this.userToken(body));
      else if (pathname === SIGN_PATH) send(response, 200, await this.sign(body, request.headers.host ?? ''));
      else
        throw new Refusal(
          404,
          'NotFound',
          `Nothing at ${pathname}: the GraphiQL page's local endpoints are ${USER_TOKEN_PATH} and ${SIGN_PATH}.`,
        );
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      send(response, error.status, { errorType: error.errorType, message: error.message });
    }
    return true;
  }

  private userToken(body: Record<string, unknown>) {
    const auth = this.auth();
    if (!auth.modes.includes('AMAZON_COGNITO_USER_POOLS') || !auth.userPool) {
      throw new Refusal(400, 'BadRequest', `This API has no AMAZON_COGNITO_USER_POOLS mode (its modes: ${auth.modes.join(', ')}).`);
    }
    const username = typeof body.username === 'string' ? body.username.trim() : '';
    if (username.length === 0 || username.length > MAX_USERNAME_LENGTH) {
      throw new Refusal(400, 'BadRequest', `Give a username of 1 to ${MAX_USERNAME_LENGTH} characters.`);
    }
    const groups = body.groups ?? [];
    if (!Array.isArray(groups) || groups.some((group) => typeof group !== 'string' || group.length === 0)) {
      throw new Refusal(400, 'BadRequest', 'groups must be a list of group names (strings), or left out.');
    }
    // One user per username: signing in again as the same name is the same `sub`, as it is in a real pool.
    const sub = uuidShaped(`${auth.userPool.issuer}|${username}`);
    const token = auth.userPool.issueToken({ sub, username, groups: groups as string[] });
    return { token, sub, username, groups };
  }

  private async sign(body: Record<string, unknown>, host: string) {
    const auth = this.auth();
    if (!auth.modes.includes('AWS_IAM') || !auth.credentials) {
      throw new Refusal(400, 'BadRequest', `This API has no AWS_IAM mode (its modes: ${auth.modes.join(', ')}).`);
    }
    const { role, path, body: signedBody } = body;
    if (typeof role !== 'string' || role.length === 0)
      throw new Refusal(400, 'BadRequest', 'Give the role to sign as: its logical id in the template.');
    if (typeof path !== 'string' || !SIGNABLE_PATHS.has(path)) {
      throw new Refusal(
        400,
        'BadRequest',
        `path must be one of ${[...SIGNABLE_PATHS].join(', ')}: only the API's own requests are signed here.`,
      );
    }
    if (typeof signedBody !== 'string')
      throw new Refusal(400, 'BadRequest', 'body must be the request body to sign, as a string, exactly as it will be sent.');
    let credentials;
    try {
      credentials = auth.credentials.forRole(role);
    } catch (error) {
      throw new Refusal(400, 'BadRequest', (error as Error).message);
    }
    const headers = await signAsRole(
      { method: 'POST', host, path, headers: path === '/graphql' ? GRAPHQL_HEADERS : CONNECT_HEADERS, body: signedBody },
      credentials,
      auth.region ?? 'us-east-1',
    );
    return { headers };
  }
}

function refuseOutsiders(request: IncomingMessage): void {
  if (!LOOPBACK_ADDRESSES.has(request.socket.remoteAddress ?? '')) {
    throw new Refusal(403, 'AccessDenied', "The GraphiQL page's local endpoints answer loopback callers only.");
  }
  if (request.method !== 'POST') throw new Refusal(405, 'MethodNotAllowed', 'POST a JSON body.');
  const crossSite = crossSiteRefusal(request);
  if (crossSite) throw new Refusal(403, 'AccessDenied', crossSite);
  if (!/^application\/json\b/i.test(request.headers['content-type'] ?? '')) {
    throw new Refusal(415, 'UnsupportedMediaType', 'Send the body as JSON (content-type: application/json).');
  }
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new Refusal(413, 'PayloadTooLarge', `The body is larger than ${MAX_BODY_BYTES} bytes.`);
    chunks.push(chunk);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new Refusal(400, 'BadRequest', 'The body is not valid JSON.');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new Refusal(400, 'BadRequest', 'The body must be a JSON object.');
  return parsed as Record<string, unknown>;
}

/** A stable UUID-shaped id from a seed, the shape of a Cognito `sub`. */
function uuidShaped(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  response.end(JSON.stringify(body));
}
