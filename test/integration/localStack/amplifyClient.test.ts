/**
 * A front-end server's real client, aws-amplify v6, configured with nothing
 * but the local endpoint and API key: it subscribes over wss:// (Amplify opens
 * no other), sends a command, receives the outcome, and reads the errors
 * AppSync would send it.
 */
import { readFileSync } from 'node:fs';
import { Amplify } from 'aws-amplify';
import { generateClient } from 'aws-amplify/api';
import { ulid } from 'ulid';
import WebSocket from 'ws';
import { beforeAll, describe, expect, it } from 'vitest';
import { useLocalStack } from '../../helpers/localStack.ts';

const local = useLocalStack();

const ON_SAVED = `subscription OnSaved($id: ID!) { onReservationSaved(id: $id) { id commandId status version reason reservation { id status version } } }`;
const CREATE = `mutation Create($input: CreateReservationInput!) { createReservation(input: $input) { id commandId status } }`;

type Saved = {
  onReservationSaved: {
    id: string;
    commandId: string;
    status: string;
    version: number | null;
    reason: string | null;
    reservation: { id: string; status: string; version: number } | null;
  };
};

/** The two shapes `client.graphql` answers with: a promise for queries and mutations, an observable for subscriptions. */
interface AmplifyGraphQLClient {
  graphql(options: { query: string; variables?: Record<string, unknown> }): unknown;
}
interface AmplifyError {
  errors: { errorType: string; message: string; errorInfo: { violations: { rule: string }[] } }[];
}

let client: AmplifyGraphQLClient;

/** Send a query or mutation; resolve with Amplify's result, or with the error object it rejects with. */
function send<T>(query: string, variables?: Record<string, unknown>): Promise<{ data: T } | AmplifyError> {
  return (client.graphql({ query, variables }) as Promise<{ data: T }>).catch((error: AmplifyError) => error);
}

beforeAll(() => {
  // Node 20 has no global WebSocket: give Amplify `ws`, trusting the local CA as NODE_EXTRA_CA_CERTS would.
  const ca = readFileSync(local.stack.caFile);
  globalThis.WebSocket = class extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { ca });
    }
  } as unknown as typeof globalThis.WebSocket;
  Amplify.configure({
    API: { GraphQL: { endpoint: local.stack.graphqlUrl, region: 'us-east-1', defaultAuthMode: 'apiKey', apiKey: local.stack.apiKey } },
  });
  client = generateClient() as unknown as AmplifyGraphQLClient;
});

function firstMessage(id: string): { ready: Promise<void>; message: Promise<Saved>; unsubscribe: () => void } {
  let unsubscribe = () => undefined as void;
  let ready!: () => void;
  const readyPromise = new Promise<void>((resolve) => (ready = resolve));
  const message = new Promise<Saved>((resolve, reject) => {
    const observable = client.graphql({ query: ON_SAVED, variables: { id } }) as unknown as {
      subscribe(observer: { next: (value: { data: Saved }) => void; error: (error: unknown) => void }): { unsubscribe(): void };
    };
    const subscription = observable.subscribe({ next: ({ data }) => resolve(data), error: reject });
    unsubscribe = () => subscription.unsubscribe();
  });
  // Amplify acknowledges a subscription only through its connection-state hub; a short settle suffices locally.
  setTimeout(ready, 500);
  return { ready: readyPromise, message, unsubscribe };
}

describe('aws-amplify v6 against the local stack', () => {
  it('subscribes, sends createReservation, and receives SAVED for that reservation', async () => {
    const id = ulid();
    const subscription = firstMessage(id);
    await subscription.ready;
    const accepted = (await send(CREATE, {
      input: { id, userId: 'amplify-user', roomId: 'amplify-room-1', dateStart: '2032-05-01', dateEnd: '2032-05-03' },
    })) as {
      data: { createReservation: { id: string; commandId: string; status: string } };
    };
    expect(accepted.data.createReservation).toEqual({ id, commandId: expect.any(String), status: 'PENDING' });
    const saved = await subscription.message;
    subscription.unsubscribe();
    expect(saved.onReservationSaved).toEqual({
      id,
      commandId: accepted.data.createReservation.commandId,
      status: 'SAVED',
      version: 1,
      reason: null,
      reservation: { id, status: 'CONFIRMED', version: 1 },
    });
  });

  it('reads a business-rule refusal with its errorType and every violation', async () => {
    const refusal = (await send(CREATE, {
      input: { userId: 'amplify-user', roomId: 'amplify-room-2', dateStart: '2020-01-10', dateEnd: '2020-03-10' },
    })) as AmplifyError;
    expect(refusal.errors[0]).toMatchObject({ errorType: 'BusinessRuleViolation' });
    expect(refusal.errors[0]!.errorInfo.violations.map((violation) => violation.rule).sort()).toEqual(['DateStartInPast', 'StayTooLong']);
  });

  it('is refused the IAM-only store mutation with the API key', async () => {
    const refusal = (await send(
      `mutation { saveReservationEvent(input: { eventId: "e", type: ReservationCreated, aggregateId: "${ulid()}", version: 1, occurredAt: "2032-01-01T00:00:00Z", commandId: "c", correlationId: "c", schemaVersion: 1, data: "{}" }) { id status } }`,
    )) as AmplifyError;
    expect(refusal.errors[0]).toMatchObject({
      errorType: 'Unauthorized',
      message: 'Not Authorized to access saveReservationEvent on type Mutation',
    });
  });
});
