/**
 * Limits the local server applies to what it sends, on a stack where they are shrunk to reach them with
 * ordinary requests: a response over its size (AWS documents none for a whole response: the local server's
 * own), and a publication over AppSync's subscription payload size (240 KB), which reaches no subscriber.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ulid } from 'ulid';
import { describe, expect, it } from 'vitest';
import { AppSyncRealtimeClient } from '../../helpers/appSyncRealtimeClient.ts';
import { useLocalStack } from '../../helpers/localStack.ts';

const serverLog: string[] = [];
const local = useLocalStack({ limits: { responseBytes: 2_000, subscriptionPayloadBytes: 64 }, onEvent: (line) => serverLog.push(line) });

describe('the response size limit', () => {
  it('refuses a response over the limit, saying what to do, and sends the ones under it', async () => {
    const aliases = Array.from({ length: 200 }, (_, index) => `a${index}: __typename`).join(' ');
    expect(await local.post(`{ ${aliases} }`)).toEqual({
      status: 200,
      body: {
        data: null,
        errors: [
          {
            errorType: 'ResponseTooLarge',
            message:
              'The response is larger than the local server sends (2000 bytes): select fewer fields, or page through the results (limit, nextToken).',
            path: null,
          },
        ],
      },
    });
    expect(await local.graphql('{ __typename }')).toEqual({ data: { __typename: 'Query' } });
  });
});

describe('the subscription payload size', () => {
  it('delivers no publication over it, as AppSync drops it, and says so in the log', async () => {
    const { stack } = local;
    const client = await AppSyncRealtimeClient.connect(stack.realtimeUrl, { host: `localhost:${stack.port}`, 'x-api-key': stack.apiKey });
    try {
      await client.init();
      const id = ulid();
      const authorization = { host: `localhost:${stack.port}`, 'x-api-key': stack.apiKey };
      expect(
        await client.subscribe('saved', 'subscription ($id: ID!) { onReservationSaved(id: $id) { id status } }', { id }, authorization),
      ).toMatchObject({ type: 'start_ack' });
      const accepted = await local.graphql('mutation ($input: CreateReservationInput!) { createReservation(input: $input) { status } }', {
        input: { id, userId: 'payload-limit', roomId: `room-${id}`, dateStart: '2036-02-10', dateEnd: '2036-02-12' },
      });
      expect(accepted).toEqual({ data: { createReservation: { status: 'PENDING' } } });
      await stack.bus.idle();
      expect(serverLog).toContainEqual(
        expect.stringMatching(
          /^publication to onReservationSaved not delivered: its payload is \d+ bytes, over AppSync's subscription payload limit of 64$/,
        ),
      );
      // The check comes before any delivery: a message that was to come would have come by now.
      await sleep(500);
      expect(client.messages.filter((message) => message.type === 'data')).toEqual([]);
    } finally {
      client.close();
    }
  });
});
