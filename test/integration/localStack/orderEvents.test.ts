/**
 * An app in the shape of a public event-driven AppSync app (bboure/serverless-eda-graphql-api;
 * test/fixtures/orderEvents) that the local runtime failed before: its schema declares `type Query`
 * with no fields (AppSync accepts it; graphql-js refused every request), and its pipeline's
 * after-handler returns `ctx.result` (the last function's result on AWS; it was null locally).
 * The whole flow through real clients: mutation → DynamoDB Local → bus → rule (input transformer, as
 * its IAM role) → IAM-only mutation → subscription.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { useLocalStack } from '../../helpers/localStack.ts';
import { AppSyncRealtimeClient } from '../../helpers/appSyncRealtimeClient.ts';

let subscribed: () => void = () => undefined;
const subscriptionStarted = new Promise<void>((resolve) => {
  subscribed = resolve;
});

describe('an app with an empty Query type and a pipeline answering ctx.result', () => {
  // The order's id is chosen by the resolver (util.autoId): the rule's delivery waits until the client has subscribed to it.
  const local = useLocalStack({
    cdkOut: 'test/fixtures/orderEvents/assembly',
    interceptDelivery: async () => {
      await subscriptionStarted;
      return 'deliver';
    },
  });
  let client: AppSyncRealtimeClient | undefined;
  afterAll(() => client?.close());

  it('answers a request at all, introspection included', async () => {
    expect(await local.graphql('{ __typename }')).toEqual({ data: { __typename: 'Query' } });
    expect(await local.graphql('{ __schema { queryType { fields { name } } } }')).toEqual({
      data: { __schema: { queryType: { fields: [] } } },
    });
  });

  it('answers the mutation with the last function’s result, stores the order, and a subscriber hears the rule’s notification', async () => {
    const created = await local.graphql('mutation { createOrder(items: ["tea", "scone"]) { id status items createdAt } }');
    expect(created).toEqual({
      data: { createOrder: { id: expect.any(String), status: 'PENDING', items: ['tea', 'scone'], createdAt: expect.any(String) } },
    });
    const id = (created.data!.createOrder as { id: string }).id;

    client = await AppSyncRealtimeClient.connect(local.stack.realtimeUrl, { host: 'localhost', 'x-api-key': local.stack.apiKey });
    await client.init();
    await client.subscribe(
      'order',
      'subscription ($id: ID!) { onOrderUpdated(id: $id) { id status } }',
      { id },
      { host: 'localhost', 'x-api-key': local.stack.apiKey },
    );
    subscribed();

    expect((await client.nextData('order')).payload).toEqual({ data: { onOrderUpdated: { id, status: 'PENDING' } } });
    await local.stack.bus.idle();
    expect(local.stack.bus.failedDeliveries()).toEqual([]);
  });
});
