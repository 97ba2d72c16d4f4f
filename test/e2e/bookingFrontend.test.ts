/**
 * The example front-end server's booking pages (examples/frontend-server) against the local stack:
 * the form sends bookStay after subscribing to onBookingUpdated(id), the booking page shows each
 * step as the core reaches it (Server-Sent Events), in headless Chromium too, with screenshots of a
 * confirmed and a declined booking (test/e2e/output/booking-*.png).
 */
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFrontendServer, type FrontendServer } from '../../examples/frontend-server/frontendServer.ts';
import { useLocalStack } from '../helpers/localStack.ts';
import { launchChromium, screenshotPath } from './helpers/chromium.ts';
import { readEvents } from './helpers/serverSentEvents.ts';

const local = useLocalStack();
let frontend: FrontendServer;
let roomId: string;
let guestId: string;

beforeAll(async () => {
  frontend = await startFrontendServer({
    endpoint: local.stack.graphqlUrl,
    apiKey: local.stack.apiKey,
    port: 0,
    caFile: local.stack.caFile,
  });
  roomId = ulid();
  guestId = ulid();
  await local.graphql('mutation ($input: RegisterRoomInput!) { registerRoom(input: $input) { id } }', {
    input: { id: roomId, number: `F-${roomId.slice(-6)}`, capacity: 2, nightlyRate: 14_500, currency: 'EUR' },
  });
  await local.graphql('mutation ($input: RegisterGuestInput!) { registerGuest(input: $input) { id } }', {
    input: { id: guestId, name: 'Grace', email: `grace.${guestId.slice(-6).toLowerCase()}@example.com` },
  });
  // Both stored (expect.poll is for tests only): read them back until they are there.
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const read = (await local.graphql('query ($r: ID!, $g: ID!) { getRoom(id: $r) { id } getGuest(id: $g) { id } }', {
      r: roomId,
      g: guestId,
    })) as { data: Record<string, unknown> };
    if (read.data.getRoom && read.data.getGuest) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}, 60_000);
afterAll(async () => {
  await frontend?.close();
});

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

async function submit(fields: Record<string, string>): Promise<{ status: number; location: string | null; page: string }> {
  const response = await fetch(`${frontend.url}/bookings`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  });
  return { status: response.status, location: response.headers.get('location'), page: await response.text() };
}

describe('the booking pages over HTTP', () => {
  it('refuses an unknown guest and room with the core’s violations, on the form', async () => {
    const answer = await submit({ guestId: ulid(), roomId: ulid(), dateStart: day(30), dateEnd: day(31), cardToken: 'tok_visa' });
    expect(answer.status).toBe(422);
    expect(answer.page).toContain('data-rule="GuestNotFound"');
    expect(answer.page).toContain('data-rule="RoomNotFound"');
  });

  it('redirects to the booking page, whose event stream brings every step in order, ending CONFIRMED', async () => {
    const answer = await submit({ guestId, roomId, dateStart: day(40), dateEnd: day(42), cardToken: 'tok_visa' });
    expect(answer.status).toBe(303);
    expect(answer.location).toMatch(/^\/bookings\/[0-9A-Z]{26}$/);
    const events = await readEvents<{ state: string; terminal: boolean }>(
      `${frontend.url}${answer.location}/events`,
      (seen) => seen.at(-1)!.data.terminal,
    );
    expect(events.map((event) => event.data.state)).toEqual(['STARTED', 'RESERVED', 'PAYMENT_AUTHORIZED', 'CONFIRMED']);
  }, 30_000);
});

describe('the booking pages in a browser (headless Chromium)', () => {
  it('shows each step of a confirmed booking and of a declined one, by itself', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.context.newPage();
      await page.goto(`${frontend.url}/bookings`);
      await page.fill('input[name=guestId]', guestId);
      await page.fill('input[name=roomId]', roomId);
      await page.fill('input[name=dateStart]', day(50));
      await page.fill('input[name=dateEnd]', day(53));
      await page.click('button[type=submit]');
      await page.waitForSelector('.status[data-state="confirmed"]', { timeout: 20_000 });
      const reached = await Promise.all(
        (await page.locator('.steps li').all()).map(async (item) => [
          await item.getAttribute('data-step'),
          await item.getAttribute('data-reached'),
        ]),
      );
      expect(reached).toEqual([
        ['STARTED', 'true'],
        ['RESERVED', 'true'],
        ['PAYMENT_AUTHORIZED', 'true'],
        ['CONFIRMED', 'true'],
      ]);
      expect(await page.textContent('dl')).toContain('435.00 EUR');
      await page.screenshot({ path: screenshotPath('booking-confirmed.png'), fullPage: true });

      await page.goto(`${frontend.url}/bookings`);
      await page.fill('input[name=guestId]', guestId);
      await page.fill('input[name=roomId]', roomId);
      await page.fill('input[name=dateStart]', day(60));
      await page.fill('input[name=dateEnd]', day(61));
      await page.fill('input[name=cardToken]', 'tok_declined');
      await page.click('button[type=submit]');
      await page.waitForSelector('.status[data-state="rejected"]', { timeout: 20_000 });
      expect(await page.textContent('.status')).toContain('Failed: PaymentDeclined');
      const steps = await Promise.all((await page.locator('.steps li').all()).map((item) => item.getAttribute('data-step')));
      expect(steps).toEqual(['STARTED', 'RESERVED', 'PAYMENT_AUTHORIZED', 'FAILED']);
      await page.screenshot({ path: screenshotPath('booking-declined.png'), fullPage: true });
    } finally {
      await browser.close();
    }
  }, 90_000);
});
