/**
 * A front-end server's client for the benchmarks: aws-amplify v6 against a local stack (its
 * WebSocket given `ws` trusting the local CA, as in test/integration/localStack/amplifyClient),
 * sending `createReservation` and waiting for its `onReservationSaved` message.
 *
 * A subscription is known to be live when the server logs `subscribe onReservationSaved({"id":…})`
 * (its `onEvent` line, written right after `start_ack`): the driver is fed those lines, so no
 * command is sent before its subscriber can hear the answer, and no fixed settle time is paid.
 *
 * @example
 * const driver = new CommandDriver({ graphqlUrl, apiKey, caFile });
 * const stack = await LocalStack.start({ ..., onEvent: (line) => driver.serverLine(line) });
 * const timing = await driver.command();   // { t0, tAck, tMessage, status }
 */
import { readFileSync } from 'node:fs';
import { Amplify } from 'aws-amplify';
import { generateClient } from 'aws-amplify/api';
import { ulid } from 'ulid';
import WebSocket from 'ws';
import { inParallel, within } from './measure.ts';

const ON_SAVED = `subscription OnSaved($id: ID!) { onReservationSaved(id: $id) { id commandId status version reason reservation { id status version } } }`;
const CREATE = `mutation Create($input: CreateReservationInput!) { createReservation(input: $input) { id commandId status } }`;
/** With direct delivery the outcome is in the mutation's response. */
const CREATE_DIRECT = `mutation Create($input: CreateReservationInput!) { createReservation(input: $input) { id commandId status version reason } }`;

interface AmplifyGraphQLClient {
  graphql(options: { query: string; variables?: Record<string, unknown> }): unknown;
}
interface Observable<T> {
  subscribe(observer: { next: (value: T) => void; error: (error: unknown) => void }): { unsubscribe(): void };
}

/** Client-side instants of one command (performance.now(), this process). */
export interface CommandTiming {
  id: string;
  /** Just before the mutation is sent. */
  t0: number;
  /** The mutation's answer (PENDING) received. */
  tAck: number;
  /** The subscription's message received. */
  tMessage: number;
  status: string;
}

export class CommandDriver {
  private readonly client: AmplifyGraphQLClient;
  private readonly waiting = new Map<string, () => void>();
  /** Messages received on subscriptions (each is one AppSync real-time message). */
  messages = 0;

  constructor(options: { graphqlUrl: string; apiKey: string; caFile: string }) {
    // Node 20 has no global WebSocket: give Amplify `ws`, trusting the local CA.
    const ca = readFileSync(options.caFile);
    globalThis.WebSocket = class extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols, { ca });
      }
    } as unknown as typeof globalThis.WebSocket;
    Amplify.configure({
      API: { GraphQL: { endpoint: options.graphqlUrl, region: 'us-east-1', defaultAuthMode: 'apiKey', apiKey: options.apiKey } },
    });
    this.client = generateClient() as unknown as AmplifyGraphQLClient;
  }

  /** Feed the server's event lines (LocalStack `onEvent`, or the dev server's stdout). */
  serverLine(line: string): void {
    const match = /subscribe onReservationSaved\(\{"id":"([^"]+)"\}\)/.exec(line);
    if (!match) return;
    const done = this.waiting.get(match[1]!);
    this.waiting.delete(match[1]!);
    done?.();
  }

  /**
   * One command delivered 'direct': send createReservation and read its outcome in the response,
   * subscribing to nothing (what a sender needs; other subscribers hear it from publishReservationSaved).
   */
  async directCommand(timeoutMs = 15_000): Promise<CommandTiming> {
    const id = ulid();
    const t0 = performance.now();
    const answer = (await within(
      timeoutMs,
      this.client.graphql({
        query: CREATE_DIRECT,
        variables: { input: { id, userId: 'bench-user', roomId: `bench-room-${id}`, dateStart: '2032-05-01', dateEnd: '2032-05-03' } },
      }) as Promise<{ data: { createReservation: { status: string } } }>,
      `createReservation ${id}`,
    )) as { data: { createReservation: { status: string } } };
    const tAck = performance.now();
    return { id, t0, tAck, tMessage: tAck, status: answer.data.createReservation.status };
  }

  /** One command: subscribe (wait until live), send createReservation, wait for the outcome. */
  async command(timeoutMs = 15_000): Promise<CommandTiming> {
    const id = ulid();
    const live = new Promise<void>((resolve) => this.waiting.set(id, resolve));
    let subscription: { unsubscribe(): void } | undefined;
    const message = new Promise<{ onReservationSaved: { status: string } }>((resolve, reject) => {
      const observable = this.client.graphql({ query: ON_SAVED, variables: { id } }) as Observable<{
        data: { onReservationSaved: { status: string } };
      }>;
      subscription = observable.subscribe({ next: ({ data }) => resolve(data), error: reject });
    });
    try {
      await within(timeoutMs, live, `subscription ${id}`);
      const t0 = performance.now();
      // A room of its own per command: room-night claims never collide.
      await within(
        timeoutMs,
        this.client.graphql({
          query: CREATE,
          variables: { input: { id, userId: 'bench-user', roomId: `bench-room-${id}`, dateStart: '2032-05-01', dateEnd: '2032-05-03' } },
        }) as Promise<unknown>,
        `createReservation ${id}`,
      );
      const tAck = performance.now();
      const saved = await within(timeoutMs, message, `onReservationSaved ${id}`);
      const tMessage = performance.now();
      this.messages += 1;
      return { id, t0, tAck, tMessage, status: saved.onReservationSaved.status };
    } finally {
      this.waiting.delete(id);
      subscription?.unsubscribe();
    }
  }

  /** `count` commands with `concurrency` in flight (bus: subscribe and wait for the message; direct: the response); every outcome must be SAVED. */
  async commands(
    count: number,
    concurrency: number,
    delivery: 'bus' | 'direct' = 'bus',
  ): Promise<{ timings: CommandTiming[]; wallMs: number }> {
    const timings: CommandTiming[] = [];
    const wallMs = await inParallel(count, concurrency, async () => {
      const timing = delivery === 'bus' ? await this.command() : await this.directCommand();
      if (timing.status !== 'SAVED') throw new Error(`command ${timing.id} ended ${timing.status}`);
      timings.push(timing);
    });
    return { timings, wallMs };
  }
}
