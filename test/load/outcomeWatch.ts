/**
 * Watches an aggregate's on<X>Saved (onReservationSaved by default) over one plain AppSync real-time connection, one
 * `start` per aggregate, and records every `data` message by commandId, so a
 * test can count terminal messages per command (exactly one expected).
 * Lean on purpose: thousands of subscriptions and messages in a load run.
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

export class OutcomeWatch {
  private readonly byCommand = new Map<string, Outcome[]>();
  private readonly firstWaiters = new Map<string, ((outcome: Outcome) => void)[]>();
  private readonly acks = new Map<string, { resolve: () => void; reject: (error: Error) => void }>();
  private readonly watched = new Map<string, number>();
  /** Every error message the server sent (a failed start, a malformed message). */
  readonly errors: unknown[] = [];
  private connectionAck!: () => void;

  private constructor(
    private readonly ws: WebSocket,
    private readonly apiKey: string,
    private readonly host: string,
    private readonly field: string,
  ) {
    ws.on('message', (raw) => this.onMessage(String(raw)));
  }

  static async connect(realtimeUrl: string, apiKey: string, field = 'onReservationSaved'): Promise<OutcomeWatch> {
    const host = new URL(realtimeUrl).host;
    const header = Buffer.from(JSON.stringify({ host, 'x-api-key': apiKey })).toString('base64');
    const ws = new WebSocket(`${realtimeUrl}?header=${encodeURIComponent(header)}&payload=e30=`, 'graphql-ws');
    const watch = new OutcomeWatch(ws, apiKey, host, field);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const acked = new Promise<void>((resolve) => (watch.connectionAck = resolve));
    ws.send(JSON.stringify({ type: 'connection_init' }));
    await acked;
    return watch;
  }

  private onMessage(text: string): void {
    const message = JSON.parse(text) as { type: string; id?: string; payload?: { data?: Record<string, Omit<Outcome, 'receivedAt'> | undefined> } };
    switch (message.type) {
      case 'connection_ack':
        this.connectionAck();
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
    const acked = new Promise<void>((resolve, reject) => this.acks.set(id, { resolve, reject }));
    this.ws.send(
      JSON.stringify({ id, type: 'start', payload: { data: JSON.stringify({ query: onSavedQuery(this.field), variables: { id: aggregateId } }), extensions: { authorization: { host: this.host, 'x-api-key': this.apiKey } } } }),
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
    this.ws.send(JSON.stringify({ id: `s-${aggregateId}`, type: 'stop' }));
  }

  /** The first message for a command (already received or still to come). */
  first(commandId: string, timeoutMs: number): Promise<Outcome> {
    const seen = this.byCommand.get(commandId)?.[0];
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`No ${this.field} message for command ${commandId} within ${timeoutMs} ms`)), timeoutMs);
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
    this.ws.close();
  }
}
