/**
 * The local console `npm start` serves at /_local (local/console), in headless Chromium against the
 * local stack: the page follows a booking made through aws-amplify v6 as it happens (no reload), finds
 * everything its command left by the command id, shows its stream's events, and draws its execution
 * as a graph of states with the path taken. Screenshots in test/e2e/output/console-*.png.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useAmplify } from '../helpers/amplifyClient.ts';
import { bookedStay } from '../helpers/bookedStay.ts';
import { useLocalStack } from '../helpers/localStack.ts';
import { launchChromium, screenshotPath } from './helpers/chromium.ts';

const local = useLocalStack();
const amplify = useAmplify(local);

/** The view's text once it holds `text` (the page reads its view again every 1.5 s). */
async function shows(page: Page, text: string, timeout = 15_000): Promise<void> {
  await page.locator('#view', { hasText: text }).waitFor({ timeout });
}

describe('the local console in a browser', () => {
  it('follows a booking live, finds what its command left, shows its stream and draws its execution', { timeout: 60_000 }, async () => {
    const browser = await launchChromium();
    try {
      const pageErrors: string[] = [];
      const page = await browser.context.newPage();
      page.on('pageerror', (error) => pageErrors.push(error.message));
      await page.goto(`${local.stack.consoleUrl}#streams`);
      await page.locator('#view[data-view="streams"]').waitFor();

      // Made after the page loaded: it must show up without a reload.
      const booking = await bookedStay(amplify, { cardToken: 'tok_visa', dateStart: '2035-04-01', dateEnd: '2035-04-04' });
      await shows(page, `Booking#${booking.id}`);

      // What happened to the bookStay command: its events, deliveries, execution, pipe batches.
      await page.fill('#search input', booking.commandId);
      await page.click('#search button');
      await shows(page, `Booking#${booking.id} v1 BookingStarted`);
      await shows(page, `${booking.id}: SUCCEEDED`);
      const where = await page.locator('#view .view-badge').allInnerTexts();
      expect(new Set(where)).toEqual(new Set(['streams', 'deliveries', 'executions', 'pipes', 'schedules']));
      await page.screenshot({ path: screenshotPath('console-search.png'), fullPage: true });

      // The command's stream, from the search.
      await page.locator('#view tr', { hasText: `Booking#${booking.id} v1 BookingStarted` }).click();
      await page.locator('#view .event').nth(3).waitFor();
      expect(await page.locator('#view .event .type').allInnerTexts()).toEqual([
        'BookingStarted',
        'BookingReserved',
        'BookingPaymentAuthorized',
        'BookingConfirmed',
      ]);
      await expect.poll(() => page.locator('#view .event').first().innerText()).toContain(booking.commandId);
      await page.screenshot({ path: screenshotPath('console-stream.png'), fullPage: true });

      // The booking's execution as a graph: the path highlighted, the compensation not taken.
      await page.click('nav a[data-view="executions"]');
      await page.locator('#view tr', { hasText: booking.id }).click();
      const graph = page.locator('#view svg.execution-graph');
      await graph.waitFor();
      await expect.poll(() => graph.locator('g.state[data-state="Confirmed"]').getAttribute('data-status')).toBe('visited');
      expect(await graph.locator('g.state[data-state="Compensate"]').getAttribute('data-status')).toBe('not-visited');
      expect(await graph.locator('path.edge.taken').count()).toBeGreaterThan(10);
      await page.screenshot({ path: screenshotPath('console-execution-graph.png'), fullPage: true });

      expect(pageErrors).toEqual([]);
    } catch (error) {
      for (const [index, page] of browser.context.pages().entries())
        await page.screenshot({ path: screenshotPath(`console-failure-${index}.png`), fullPage: true }).catch(() => undefined);
      throw error;
    } finally {
      await browser.close();
    }
  });
});
