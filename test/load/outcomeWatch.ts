/**
 * Watches an aggregate's on<X>Saved (onReservationSaved by default) over plain AppSync real-time connections, one
 * `start` per aggregate, and records every `data` message by commandId, so a
 * test can count terminal messages per command (exactly one expected).
 * Lean on purpose: thousands of subscriptions and messages in a load run.
 * AppSync takes at most 100 subscriptions per connection (its quota
 * "Subscriptions per connection", which the local server enforces too), so a
 * new connection is opened for each hundred.
 *
 * @example
 * const watch = await OutcomeWatch.connect(stack.realtimeUrl, stack.apiKey);
 * await watch.watch(id);                 // before sending
 * const first = await watch.first(commandId, 8_000);
 * watch.messagesOf(commandId);           // every message, for the exactly-one check
 */
import WebSocket from 'ws';

export type SaveStatus = 'SAVED' | 'REJECTED' | 'TIMED_OUT';

export interface Outcome {
  id: string;
  commandId: string;
  status: SaveStatus;
  version: number | null;
  reason: string | null;
  repeat: boolean;
  /** performance.now() when the message arrived. */
  receivedAt: number;
}

/** The subscription of one aggregate's outcomes, selecting what every on<X>Saved carries. */
function onSavedQuery(field: string): string {
  return `subscription OnSaved($id: ID!) { ${field}(id: $id) { id commandId status version reason repeat } }`;
}

/** AppSync's quota "Subscriptions per connection". */
const SUBSCRIPTIONS_PER_CONNECTION = 100;

export class OutcomeWatch {
  private readonly byCommand = new Map<string, Outcome[]>();
  private readonly firstWaiters = new Map<string, ((outcome: Outcome) => void)[]>();
  private readonly acks = new Map<string, { resolve: () => void; reject: (error: Error) => void }>();
  private readonly watched = new Map<string, number>();
  /** The connection each watched aggregate's subscription runs on. */
  private readonly connectionOf = new Map<string, { ws: WebSocket; subscriptions: number }>();
  private readonly connections: { ws: WebSocket; subscriptions: number }[] = [];
  /** The connection an aggregate was last watched on, kept after unwatch(). */
  private readonly lastConnectionOf = new Map<string, { ws: WebSocket; subscriptions: number }>();
  /** A connection being opened, for the watches that need one meanwhile. */
  private opening: Promise<{ ws: WebSocket; subscriptions: number }> | undefined;
  /** Every error message the server sent (a failed start, a malformed message). */
  readonly errors: unknown[] = [];

  private constructor(
    private readonly realtimeUrl: string,
    private readonly apiKey: string,
    private readonly host: string,
    private readonly field: string,
  ) {}

  static async connect(realtimeUrl: string, apiKey: string, field = 'onReservationSaved'): Promise<OutcomeWatch> {
    const watch = new OutcomeWatch(realtimeUrl, apiKey, new URL(realtimeUrl).host, field);
    watch.connections.push(await watch.open());
    return watch;
  }

  private async open(): Promise<{ ws: WebSocket; subscriptions: number }> {
    const header = Buffer.from(JSON.stringify({ host: this.host, 'x-api-key': this.apiKey })).toString('base64');
    const ws = new WebSocket(`${this.realtimeUrl}?header=${encodeURIComponent(header)}&payload=e30=`, 'graphql-ws');
    let connectionAck!: () => void;
    const acked = new Promise<void>((resolve) => (connectionAck = resolve));
    ws.on('message', (raw) => this.onMessage(String(raw), connectionAck));
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    ws.send(JSON.stringify({ type: 'connection_init' }));
    await acked;
    return { ws, subscriptions: 0 };
  }

