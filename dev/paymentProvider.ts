/**
 * A stand-in for the payment provider, so the whole payment flow runs offline:
 * `npm start` serves it beside the local runtime, and tests start their own.
 * It speaks the protocol of docs/paymentProvider.md and answers by card token,
 * as shared/CONTRACT.md lists: every token authorizes except `tok_declined`
 * (declined, card_declined), `tok_insufficient_funds` (declined,
 * insufficient_funds), `tok_error` (HTTP 500) and `tok_slow` (answers after
 * 25 s). Idempotent by the `Idempotency-Key` header, as real providers are.
 *
 * @example
 * const provider = await PaymentProviderStandIn.start({ apiKey: 'local-key' });
 * console.log(provider.url); // http://127.0.0.1:<port>
 * await provider.stop();
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';

export interface PaymentProviderOptions {
  /** The Bearer token requests must carry. */
  apiKey: string;
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** How long `tok_slow` takes to answer. Default 25 s (the contract's). */
  slowMs?: number;
}

/** One request as the stand-in received it, for tests to read. */
export interface ProviderRequestLog {
  method: string;
  path: string;
  idempotencyKey: string | null;
  body: Record<string, unknown>;
  status: number;
}

type AuthorizationStatus = 'authorized' | 'captured' | 'voided' | 'refunded';
export type FollowUp = 'capture' | 'void' | 'refund';

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

const DECLINES: Record<string, string> = { tok_declined: 'card_declined', tok_insufficient_funds: 'insufficient_funds' };
/** What each follow-up needs the authorization to be, and what it makes it. */
const TRANSITIONS: Record<string, { from: AuthorizationStatus; to: AuthorizationStatus }> = {
  capture: { from: 'authorized', to: 'captured' },
  void: { from: 'authorized', to: 'voided' },
  refund: { from: 'captured', to: 'refunded' },
};

export class PaymentProviderStandIn {
  readonly requests: ProviderRequestLog[] = [];
  private readonly authorizations = new Map<string, { status: AuthorizationStatus; amount: number; currency: string; cardToken: string }>();
  /** Follow-ups that fail for authorizations of a card token (fault injection: failFollowUps). */
  private readonly failing = new Map<string, Set<FollowUp>>();
  /** Answers already given, by idempotency key: a retried request gets the same answer and changes nothing. */
  private readonly answered = new Map<string, Promise<Answer>>();
  private readonly timers = new Set<NodeJS.Timeout>();

  private constructor(
    private readonly server: Server,
    private readonly options: PaymentProviderOptions,
  ) {}

  static async start(options: PaymentProviderOptions): Promise<PaymentProviderStandIn> {
    const server = createServer();
    const provider = new PaymentProviderStandIn(server, options);
    server.on('request', (request: IncomingMessage, response: ServerResponse) => void provider.handle(request, response));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', resolve);
    });
    return provider;
  }

  /**
   * Fault injection for tests: from now on the provider answers HTTP 503 to these follow-ups of every
   * authorization made with `cardToken` (a provider outage for those payments), until the returned
   * function is called. A 5xx answer is not kept for its idempotency key, so a retry after that succeeds.
   *
   * @example
   * const heal = provider.failFollowUps('tok_visa_ops', ['capture', 'void']);
   */
  failFollowUps(cardToken: string, operations: FollowUp[]): () => void {
    this.failing.set(cardToken, new Set(operations));
    return () => this.failing.delete(cardToken);
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const body = (text.trim().startsWith('{') ? JSON.parse(text) : {}) as Record<string, unknown>;
    const idempotencyKey = typeof request.headers['idempotency-key'] === 'string' ? request.headers['idempotency-key'] : null;
    const path = new URL(request.url ?? '/', 'http://provider').pathname;
    let answer: Answer;
    if (request.headers.authorization !== `Bearer ${this.options.apiKey}`) {
      answer = { status: 401, body: { status: 'error', reason: 'invalid_api_key' } };
    } else if (request.method !== 'POST') {
      answer = { status: 405, body: { status: 'error', reason: 'method_not_allowed' } };
    } else {
      const key = idempotencyKey ? `${path} ${idempotencyKey}` : null;
      const earlier = key ? this.answered.get(key) : undefined;
      const pending = earlier ?? this.answer(path, body);
      if (key && !earlier) this.answered.set(key, pending);
      answer = await pending;
      // A server error is not an answer to remember: the same request sent again is tried again, as real providers do.
      if (key && answer.status >= 500) this.answered.delete(key);
    }
    this.requests.push({ method: request.method ?? '', path, idempotencyKey, body, status: answer.status });
    response.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
  }

  private answer(path: string, body: Record<string, unknown>): Promise<Answer> {
    if (path === '/v1/authorizations') return this.authorize(body);
    const followUp = /^\/v1\/authorizations\/([^/]+)\/(capture|void|refund)$/.exec(path);
    if (!followUp) return Promise.resolve({ status: 404, body: { status: 'error', reason: 'not_found' } });
    const [, id, operation] = followUp as unknown as [string, string, string];
    const authorization = this.authorizations.get(id);
    if (!authorization) return Promise.resolve({ status: 404, body: { status: 'error', reason: 'no_such_authorization' } });
    if (this.failing.get(authorization.cardToken)?.has(operation as FollowUp))
      return Promise.resolve({ status: 503, body: { status: 'error', reason: 'provider_unavailable' } });
    const transition = TRANSITIONS[operation]!;
    if (authorization.status !== transition.from) {
      return Promise.resolve({ status: 409, body: { status: 'error', reason: `authorization is ${authorization.status}` } });
    }
    authorization.status = transition.to;
    return Promise.resolve({ status: 200, body: { id, status: transition.to } });
  }

  private authorize(body: Record<string, unknown>): Promise<Answer> {
    const token = String(body.cardToken ?? '');
    if (!(Number(body.amount) > 0) || typeof body.currency !== 'string') {
      return Promise.resolve({ status: 400, body: { status: 'error', reason: 'invalid_request' } });
    }
    if (DECLINES[token]) return Promise.resolve({ status: 402, body: { status: 'declined', reason: DECLINES[token] } });
    if (token === 'tok_error') return Promise.resolve({ status: 500, body: { status: 'error', reason: 'provider_error' } });
    const authorize = (): Answer => {
      const id = `auth_${randomUUID().replaceAll('-', '')}`;
      this.authorizations.set(id, {
        status: 'authorized',
        amount: Number(body.amount),
        currency: body.currency as string,
        cardToken: token,
      });
      return { status: 201, body: { id, status: 'authorized' } };
    };
    if (token !== 'tok_slow') return Promise.resolve(authorize());
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve(authorize());
      }, this.options.slowMs ?? 25_000);
      this.timers.add(timer);
    });
  }
}
