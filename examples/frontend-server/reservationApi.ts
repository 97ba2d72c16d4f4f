/**
 * The front-end server's only door to the core: aws-amplify v6 configured with
 * an endpoint and an API key, nothing else, so the same code talks to the local
 * stack and to a deployed one.
 *
 * @example
 * const api = configureReservationApi({ endpoint: 'http://localhost:20002/graphql', apiKey: 'da2-fakeApiId123456' });
 * const watch = await api.watchOutcome(id, commandId); // subscribed (start_ack) before the command is sent
 * const answer = await api.createReservation({ id, commandId, userId, roomId, dateStart, dateEnd });
 * if (answer.accepted) console.log(await watch.outcome);
 */
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { Amplify } from 'aws-amplify';
import { generateClient } from 'aws-amplify/api';
import { Hub } from 'aws-amplify/utils';
import WebSocket from 'ws';
import type {
  BookStayInput,
  BookingUpdate as GeneratedBookingUpdate,
  CreateReservationInput as GeneratedCreateReservationInput,
  Reservation as GeneratedReservation,
  ReservationSaved as GeneratedReservationSaved,
} from '../../schema/generated/types.ts';

export interface ReservationApiOptions {
  /** The AppSync GraphQL endpoint (`…/graphql`). */
  endpoint: string;
  apiKey: string;
  /** A CA to trust on the real-time socket (the local stack's `local-ca.pem`); the system store otherwise. */
  caFile?: string;
  /** How long to wait for AppSync's start_ack before giving up on a subscription. */
  subscribeTimeoutMs?: number;
}

/** The fields of a reservation this server selects (types generated from the schema). */
export type Reservation = Pick<
  GeneratedReservation,
  'id' | 'userId' | 'roomId' | 'dateStart' | 'dateEnd' | 'status' | 'version' | 'cancellationReason'
>;

/** The one terminal message a command gets on onReservationSaved(id). */
export type ReservationSaved = Pick<GeneratedReservationSaved, 'id' | 'commandId' | 'status' | 'version' | 'reason'> & {
  reservation: Reservation | null;
};

export interface Violation {
  rule: string;
  message: string;
}

/** What a command is answered at once: accepted (PENDING), or refused with the error AppSync sent. */
export type CommandAnswer =
  { accepted: true; id: string; commandId: string } | { accepted: false; errorType: string; message: string; violations: Violation[] };

/** The schema's input, with the ids this server always chooses itself made required. */
export type CreateReservationInput = Omit<GeneratedCreateReservationInput, 'id' | 'commandId'> & { id: string; commandId: string };

export interface OutcomeWatch {
  /** The message for this command (its commandId); rejects if the subscription fails. */
  outcome: Promise<ReservationSaved>;
  unsubscribe(): void;
}

/** One message of onBookingUpdated(id): a status the booking reached. */
export type BookingUpdate = Pick<GeneratedBookingUpdate, 'id' | 'status' | 'reason'> & {
  booking: {
    roomId: string;
    dateStart: string;
    dateEnd: string;
    amount?: number | null;
    currency?: string | null;
    reservationId?: string | null;
    paymentId?: string | null;
  } | null;
};

export interface ReservationApi {
  /** Subscribe to every update of booking `id` (resolves once AppSync acknowledged the subscription). */
  watchBooking(id: string, onUpdate: (update: BookingUpdate) => void): Promise<{ unsubscribe(): void }>;
  bookStay(input: BookStayInput & { id: string; commandId: string }): Promise<CommandAnswer>;
  watchOutcome(id: string, commandId: string): Promise<OutcomeWatch>;
  createReservation(input: CreateReservationInput): Promise<CommandAnswer>;
  cancelReservation(input: { id: string; commandId: string; reason: string | null }): Promise<CommandAnswer>;
  getReservation(id: string): Promise<Reservation | null>;
}

