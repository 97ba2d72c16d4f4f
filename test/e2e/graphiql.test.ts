/**
 * The GraphiQL page `npm start` serves at `/` (local/graphiql), in headless
 * Chromium against the local stack: it loads the served schema,
 * runs a subscription over AppSync's real-time protocol, and shows the outcome
 * of a command sent from a second GraphiQL window.
 */
import { ulid } from 'ulid';
import { describe, expect, it } from 'vitest';
import { useLocalStack } from '../helpers/localStack.ts';
import { launchChromium, screenshotPath } from './helpers/chromium.ts';
import { run, waitForResponse } from './helpers/graphiqlPage.ts';

const local = useLocalStack();

const base = () => `http://localhost:${local.stack.port}`;

describe('the local GraphiQL page', () => {
  it('is served at / with its bundle, the API key and the real-time path', async () => {
    const response = await fetch(`${base()}/`);
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(html).toContain(`"apiKey":"${local.stack.apiKey}"`);
    expect(html).toContain('"realtimePath":"/graphql/realtime"');
    const script = /src="(\/graphiql\/app\.js\?v=\w+)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const bundle = await fetch(`${base()}${script}`);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toContain('text/javascript');
    expect((await bundle.arrayBuffer()).byteLength).toBeGreaterThan(100_000);
  });

  it('gives the page the served schema without an IntrospectionQuery (the stack depth limit refuses one)', async () => {
    const response = await fetch(`${base()}/graphiql/schema.json`);
    const introspection = (await response.json()) as { __schema: { subscriptionType: { name: string }; types: { name: string }[] } };
    expect(response.status).toBe(200);
    expect(introspection.__schema.subscriptionType.name).toBe('Subscription');
    expect(introspection.__schema.types.map((type) => type.name)).toEqual(
      expect.arrayContaining(['ReservationSaved', 'CreateReservationInput', 'AWSDate']),
    );
  });

  it(
    'in a browser: loads the schema, subscribes, and shows the outcome of a command sent from a second window',
    { timeout: 90_000 },
    async () => {
      const browser = await launchChromium();
      try {
        const id = ulid();
        const pageErrors: string[] = [];
        const subscriber = await browser.context.newPage();
        subscriber.on('pageerror', (error) => pageErrors.push(error.message));
        const schema = subscriber.waitForResponse((response) => response.url().endsWith('/graphiql/schema.json'));
        await subscriber.goto(`${base()}/?id=${id}`);
        expect((await schema).status()).toBe(200);
        await subscriber.waitForSelector('.graphiql-execute-button', { timeout: 30_000 });
        expect(await subscriber.textContent('[data-reservation-id]')).toBe(id);

        // The served schema reached the page: the docs list the contract's fields.
        await subscriber.click('[aria-label="Show Documentation Explorer"]');
        await subscriber.getByText('Subscription', { exact: true }).first().click();
        await subscriber.getByText('onReservationSaved', { exact: true }).first().waitFor({ timeout: 10_000 });
        await subscriber.click('[aria-label="Hide Documentation Explorer"]');

        // Tab 1: the subscription, started over /graphql/realtime (the page shows start_ack).
        await run(subscriber);
        await waitForResponse(subscriber, (text) => text.includes('start_ack'), 'the start_ack note');

        // A second window on the same id: its second tab sends createReservation.
        const sender = await browser.context.newPage();
        await sender.goto(`${base()}/?id=${id}`);
        await sender.waitForSelector('.graphiql-execute-button', { timeout: 30_000 });
        await sender.locator('.graphiql-tab', { hasText: 'CreateReservation' }).click();
        await sender.locator('.graphiql-query-editor', { hasText: 'createReservation(input: $input)' }).waitFor();
        await run(sender);
        const accepted = await waitForResponse(sender, (text) => text.includes('PENDING'), 'PENDING');
        expect(accepted).toContain(id);

        const outcome = await waitForResponse(subscriber, (text) => text.includes('"SAVED"'), 'the SAVED message');
        expect(outcome).toContain(id);
        expect(outcome).toContain('"CONFIRMED"');
        await subscriber.bringToFront();
        await subscriber.screenshot({ path: screenshotPath('graphiql.png') });

        // The query side agrees with what the subscription said.
        const stored = await local.graphql(`query ($id: ID!) { getReservation(id: $id) { status version } }`, { id });
        expect(stored.data).toEqual({ getReservation: { status: 'CONFIRMED', version: 1 } });
        expect(pageErrors).toEqual([]);
      } catch (error) {
        // What the page showed when it went wrong, next to the screenshots of a good run.
        for (const [index, page] of browser.context.pages().entries())
          await page.screenshot({ path: screenshotPath(`graphiql-failure-${index}.png`) }).catch(() => undefined);
        throw error;
      } finally {
        await browser.close();
      }
    },
  );
});
