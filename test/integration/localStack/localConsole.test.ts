/**
 * The local console's JSON API (/_local/api, local/console) on the local stack, after a booking made
 * through aws-amplify v6: the booking's stream and its events, the deliveries that carried its commands,
 * its commands' timeout schedules, its execution with the graph of the path taken, the pipe batches that
 * published its events, and a search by its command id that finds all of them. Then what keeps the
 * console local: read-only, and not part of the GraphQL API.
 */
import { describe, expect, it } from 'vitest';
import { useAmplify } from '../../helpers/amplifyClient.ts';
import { bookedStay, type BookedStay } from '../../helpers/bookedStay.ts';
import { useLocalStack } from '../../helpers/localStack.ts';

const local = useLocalStack();
const amplify = useAmplify(local);

async function get<T>(path: string): Promise<{ status: number; body: T }> {
  const response = await fetch(`${local.stack.consoleUrl}/api/${path}`);
  return { status: response.status, body: (await response.json()) as T };
}

interface StreamTable {
  tableName: string;
  partitionKey: string;
  sortKey: string;
  streams: { streamId: string; events: number; types: string[] }[];
}
interface Execution {
  executionArn: string;
  name: string;
  status: string;
}
interface ExecutionView {
  execution: Execution;
  history: { type: string }[];
  graph: { path: string[]; states: { name: string; status: string }[]; edges: { from: string; to: string; taken: boolean }[]; svg: string };
}

let booking: BookedStay | undefined;
/** One booking for the whole file (about 3 s): every view below looks at what it left. */
async function theBooking(): Promise<BookedStay> {
  booking ??= await bookedStay(amplify, { cardToken: 'tok_visa', dateStart: '2035-03-01', dateEnd: '2035-03-03' });
  return booking;
}

/** The booking's execution once it has ended (the saga publishes CONFIRMED after recording it). */
async function endedExecution(id: string): Promise<Execution> {
  let found: Execution | undefined;
  await expect
    .poll(
      async () => {
        found = (await get<{ executions: Execution[] }>('executions')).body.executions.find((execution) => execution.name === id);
        return found?.status;
      },
      { timeout: 10_000 },
    )
    .toBe('SUCCEEDED');
  return found!;
}