const RESERVATION_FIELDS = 'id userId roomId dateStart dateEnd status version cancellationReason';
const ON_SAVED = `subscription OnReservationSaved($id: ID!) {
  onReservationSaved(id: $id) { id commandId status version reason reservation { ${RESERVATION_FIELDS} } }
}`;
const CREATE = `mutation CreateReservation($input: CreateReservationInput!) { createReservation(input: $input) { id commandId status } }`;
const CANCEL = `mutation CancelReservation($input: CancelReservationInput!) { cancelReservation(input: $input) { id commandId status } }`;
const ON_BOOKING_UPDATED = `subscription OnBookingUpdated($id: ID!) {
  onBookingUpdated(id: $id) { id status reason booking { roomId dateStart dateEnd amount currency reservationId paymentId } }
}`;
const BOOK_STAY = `mutation BookStay($input: BookStayInput!) { bookStay(input: $input) { id commandId status } }`;
const GET = `query GetReservation($id: ID!) { getReservation(id: $id) { ${RESERVATION_FIELDS} } }`;

/** Amplify emits this on its 'api' Hub channel when AppSync acknowledges a subscription (start_ack). */
const SUBSCRIPTION_ACK = 'Subscription ack';

/** The two shapes `client.graphql` answers with: a promise for queries and mutations, an observable for subscriptions. */
interface AmplifyGraphQLClient {
  graphql(options: { query: string; variables?: Record<string, unknown> }): unknown;
}
interface Observable<T> {
  subscribe(observer: { next: (value: T) => void; error: (error: unknown) => void }): { unsubscribe(): void };
}
/** What Amplify rejects with on a GraphQL error: the response itself. */
interface AmplifyErrorResponse {
  errors?: { errorType?: string; message?: string; errorInfo?: { violations?: Violation[] } | null }[];
}

/**
 * Configure Amplify (a process-wide singleton) for this endpoint and key, and give it a WebSocket:
 * Node 20 has none, and Amplify always opens the real-time socket as wss://.
 */