  /**
   * A connection with room for one more subscription, its place taken (a new connection when every open one is full).
   * An aggregate watched again goes back to the connection it was on: there the server reads its earlier `stop`
   * before the new `start`, so the old and the new subscription never both hear one message.
   */
  private async reserve(aggregateId: string): Promise<{ ws: WebSocket; subscriptions: number }> {
    const previous = this.lastConnectionOf.get(aggregateId);
    for (;;) {
      // Found and counted in one step: concurrent watches must not both take a connection's last place.
      const free = previous ?? this.connections.find((connection) => connection.subscriptions < SUBSCRIPTIONS_PER_CONNECTION);
      if (free && free.subscriptions < SUBSCRIPTIONS_PER_CONNECTION) {
        free.subscriptions += 1;
        this.lastConnectionOf.set(aggregateId, free);
        return free;
      }
      if (previous) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        continue;
      }
      if (!this.opening) {
        this.opening = this.open().then((connection) => {
          this.connections.push(connection);
          this.opening = undefined;
          return connection;
        });
      }
      await this.opening;
    }
  }

  private onMessage(text: string, connectionAck: () => void): void {
    const message = JSON.parse(text) as {
      type: string;
      id?: string;
      payload?: { data?: Record<string, Omit<Outcome, 'receivedAt'> | undefined> };
    };
    switch (message.type) {
      case 'connection_ack':
        connectionAck();
        return;
      case 'start_ack':
        this.acks.get(message.id ?? '')?.resolve();
        this.acks.delete(message.id ?? '');
        return;
      case 'error':
      case 'connection_error': {
        this.errors.push(message);
        const ack = this.acks.get(message.id ?? '');
        if (ack) {
          this.acks.delete(message.id ?? '');
          ack.reject(new Error(`start ${message.id} refused: ${text}`));
        }
        return;
      }
      case 'data': {
        const saved = message.payload?.data?.[this.field];
        if (!saved) {
          this.errors.push(message);
          return;
        }
        const outcome: Outcome = { ...saved, receivedAt: performance.now() };
        const list = this.byCommand.get(saved.commandId) ?? [];
        list.push(outcome);
        this.byCommand.set(saved.commandId, list);
        for (const resolve of this.firstWaiters.get(saved.commandId)?.splice(0) ?? []) resolve(outcome);
        return;
      }
      default:
    }
  }

  /** Subscribe to one aggregate (once, however often asked) and wait for start_ack. */
  async watch(aggregateId: string): Promise<void> {
    const count = this.watched.get(aggregateId) ?? 0;
    this.watched.set(aggregateId, count + 1);
    if (count > 0) return;
    const id = `s-${aggregateId}`;
    const connection = await this.reserve(aggregateId);
    this.connectionOf.set(aggregateId, connection);
    const acked = new Promise<void>((resolve, reject) => this.acks.set(id, { resolve, reject }));
    connection.ws.send(
      JSON.stringify({
        id,
        type: 'start',
        payload: {
          data: JSON.stringify({ query: onSavedQuery(this.field), variables: { id: aggregateId } }),
          extensions: { authorization: { host: this.host, 'x-api-key': this.apiKey } },
        },
      }),
    );
    await acked;
  }

  /** Stop watching an aggregate once every watch() of it has been matched by an unwatch(). */
  unwatch(aggregateId: string): void {
    const count = (this.watched.get(aggregateId) ?? 0) - 1;
    if (count > 0) {
      this.watched.set(aggregateId, count);
      return;
    }
    this.watched.delete(aggregateId);
    const connection = this.connectionOf.get(aggregateId);
    this.connectionOf.delete(aggregateId);
    if (!connection) return;
    connection.subscriptions -= 1;
    connection.ws.send(JSON.stringify({ id: `s-${aggregateId}`, type: 'stop' }));
  }

  /** The first message for a command (already received or still to come). */
  first(commandId: string, timeoutMs: number): Promise<Outcome> {
    const seen = this.byCommand.get(commandId)?.[0];
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`No ${this.field} message for command ${commandId} within ${timeoutMs} ms`)),
        timeoutMs,
      );
      const waiters = this.firstWaiters.get(commandId) ?? [];
      waiters.push((outcome) => {
        clearTimeout(timer);
        resolve(outcome);
      });
      this.firstWaiters.set(commandId, waiters);
    });
  }

  /** Every message received for a command, in order. */
  messagesOf(commandId: string): Outcome[] {
    return this.byCommand.get(commandId) ?? [];
  }

  /** Every commandId a message named. */
  commandIds(): string[] {
    return [...this.byCommand.keys()];
  }

  get subscriptionCount(): number {
    return this.watched.size;
  }

  close(): void {
    for (const connection of this.connections) connection.ws.close();
  }
}
