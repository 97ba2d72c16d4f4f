/**
 * The example front-end server (examples/frontend-server) against the local
 * stack, over HTTP as a browser would use it: the form posts a command, the
 * reservation page says "received, processing", and its Server-Sent Events
 * stream brings the outcome the server heard on onReservationSaved(id).
 */
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFrontendServer, type FrontendServer } from '../../examples/frontend-server/frontendServer.ts';
import { useLocalStack } from '../helpers/localStack.ts';
import { launchChromium, screenshotPath } from './helpers/chromium.ts';
import { readEvents, type ServerSentEvent } from './helpers/serverSentEvents.ts';

/** Rooms whose store deliveries are held back until their gate opens: how a test chooses the outcome. */
const heldRooms = new Map<string, Promise<void>>();
const local = useLocalStack({
  // Short enough for a test to see the core's own timeout answer.
  environment: { COMMAND_TIMEOUT_SECONDS: '2' },
  interceptDelivery: async (call) => {
    const detail = call.event.detail as { type?: string; data?: unknown };
    const data = (typeof detail.data === 'string' ? JSON.parse(detail.data) : detail.data) as { roomId?: string } | undefined;
    if (detail.type !== 'CommandTimedOut') await heldRooms.get(data?.roomId ?? '');
    return 'deliver';
  },
});
let frontend: FrontendServer;

/** Hold every store of a reservation of `roomId` until the returned function is called. */
function holdStores(roomId: string): () => void {
  let release!: () => void;
  heldRooms.set(roomId, new Promise<void>((resolve) => (release = resolve)));
  return () => {
    heldRooms.delete(roomId);
    release();
  };
}

beforeAll(async () => {
  frontend = await startFrontendServer({
    endpoint: local.stack.graphqlUrl,
    apiKey: local.stack.apiKey,
    port: 0,
    caFile: local.stack.caFile,
  });
});
afterAll(async () => {
  await frontend?.close();
});

