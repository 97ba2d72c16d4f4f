/**
 * Browser code: the auth mode the GraphiQL page calls the API in, chosen by the developer among the API's
 * modes, and the headers each request carries in it. The same headers go on HTTP requests, in the real-time
 * connection's `header` and in each start's `extensions.authorization`, in the shape AppSync's real-time guide
 * gives per mode ("Building a real-time WebSocket client in AWS AppSync",
 * https://docs.aws.amazon.com/appsync/latest/devguide/real-time-websocket-client.html, header parameter per
 * authorization mode):
 *
 * - API_KEY: `{ host, x-api-key }`;
 * - AMAZON_COGNITO_USER_POOLS, OPENID_CONNECT, AWS_LAMBDA: `{ host, Authorization: <token> }`; a user pool's
 *   token is issued by the local pool for the username and groups typed (POST /_local/graphiql/user-token);
 * - AWS_IAM: the SigV4-signed headers of a POST (host, x-amz-date, x-amz-security-token, Authorization, …):
 *   of `{}` to `/graphql/connect` for the connection, of the request's body to `/graphql` for a query,
 *   mutation or start, signed by the server as the chosen role (POST /_local/graphiql/sign).
 *
 * @example
 * const authorization = new PageAuthorization(config.auth, { apiKey, host: location.host, storage: localStorage });
 * const headers = await authorization.headersFor({ path: '/graphql', body });
 */
import type { AuthenticationType } from '../template/cloudAssembly.ts';
import type { PageAuthConfig } from './pageAuth.ts';

/** A request whose auth headers are wanted: its path on the API's host and its body exactly as sent. */
export interface AuthorizedRequest {
  path: '/graphql' | '/graphql/connect';
  body: string;
}

/** What the developer chose and typed; kept in localStorage so a second window opens the same way. */
export interface AuthChoice {
  mode: AuthenticationType;
  username: string;
  /** Comma-separated, as typed. */
  groups: string;
  role: string;
  lambdaToken: string;
  oidcToken: string;
}

export interface SignedInUser {
  token: string;
  sub: string;
  username: string;
  groups: string[];
}

interface ChoiceStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

const STORAGE_KEY = 'appsync-graphiql:auth';

export const MODE_LABELS: Record<AuthenticationType, string> = {
  API_KEY: 'API key',
  AMAZON_COGNITO_USER_POOLS: 'Cognito user pool',
  AWS_IAM: 'IAM role',
  AWS_LAMBDA: 'Lambda authorizer',
  OPENID_CONNECT: 'OpenID Connect',
};

export class PageAuthorization {
  private current: AuthChoice;
  private signedIn: SignedInUser | undefined;
  private readonly listeners = new Set<() => void>();

  constructor(
    readonly config: PageAuthConfig,
    private readonly options: { apiKey: string; host: string; storage?: ChoiceStorage },
  ) {
    const stored = readStored(options.storage);
    const mode = stored?.mode && config.modes.includes(stored.mode) ? stored.mode : config.defaultMode;
    const firstRole = config.roles.find((role) => role.callsApi)?.name ?? config.roles[0]?.name ?? '';
    this.current = {
      username: 'local-user',
      groups: '',
      lambdaToken: '',
      oidcToken: '',
      ...stored,
      role: stored?.role && config.roles.some((role) => role.name === stored.role) ? stored.role : firstRole,
      mode,
    };
  }

  get choice(): AuthChoice {
    return { ...this.current };
  }

  /** The user the page is signed in as (AMAZON_COGNITO_USER_POOLS), while the username and groups typed are still theirs. */
  get user(): SignedInUser | undefined {
    return this.signedIn && this.isCurrentUser(this.signedIn) ? this.signedIn : undefined;
  }

  /** Be told of each sign-in (one a request made by itself included); returns the way to stop. */
  onSignIn(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  choose(change: Partial<AuthChoice>): void {
    this.current = { ...this.current, ...change };
    this.options.storage?.setItem(STORAGE_KEY, JSON.stringify(this.current));
  }

  /** Ask the local user pool for an ID token of the username and groups typed. */
  async signIn(): Promise<SignedInUser> {
    const answer = await postLocal<SignedInUser>(this.config.userTokenPath, {
      username: this.current.username,
      groups: groupsOf(this.current.groups),
    });
    this.signedIn = answer;
    for (const listener of this.listeners) listener();
    return answer;
  }

  /** The headers that authorize `request` in the chosen mode (`host` included: the real-time messages carry it). */
  async headersFor(request: AuthorizedRequest): Promise<Record<string, string>> {
    const host = this.options.host;
    switch (this.current.mode) {
      case 'API_KEY':
        return { host, 'x-api-key': this.options.apiKey };
      case 'AMAZON_COGNITO_USER_POOLS': {
        // Signed in on first use, and again when the username or groups typed change.
        const user = this.user ?? (await this.signIn());
        return { host, Authorization: user.token };
      }
      case 'AWS_LAMBDA':
        return { host, Authorization: required(this.current.lambdaToken, 'the token your Lambda authorizer expects') };
      case 'OPENID_CONNECT':
        return { host, Authorization: required(this.current.oidcToken, "a JWT of the API's OpenID Connect provider") };
      case 'AWS_IAM': {
        const role = required(this.current.role, 'a role of the template to act as');
        const answer = await postLocal<{ headers: Record<string, string> }>(this.config.signPath, { role, ...request });
        return answer.headers;
      }
      default:
        return unreachable(this.current.mode);
    }
  }

  private isCurrentUser(user: SignedInUser): boolean {
    const groups = groupsOf(this.current.groups);
    return user.username === this.current.username.trim() && user.groups.join(',') === groups.join(',');
  }
}

function groupsOf(typed: string): string[] {
  return typed
    .split(',')
    .map((group) => group.trim())
    .filter((group) => group.length > 0);
}

function required(value: string, what: string): string {
  if (value.trim().length === 0) throw new Error(`Type ${what} in the bar above the editor.`);
  return value.trim();
}

/** POST to one of the server's local endpoints; their refusals carry `{ errorType, message }`. */
async function postLocal<T>(path: string, body: unknown): Promise<T> {
  const response = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const answer = (await response.json()) as T & { errorType?: string; message?: string };
  if (!response.ok) throw new Error(`${path}: ${answer.errorType ?? response.status}: ${answer.message ?? 'refused'}`);
  return answer;
}

function readStored(storage: ChoiceStorage | undefined): Partial<AuthChoice> | undefined {
  try {
    const raw = storage?.getItem(STORAGE_KEY);
    return raw ? (JSON.parse(raw) as Partial<AuthChoice>) : undefined;
  } catch {
    return undefined; // a value some older page wrote: start from the defaults
  }
}

function unreachable(mode: never): never {
  throw new Error(`The page does not know the auth mode ${String(mode)}.`);
}
