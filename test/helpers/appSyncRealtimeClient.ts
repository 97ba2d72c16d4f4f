/**
 * A plain WebSocket client speaking AppSync's real-time protocol, with no
 * AppSync library in between, so tests show the protocol itself works:
 * connection_init/ack, start/start_ack, data, stop/complete, ka.
 */
import WebSocket from 'ws';

export interface RealtimeMessage {
  type: string;
  id?: string;
  payload?: { data?: Record<string, unknown>; errors?: { errorType?: string; message: string }[]; connectionTimeoutMs?: number };
}

export class AppSyncRealtimeClient {
  readonly messages: RealtimeMessage[] = [];
  private readonly waiters: { predicate: (message: RealtimeMessage) => boolean; resolve: (message: RealtimeMessage) => void }[] = [];

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (raw) => {
      const message = JSON.parse(String(raw)) as RealtimeMessage;
      this.messages.push(message);
      for (const waiter of [...this.waiters]) {
        if (waiter.predicate(message)) {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          waiter.resolve(message);
        }
      }
    });
  }

  /** Connect with auth headers passed as AppSync documents it: `?header=<base64 JSON>&payload=e30=`. */
  static async connect(
    realtimeUrl: string,
    authHeaders: Record<string, string>,
    options: { ca?: string | Buffer } = {},
  ): Promise<AppSyncRealtimeClient> {
    const header = Buffer.from(JSON.stringify(authHeaders)).toString('base64');
    const ws = new WebSocket(
      `${realtimeUrl}?header=${encodeURIComponent(header)}&payload=e30=`,
      'graphql-ws',
      options.ca ? { ca: options.ca } : {},
    );
    const client = new AppSyncRealtimeClient(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return client;
  }

  get protocol(): string {
    return this.ws.protocol;
  }

  send(message: unknown): void {
    this.ws.send(JSON.stringify(message));
  }

  /** The next message (already received or still to come) that satisfies `predicate`. */
  next(predicate: (message: RealtimeMessage) => boolean, timeoutMs = 10_000): Promise<RealtimeMessage> {
    const seen = this.messages.find(predicate);
    if (seen) {
      this.messages.splice(this.messages.indexOf(seen), 1);
      return Promise.resolve(seen);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`No matching real-time message within ${timeoutMs} ms; got ${JSON.stringify(this.messages)}`)),
        timeoutMs,
      );
      this.waiters.push({
        predicate,
        resolve: (message) => {
          clearTimeout(timer);
          this.messages.splice(this.messages.indexOf(message), 1);
          resolve(message);
        },
      });
    });
  }

  async init(): Promise<RealtimeMessage> {
    this.send({ type: 'connection_init' });
    return this.next((message) => message.type === 'connection_ack' || message.type === 'connection_error');
  }

  /** Start a subscription and wait for start_ack (or its error). */
  async subscribe(
    id: string,
    query: string,
    variables: Record<string, unknown>,
    authorization: Record<string, string>,
  ): Promise<RealtimeMessage> {
    this.send({ id, type: 'start', payload: { data: JSON.stringify({ query, variables }), extensions: { authorization } } });
    return this.next((message) => message.id === id && (message.type === 'start_ack' || message.type === 'error'));
  }

  nextData(id: string, timeoutMs?: number): Promise<RealtimeMessage> {
    return this.next((message) => message.id === id && message.type === 'data', timeoutMs);
  }

  close(): void {
    this.ws.close();
  }
}