export function configureReservationApi(options: ReservationApiOptions): ReservationApi {
  installWebSocket(options.caFile);
  Amplify.configure({
    API: { GraphQL: { endpoint: options.endpoint, region: regionOf(options.endpoint), defaultAuthMode: 'apiKey', apiKey: options.apiKey } },
  });
  const client = generateClient() as unknown as AmplifyGraphQLClient;
  const subscribeTimeoutMs = options.subscribeTimeoutMs ?? 10_000;

  const command = async (query: string, input: Record<string, unknown>, field: string): Promise<CommandAnswer> => {
    try {
      const result = (await client.graphql({ query, variables: { input } })) as { data: Record<string, { id: string; commandId: string }> };
      const accepted = result.data[field]!;
      return { accepted: true, id: accepted.id, commandId: accepted.commandId };
    } catch (error) {
      return refusalOf(error);
    }
  };

  return {
    watchOutcome(id, commandId) {
      return new Promise<OutcomeWatch>((resolveReady, rejectReady) => {
        let settle!: { resolve: (saved: ReservationSaved) => void; reject: (error: unknown) => void };
        const outcome = new Promise<ReservationSaved>((resolve, reject) => (settle = { resolve, reject }));
        // Nobody may be awaiting `outcome` yet (the command is still to be sent): mark it handled here.
        outcome.catch(() => undefined);
        let ready = false;
        const stopListening = Hub.listen('api', ({ payload }) => {
          const data = payload.data as { variables?: { id?: string } } | undefined;
          if (payload.event === SUBSCRIPTION_ACK && data?.variables?.id === id) markReady();
        });
        const timer = setTimeout(
          () => fail(new Error(`AppSync did not acknowledge the subscription on reservation ${id} within ${subscribeTimeoutMs} ms.`)),
          subscribeTimeoutMs,
        );
        const observable = client.graphql({ query: ON_SAVED, variables: { id } }) as Observable<{
          data: { onReservationSaved: ReservationSaved };
        }>;
        const subscription = observable.subscribe({
          next: ({ data }) => {
            // The subscription hears every command on this reservation: keep the answer to ours.
            if (data.onReservationSaved.commandId !== commandId) return;
            settle.resolve(data.onReservationSaved);
            unsubscribe();
          },
          error: (error) => fail(error),
        });
        const watch: OutcomeWatch = { outcome, unsubscribe };
        function markReady() {
          if (ready) return;
          ready = true;
          clearTimeout(timer);
          stopListening();
          resolveReady(watch);
        }
        function fail(error: unknown) {
          const failure = error instanceof Error ? error : new Error(`The subscription failed: ${describeError(error)}`);
          unsubscribe();
          if (ready) settle.reject(failure);
          else rejectReady(failure);
        }
        function unsubscribe() {
          clearTimeout(timer);
          stopListening();
          subscription.unsubscribe();
        }
      });
    },
    watchBooking(id, onUpdate) {
      return new Promise((resolveReady, rejectReady) => {
        const stopListening = Hub.listen('api', ({ payload }) => {
          const data = payload.data as { variables?: { id?: string } } | undefined;
          if (payload.event === SUBSCRIPTION_ACK && data?.variables?.id === id) ready();
        });
        const timer = setTimeout(() => {
          unsubscribe();
          rejectReady(new Error(`AppSync did not acknowledge the subscription on booking ${id} within ${subscribeTimeoutMs} ms.`));
        }, subscribeTimeoutMs);
        const observable = client.graphql({ query: ON_BOOKING_UPDATED, variables: { id } }) as Observable<{
          data: { onBookingUpdated: BookingUpdate };
        }>;
        const subscription = observable.subscribe({
          next: ({ data }) => onUpdate(data.onBookingUpdated),
          error: (error) => console.error(`onBookingUpdated(${id}) failed: ${describeError(error)}`),
        });
        function ready() {
          clearTimeout(timer);
          stopListening();
          resolveReady({ unsubscribe });
        }
        function unsubscribe() {
          clearTimeout(timer);
          stopListening();
          subscription.unsubscribe();
        }
      });
    },
    bookStay: (input) => command(BOOK_STAY, { ...input }, 'bookStay'),
    createReservation: (input) => command(CREATE, { ...input }, 'createReservation'),
    cancelReservation: (input) => command(CANCEL, { ...input }, 'cancelReservation'),
    async getReservation(id) {
      const result = (await client.graphql({ query: GET, variables: { id } })) as { data: { getReservation: Reservation | null } };
      return result.data.getReservation;
    },
  };
}

function refusalOf(error: unknown): CommandAnswer {
  const first = (error as AmplifyErrorResponse | null)?.errors?.[0];
  if (!first) return { accepted: false, errorType: 'NetworkError', message: describeError(error), violations: [] };
  return {
    accepted: false,
    errorType: first.errorType ?? 'UnknownError',
    message: first.message ?? 'The command was refused.',
    violations: first.errorInfo?.violations ?? [],
  };
}

function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  const errors = (error as AmplifyErrorResponse | null)?.errors;
  if (errors?.length) return errors.map((entry) => entry.message ?? entry.errorType).join('; ');
  return JSON.stringify(error);
}

/** `https://x.appsync-api.eu-west-1.amazonaws.com/graphql` → eu-west-1; locally any region will do. */
function regionOf(endpoint: string): string {
  return /\.appsync-api\.([a-z0-9-]+)\.amazonaws\.com/.exec(endpoint)?.[1] ?? process.env.AWS_REGION ?? 'us-east-1';
}

/** `ws` as the global WebSocket, trusting `caFile` on top of Node's own CAs when given. */
function installWebSocket(caFile: string | undefined): void {
  // `ca` replaces Node's list: keep the public roots so a deployed endpoint still verifies.
  const options = caFile ? { ca: [...rootCertificates, readFileSync(caFile, 'utf8')] } : {};
  globalThis.WebSocket = class extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, options);
    }
  } as unknown as typeof globalThis.WebSocket;
}
