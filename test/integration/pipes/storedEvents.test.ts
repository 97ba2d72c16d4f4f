/**
 * DynamoDB Streams and EventBridge Pipes end to end (test/fixtures/storedEvents, synthesized by CDK):
 * items written through the AppSync server → the table's stream (DynamoDB Local) → a pipe that keeps
 * inserted events (its filter), shapes them with its InputTemplate and puts them on the bus with a
 * DetailType read from the record → a rule calling an IAM-only mutation as its role → a subscriber.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { useLocalStack } from '../../helpers/localStack.ts';
import { AppSyncRealtimeClient } from '../../helpers/appSyncRealtimeClient.ts';
import type { PipeBatchLog } from '../../../local/index.ts';

const APPEND =
  'mutation ($streamId: ID!, $version: Int!, $type: String!, $kind: String) { append(streamId: $streamId, version: $version, type: $type, kind: $kind) }';
const ON_STORED = 'subscription ($streamId: ID) { onEventStored(streamId: $streamId) { streamId version type pipe } }';

describe('a table written through AppSync, its stream piped to the bus, a rule and a subscriber', () => {
  const batches: PipeBatchLog[] = [];
  const local = useLocalStack({
    cdkOut: 'test/fixtures/storedEvents/assembly',
    pipeTiming: { pollIntervalMs: 20, retryBaseDelayMs: 20 },
    onPipeBatch: (log) => batches.push(log),
  });
  const clients: AppSyncRealtimeClient[] = [];
  afterAll(() => clients.forEach((client) => client.close()));

  async function subscribe(streamId: string): Promise<AppSyncRealtimeClient> {
    const client = await AppSyncRealtimeClient.connect(local.stack.realtimeUrl, { host: 'localhost', 'x-api-key': local.stack.apiKey });
    clients.push(client);
    await client.init();
    expect(await client.subscribe(streamId, ON_STORED, { streamId }, { host: 'localhost', 'x-api-key': local.stack.apiKey })).toEqual({
      type: 'start_ack',
      id: streamId,
    });
    return client;
  }

  it('runs the template’s pipe', () => {
    expect(local.stack.pipes.list()).toEqual([
      {
        name: 'stored-events-outbox',
        arn: 'arn:aws:pipes:us-east-1:123456789012:pipe/stored-events-outbox',
        currentState: 'RUNNING',
        source: 'arn:aws:dynamodb:us-east-1:123456789012:table/stored-events/stream/1970-01-01T00:00:00.000',
        target: 'arn:aws:events:us-east-1:123456789012:event-bus/stored',
      },
    ]);
  });

  it('delivers an inserted event to the subscriber, shaped by the InputTemplate', async () => {
    const client = await subscribe('order-1');
    expect(await local.graphql(APPEND, { streamId: 'order-1', version: 1, type: 'OrderPlaced' })).toEqual({ data: { append: true } });
    expect((await client.nextData('order-1')).payload).toEqual({
      data: { onEventStored: { streamId: 'order-1', version: '1', type: 'OrderPlaced', pipe: 'stored-events-outbox' } },
    });
  });

  it('leaves out what the filter does not match: snapshots and updates', async () => {
    const client = await subscribe('order-2');
    await local.graphql(APPEND, { streamId: 'order-2', version: 1, type: 'OrderPlaced', kind: 'snapshot' });
    await local.graphql(APPEND, { streamId: 'order-2', version: 2, type: 'OrderPaid' });
    await local.graphql(APPEND, { streamId: 'order-2', version: 2, type: 'OrderPaidAgain' }); // same key: a MODIFY
    expect((await client.nextData('order-2')).payload).toEqual({
      data: { onEventStored: { streamId: 'order-2', version: '2', type: 'OrderPaid', pipe: 'stored-events-outbox' } },
    });
    await local.stack.pipes.caughtUp();
    await local.stack.bus.idle();
    expect(client.messages.filter((message) => message.type === 'data')).toEqual([]);
  });

  it('keeps the order of a stream’s events and hands them on in batches of at most 10', async () => {
    const client = await subscribe('order-3');
    batches.length = 0;
    for (let version = 1; version <= 25; version += 1)
      await local.graphql(APPEND, { streamId: 'order-3', version, type: `Step${version}` });
    const versions: string[] = [];
    for (let received = 0; received < 25; received += 1)
      versions.push(((await client.nextData('order-3')).payload!.data!.onEventStored as { version: string }).version);
    expect(versions).toEqual(Array.from({ length: 25 }, (_unused, index) => String(index + 1)));
    const delivered = batches.filter((batch) => batch.outcome === 'delivered');
    expect(delivered.reduce((sum, batch) => sum + batch.records, 0)).toBe(25);
    expect(Math.max(...delivered.map((batch) => batch.records))).toBeLessThanOrEqual(10);
    expect(local.stack.pipes.failedBatches()).toEqual([]);
  });
});
