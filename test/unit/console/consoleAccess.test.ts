/**
 * Who the local console (local/console/localConsole.ts) answers: loopback callers only, GET only, since it
 * shows every stored event and `npm start --host 0.0.0.0` puts the server on the network. Served here by a
 * real HTTP server on every interface, over the runtime's real (empty) bus, scheduler, Step Functions and
 * pipes, and called once through loopback and once through this machine's network address.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDataSourceClient } from '../../../local/dynamodb/dataSourceClient.ts';
import { LocalEventBus } from '../../../local/eventbridge/index.ts';
import { LocalConsole } from '../../../local/console/localConsole.ts';
import { EventStreams } from '../../../local/console/eventStreams.ts';
import { RecentRecords } from '../../../local/console/recentRecords.ts';
import { LocalPipes } from '../../../local/pipes/index.ts';
import { LocalScheduler } from '../../../local/scheduler/LocalScheduler.ts';
import { LocalStepFunctions } from '../../../local/stepfunctions/index.ts';
import { networkAddress } from '../../helpers/networkAddress.ts';

const bus = new LocalEventBus();
// No table is listed, so the client is never called: DynamoDB Local is not needed for these routes.
const client = createDataSourceClient('http://127.0.0.1:9');
const localConsole = new LocalConsole({
  streams: new EventStreams(client, () => []),
  recent: new RecentRecords(),
  bus,
  scheduler: new LocalScheduler({ bus, roles: {}, accountId: '123456789012', region: 'us-east-1' }),
  stepFunctions: new LocalStepFunctions(),
  pipes: () => new LocalPipes({ dynamoDbEndpoint: 'http://127.0.0.1:9', bus, region: 'us-east-1' }),
});
const server = http.createServer((request, response) => {
  void localConsole.serve(request, response).then((served) => {
    if (!served) response.writeHead(404).end();
  });
});
let port = 0;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  bus.close();
  client.destroy();
});

describe('the local console answers', () => {
  it('a loopback caller: its page and its API', async () => {
    const page = await fetch(`http://127.0.0.1:${port}/_local`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Local console</title>');
    const deliveries = await fetch(`http://127.0.0.1:${port}/_local/api/deliveries`);
    expect(await deliveries.json()).toEqual({ deliveries: [], failed: [] });
  });

  it('no caller from the network: 403, even for the page', async () => {
    for (const path of ['/_local', '/_local/api/streams', '/_local/api/search?q=anything']) {
      const response = await fetch(`http://${networkAddress()}:${port}${path}`);
      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({ errorType: 'AccessDenied' });
    }
  });

  it('no method but GET: 405', async () => {
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const response = await fetch(`http://127.0.0.1:${port}/_local/api/schedules`, { method });
      expect(response.status).toBe(405);
    }
  });

  it('nothing outside /_local: another path is left to the server', async () => {
    expect((await fetch(`http://127.0.0.1:${port}/_localx`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${port}/graphql`)).status).toBe(404);
  });
});