interface StateEvent {
  seq: number;
  state: string;
  command: string | null;
  commandId: string | null;
  reason: string | null;
  terminal: boolean;
  html: string;
}

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/** POST the request form; returns the status, the redirect target and the page. */
async function submit(path: string, fields: Record<string, string>): Promise<{ status: number; location: string | null; page: string }> {
  const response = await fetch(`${frontend.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  });
  return { status: response.status, location: response.headers.get('location'), page: await response.text() };
}

function states(url: string, until: (event: StateEvent) => boolean): Promise<ServerSentEvent<StateEvent>[]> {
  return readEvents<StateEvent>(url, (seen) => until(seen.at(-1)!.data));
}

/** Request a stay and return the reservation page's path. */
async function requestStay(roomId: string, offset = 40): Promise<string> {
  const answer = await submit('/reservations', { userId: 'frontend-user', roomId, dateStart: day(offset), dateEnd: day(offset + 2) });
  expect(answer.status).toBe(303);
  expect(answer.location).toMatch(/^\/reservations\/[0-9A-Z]{26}$/);
  return answer.location!;
}

describe('the request form', () => {
  it('is served with a stay the core accepts as it is', async () => {
    const response = await fetch(frontend.url);
    const page = await response.text();
    expect(response.status).toBe(200);
    expect(page).toContain('<form method="post" action="/reservations">');
    expect(page).toContain(`value="${day(1)}"`);
  });

  it('renders every violation of a refused request, keeping what was typed', async () => {
    const answer = await submit('/reservations', {
      userId: 'frontend-user',
      roomId: 'room-7',
      dateStart: '2020-01-10',
      dateEnd: '2020-03-10',
    });
    expect(answer.status).toBe(422);
    expect(answer.page).toContain('data-error-type="BusinessRuleViolation"');
    expect([...answer.page.matchAll(/data-rule="(\w+)"/g)].map((match) => match[1]).sort()).toEqual(['DateStartInPast', 'StayTooLong']);
    expect(answer.page).toContain('value="2020-03-10"');
  });

  it('refuses an ill-formed room id, escaping what was typed', async () => {
    const answer = await submit('/reservations', { userId: 'frontend-user', roomId: 'room-<b>', dateStart: day(3), dateEnd: day(5) });
    expect(answer.status).toBe(422);
    expect(answer.page).toContain('data-error-type="ValidationError"');
    expect(answer.page).toContain('value="room-&lt;b&gt;"');
    expect(answer.page).not.toContain('<b>');
  });

  it('shows the error of a command the GraphQL layer refuses', async () => {
    const answer = await submit('/reservations', { userId: 'frontend-user', roomId: 'room-x', dateStart: 'tomorrow', dateEnd: day(3) });
    expect(answer.status).toBe(422);
    expect(answer.page).toContain('class="errors"');
    expect(answer.page).not.toContain('data-rule=');
  });
});

describe('a reservation the core stores', () => {
  let path: string;

  it('is received, processing, then confirmed over Server-Sent Events', async () => {
    path = await requestStay(`frontend-room-${ulid()}`);
    const page = await (await fetch(`${frontend.url}${path}`)).text();
    expect(page).toMatch(/data-state="(processing|confirmed)"/);

    const events = await states(`${frontend.url}${path}/events`, (event) => event.terminal);
    expect(events.map((event) => [event.id, event.data.state])).toEqual([
      ['1', 'processing'],
      ['2', 'confirmed'],
    ]);
    expect(events[0]!.data.html).toContain('Received, processing');
    expect(events[1]!.data.html).toContain('data-state="confirmed"');
    expect(events[1]!.data.html).toContain('Cancel reservation');
    expect(events[1]!.data.commandId).toBe(events[0]!.data.commandId);
  });

  it('resumes a stream after the last state a page saw (Last-Event-ID)', async () => {
    const response = await fetch(`${frontend.url}${path}/events`, { headers: { 'last-event-id': '2' } });
    const reader = response.body!.getReader();
    const { value } = await reader.read();
    await reader.cancel();
    expect(new TextDecoder().decode(value)).toBe('retry: 2000\n\n');
  });

  it('is cancelled by the cancel button, through processing again', async () => {
    const answer = await submit(`${path}/cancel`, { reason: 'plans changed' });
    expect(answer).toMatchObject({ status: 303, location: path });
    const events = await states(`${frontend.url}${path}/events?after=2`, (event) => event.terminal);
    expect(events.map((event) => [event.data.state, event.data.command])).toEqual([
      ['processing', 'cancel'],
      ['cancelled', 'cancel'],
    ]);
    expect(events[0]!.data.html).toContain('Cancellation received, processing');
    expect(events[1]!.data.html).toContain('Reason: plans changed');
  });

  it('renders the refusal of a second cancellation on the reservation page', async () => {
    const answer = await submit(`${path}/cancel`, { reason: 'again' });
    expect(answer.status).toBe(422);
    expect(answer.page).toContain('The cancellation was refused');
    expect(answer.page).toContain('data-rule="ReservationAlreadyCancelled"');
    expect(answer.page).toContain('data-state="cancelled"');
  });

  it('is read from the query side by a front-end server that never saw it', async () => {
    const other = await startFrontendServer({
      endpoint: local.stack.graphqlUrl,
      apiKey: local.stack.apiKey,
      port: 0,
      caFile: local.stack.caFile,
    });
    try {
      const page = await (await fetch(`${other.url}${path}`)).text();
      expect(page).toContain('data-state="cancelled"');
      expect(page).toContain('frontend-user');
      expect((await fetch(`${other.url}/reservations/${ulid()}`)).status).toBe(404);
    } finally {
      await other.close();
    }
  });
});

describe('outcomes other than stored', () => {
  it('shows "rejected: <reason>" when another reservation took the nights first', async () => {
    const roomId = `frontend-room-${ulid()}`;
    // Both stores held until both commands are accepted, so both pass the command-time check.
    const release = holdStores(roomId);
    const paths = [await requestStay(roomId, 50), await requestStay(roomId, 50)];
    release();
    const outcomes = await Promise.all(paths.map((path) => states(`${frontend.url}${path}/events?after=1`, (event) => event.terminal)));
    const finals = outcomes.map((events) => events.at(-1)!.data);
    expect(finals.map((final) => final.state).sort()).toEqual(['confirmed', 'rejected']);
    const rejected = finals.find((final) => final.state === 'rejected')!;
    expect(rejected.reason).toContain(`RoomNight#${roomId}#${day(50)}`);
    expect(rejected.html).toContain('Rejected: Already held by another stream');
    expect(rejected.html).not.toContain('Cancel reservation');
  });

  it('shows "timed out" when the core answers TIMED_OUT, and stays so after the late store is refused', async () => {
    const roomId = `frontend-room-${ulid()}`;
    const release = holdStores(roomId);
    let path: string;
    try {
      path = await requestStay(roomId, 55);
      const events = await states(`${frontend.url}${path}/events`, (event) => event.terminal);
      expect(events.map((event) => event.data.state)).toEqual(['processing', 'timed-out']);
      expect(events[1]!.data.html).toContain('Timed out');
      expect(events[1]!.data.html).toContain('deadline');
      expect(events[1]!.data.html).not.toContain('Cancel reservation');
    } finally {
      release();
    }
    await local.stack.bus.idle();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const page = await (await fetch(`${frontend.url}${path}`)).text();
    expect([...page.matchAll(/role="status" data-state="([\w-]+)"/g)].map((match) => match[1])).toEqual(['timed-out']);
    const stored = await local.graphql(`query ($id: ID!) { getReservation(id: $id) { status } }`, { id: path.split('/').at(-1) });
    expect(stored.data).toEqual({ getReservation: null });
  });
});