describe('the local console API after a booking', () => {
  it('lists the event-store table by its shape, with the booking stream and its event types in order', async () => {
    const { id } = await theBooking();
    const { status, body } = await get<{ tables: StreamTable[] }>('streams');
    expect(status).toBe(200);
    const store = body.tables.find((table) => table.streams.some((stream) => stream.streamId === `Booking#${id}`));
    expect(store).toMatchObject({ partitionKey: 'streamId', sortKey: 'version' });
    expect(store!.streams.find((stream) => stream.streamId === `Booking#${id}`)).toEqual(
      expect.objectContaining({
        events: 4,
        types: ['BookingStarted', 'BookingReserved', 'BookingPaymentAuthorized', 'BookingConfirmed'],
      }),
    );
    // Only tables holding streams are listed: the projections' read models are keyed otherwise.
    for (const table of body.tables) expect(table.streams.length).toBeGreaterThan(0);
  });

  it("reads one stream's events, versions 1 to 4, each carrying the command id that stored it", async () => {
    const { id, commandId } = await theBooking();
    const tables = (await get<{ tables: StreamTable[] }>('streams')).body.tables;
    const table = tables.find((candidate) => candidate.streams.some((stream) => stream.streamId === `Booking#${id}`))!.tableName;
    const { body } = await get<{ events: { version: number; type: string; commandId: string }[] }>(
      `streams/${encodeURIComponent(table)}/${encodeURIComponent(`Booking#${id}`)}`,
    );
    expect(body.events.map((event) => event.version)).toEqual([1, 2, 3, 4]);
    expect(body.events[0]).toMatchObject({ type: 'BookingStarted', commandId });
  });

  it('shows the bus deliveries of the booking (rule, target, status, attempts), all delivered', async () => {
    const { id } = await theBooking();
    type Delivery = { detailType: string; ruleName: string; targetId: string; status: string; attempts: number; detail: unknown };
    let body: { deliveries: Delivery[]; failed: unknown[] } = { deliveries: [], failed: [] };
    const ours = () => body.deliveries.filter((delivery) => JSON.stringify(delivery.detail).includes(id));
    // A delivery may still be between attempts when the booking's last message arrives (a store
    // conflict, or a slow machine, retries as on AWS; CI once saw 'retrying' here): wait until the
    // booking's deliveries have settled, then check how they ended.
    await expect
      .poll(
        async () => {
          body = (await get<typeof body>('deliveries')).body;
          return ours().filter((delivery) => delivery.status === 'retrying').length;
        },
        { timeout: 15_000 },
      )
      .toBe(0);
    expect(ours().length).toBeGreaterThanOrEqual(4);
    expect(ours().map((delivery) => delivery.detailType)).toEqual(expect.arrayContaining(['createReservation', 'authorizePayment']));
    for (const delivery of ours()) {
      // Delivered, at the first attempt or after a retry.
      expect(delivery.status).toBe('delivered');
      expect(delivery.attempts).toBeGreaterThanOrEqual(1);
      expect(delivery.ruleName).not.toBe('');
      expect(delivery.targetId).not.toBe('');
    }
    expect(body.failed).toEqual([]);
  });

  it("lists the booking's execution, and draws its path: every state on it visited, the transitions between them taken", async () => {
    const { id } = await theBooking();
    const execution = await endedExecution(id);
    const { body } = await get<ExecutionView>(`executions/${encodeURIComponent(execution.executionArn)}`);
    const { path, states, edges, svg } = body.graph;
    expect(path[0]).toBe('Begin');
    expect(path).toEqual(expect.arrayContaining(['Reserve', 'Authorize', 'Capture', 'RecordConfirmed']));
    expect(path.at(-1)).toBe('Confirmed');
    const statusOf = new Map(states.map((state) => [state.name, state.status]));
    for (const name of path) expect(statusOf.get(name)).toBe('visited');
    expect(statusOf.get('Compensate')).toBe('not-visited');
    expect(states.filter((state) => state.status === 'failed')).toEqual([]);
    const taken = edges.filter((edge) => edge.taken).map((edge) => `${edge.from}→${edge.to}`);
    expect(taken).toEqual(expect.arrayContaining(['Begin→Reserve', 'PublishConfirmed→Confirmed']));
    expect(taken).toHaveLength(path.length - 1);
    expect(svg).toMatch(/^<svg /);
    expect(svg).toContain('data-state="Authorize" data-status="visited"');
    expect(body.history.at(-1)!.type).toBe('ExecutionSucceeded');
  });

  it("shows the timeout schedule of each of the booking's commands, deleted once the command was stored", async () => {
    const { id } = await theBooking();
    const { body } = await get<{ schedules: { Name: string; Target: { Input?: string }; ended?: { how: string } }[] }>('schedules');
    const ours = body.schedules.filter((schedule) => (schedule.Target.Input ?? '').includes(id));
    expect(ours.length).toBeGreaterThanOrEqual(1);
    for (const schedule of ours) expect(schedule.ended?.how).toBe('deleted');
  });

  it("shows the pipe batches that published the booking's stored events", async () => {
    const { id } = await theBooking();
    await local.stack.pipes.caughtUp();
    const { body } = await get<{ pipes: { name: string; currentState: string }[]; batches: { outcome: string; events: unknown[] }[] }>(
      'pipes',
    );
    expect(body.pipes.length).toBeGreaterThan(0);
    expect(body.pipes.every((pipe) => pipe.currentState === 'RUNNING')).toBe(true);
    const ours = body.batches.filter((batch) => JSON.stringify(batch.events).includes(`Booking#${id}`));
    expect(ours.length).toBeGreaterThan(0);
    expect(ours.every((batch) => batch.outcome === 'delivered')).toBe(true);
  });

  it('finds everything that mentions the bookStay command id: its event, its delivery, its execution, its pipe batch', async () => {
    const { id, commandId } = await theBooking();
    await endedExecution(id);
    const { body } = await get<{ matches: { view: string; title: string; ref: Record<string, string> }[] }>(
      `search?q=${encodeURIComponent(commandId)}`,
    );
    const views = new Set(body.matches.map((match) => match.view));
    expect([...views]).toEqual(expect.arrayContaining(['streams', 'deliveries', 'executions', 'pipes']));
    expect(body.matches.find((match) => match.view === 'streams')).toMatchObject({
      title: `Booking#${id} v1 BookingStarted`,
      ref: { streamId: `Booking#${id}` },
    });
    expect(body.matches.find((match) => match.view === 'executions')!.title).toContain(id);
  });

  it('asks for at least 4 characters before searching', async () => {
    const { body } = await get<{ matches: unknown[]; note: string }>('search?q=ab');
    expect(body.matches).toEqual([]);
    expect(body.note).toMatch(/at least 4 characters/);
  });
});

describe('the local console stays local', () => {
  it('serves its page at /_local, which the start-up summary links to', async () => {
    const response = await fetch(local.stack.consoleUrl);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(await response.text()).toContain('/_local/console.js');
  });

  it('is read-only: a POST to its API is refused with 405 and changes nothing', async () => {
    const response = await fetch(`${local.stack.consoleUrl}/api/streams`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(405);
    expect(await response.json()).toMatchObject({ errorType: 'MethodNotAllowed' });
  });

  it('is no part of the GraphQL API: no field reads it, and /graphql does not route to it', async () => {
    const schema = await local.graphql('{ __schema { queryType { fields { name } } } }');
    const fields = (schema.data as { __schema: { queryType: { fields: { name: string }[] } } }).__schema.queryType.fields.map(
      (f) => f.name,
    );
    expect(fields.filter((name) => /local|console/i.test(name))).toEqual([]);
    const through = await fetch(`http://localhost:${local.stack.port}/graphql/_local/api/streams`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': local.stack.apiKey },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(through.status).not.toBe(200);
  });

  it('answers an unknown API path with 404 and says where things are', async () => {
    const { status, body } = await get<{ errorType: string; message: string }>('nothing-here');
    expect(status).toBe(404);
    expect(body.message).toContain('/_local');
  });
});