describe('in a browser (headless Chromium)', () => {
  it('shows a refusal, then fills the form, shows processing, switches to confirmed by itself, and cancels', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.context.newPage();
      const seen: string[] = [];
      await page.exposeFunction('recordState', (state: string) => seen.push(state));
      // Record every state the status line shows, from the first paint on (browser code, as text: no DOM types here).
      await page.addInitScript({
        content: `new MutationObserver(() => {
          const state = document.querySelector('.status')?.getAttribute('data-state');
          if (state) window.recordState(state);
        }).observe(document, { subtree: true, childList: true, attributes: true });`,
      });
      await page.goto(frontend.url);
      // A stay the rules refuse first: the form comes back with every violation.
      await page.fill('input[name=dateStart]', '2020-01-10');
      await page.fill('input[name=dateEnd]', '2020-03-10');
      await page.click('button[type=submit]');
      await page.waitForSelector('.violations');
      const rules = await Promise.all((await page.locator('.violations li').all()).map((item) => item.getAttribute('data-rule')));
      expect(rules.sort()).toEqual(['DateStartInPast', 'StayTooLong']);
      await page.screenshot({ path: screenshotPath('frontend-refused.png'), fullPage: true });

      await page.fill('input[name=roomId]', `browser-room-${ulid()}`);
      await page.fill('input[name=userId]', 'browser-user');
      await page.fill('input[name=dateStart]', day(60));
      await page.fill('input[name=dateEnd]', day(63));
      await page.click('button[type=submit]');

      await page.waitForSelector('.status[data-state="confirmed"]', { timeout: 15_000 });
      expect(await page.textContent('.status')).toContain('Confirmed');
      expect(seen[0]).toMatch(/processing|confirmed/);
      expect(seen).toContain('confirmed');
      await page.screenshot({ path: screenshotPath('frontend-confirmed.png'), fullPage: true });

      await page.fill('input[name=reason]', 'browser changed plans');
      await page.click('button.danger');
      await page.waitForSelector('.status[data-state="cancelled"]', { timeout: 15_000 });
      expect(await page.textContent('.status')).toContain('Reason: browser changed plans');
    } finally {
      await browser.close();
    }
  });
});
