/**
 * The local GraphiQL page in the API's other auth modes, in headless Chromium against the local stack: the
 * page lists the API's modes and sends the chosen one's headers on HTTP requests and on the real-time
 * connection and starts (local/graphiql/pageAuthorization.ts).
 *
 * - An API whose default mode is AWS_LAMBDA, API_KEY beside it (test/fixtures/lambdaAuthorizerApp): the page
 *   opens as the API key, which the field refuses; as AWS_LAMBDA with a token, the app's authorizer answers.
 * - This app with a user pool (test/fixtures/userPoolAssembly.ts): a local user signs in, subscribes, sends a
 *   command from a second window (which opens signed in the same way) and reads it back: the command's actor is
 *   that user's sub. And as an IAM role of the template, the requests signed by the server.
 * Screenshots: test/e2e/output/graphiql-lambda.png, graphiql-user-pool.png.
 */
import path from 'node:path';
import { rmSync } from 'node:fs';
import { ulid } from 'ulid';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { withUserPool } from '../fixtures/userPoolAssembly.ts';
import { useLocalStack } from '../helpers/localStack.ts';
import { launchChromium, screenshotPath, type LaunchedChromium } from './helpers/chromium.ts';
import { chooseAuthMode, run, setQuery, waitForResponse } from './helpers/graphiqlPage.ts';

/** Open the page and wait until GraphiQL is ready; page errors are collected in `errors`. */
async function openPage(browser: LaunchedChromium, url: string, errors: string[]): Promise<Page> {
  const page = await browser.context.newPage();
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(url);
  await page.waitForSelector('.graphiql-execute-button', { timeout: 30_000 });
  return page;
}

/** Keep what each page showed when a test fails, next to the screenshots of a good run. */
async function screenshotsOnFailure(browser: LaunchedChromium, name: string): Promise<void> {
  for (const [index, page] of browser.context.pages().entries())
    await page.screenshot({ path: screenshotPath(`${name}-failure-${index}.png`) }).catch(() => undefined);
}

describe('GraphiQL on an API whose default mode is AWS_LAMBDA (a Lambda authorizer), API_KEY beside it', () => {
  const local = useLocalStack({ cdkOut: path.resolve('test/fixtures/lambdaAuthorizerApp/assembly') });

  it('lists the modes, default first, and opens as the API key (the page needs nothing typed)', async () => {
    const html = await (await fetch(`http://localhost:${local.stack.port}/`)).text();
    expect(html).toContain('"modes":["AWS_LAMBDA","API_KEY"],"defaultMode":"API_KEY"');
  });

  it(
    'runs a query as AWS_LAMBDA with a token: the authorizer decides, its resolverContext reaches the resolver',
    { timeout: 90_000 },
    async () => {
      const browser = await launchChromium();
      try {
        const errors: string[] = [];
        const page = await openPage(browser, `http://localhost:${local.stack.port}/`, errors);
        expect(await page.inputValue('select[name="auth-mode"]')).toBe('API_KEY');
        await setQuery(page, 'query Who { whoAmI { userId authType } }');

        // whoAmI takes only the default mode: the API key is refused.
        await run(page);
        await waitForResponse(page, (text) => text.includes('Not Authorized to access whoAmI'), 'the API key refused');

        await chooseAuthMode(page, 'AWS_LAMBDA');
        await run(page);
        await waitForResponse(page, (text) => text.includes('Type the token your Lambda authorizer expects'), 'that a token is needed');

        await page.fill('input[name="lambdaToken"]', 'allow-ada');
        await run(page);
        const answer = await waitForResponse(page, (text) => text.includes('"userId"'), 'the caller');
        expect(answer).toContain('"ada"');
        expect(answer).toContain('"Lambda Authorization"');

        // A token the authorizer refuses: AppSync's 401 answer, shown as it came.
        await page.fill('input[name="lambdaToken"]', 'deny-eve');
        await run(page);
        await waitForResponse(page, (text) => text.includes('UnauthorizedException'), 'the refusal');

        await page.fill('input[name="lambdaToken"]', 'allow-ada');
        await run(page);
        await waitForResponse(page, (text) => text.includes('"Lambda Authorization"'), 'the caller again');
        await page.screenshot({ path: screenshotPath('graphiql-lambda.png') });
        expect(errors).toEqual([]);
      } catch (error) {
        await screenshotsOnFailure(browser, 'graphiql-lambda');
        throw error;
      } finally {
        await browser.close();
      }
    },
  );
});

describe('GraphiQL on this app with a Cognito user pool (AMAZON_COGNITO_USER_POOLS beside API_KEY and AWS_IAM)', () => {
  const cdkOut = withUserPool(inject('cdkOut'));
  const local = useLocalStack({ cdkOut, servesThisApp: true });
  afterAll(() => rmSync(cdkOut, { recursive: true, force: true }));

  it(
    'signs a local user in, subscribes, sends a command from a second window as that user, and reads it back',
    { timeout: 120_000 },
    async () => {
      const browser = await launchChromium();
      try {
        const id = ulid();
        const errors: string[] = [];
        const base = `http://localhost:${local.stack.port}`;
        const subscriber = await openPage(browser, `${base}/?id=${id}`, errors);
        expect(await subscriber.inputValue('select[name="auth-mode"]')).toBe('API_KEY');

        await chooseAuthMode(subscriber, 'AMAZON_COGNITO_USER_POOLS');
        await subscriber.fill('input[name="username"]', 'alice');
        await subscriber.fill('input[name="groups"]', 'guests');
        await subscriber.click('.appsync-auth button');
        const status = subscriber.locator('[data-auth-status]');
        await status.filter({ hasText: 'signed in as alice (groups guests)' }).waitFor({ timeout: 10_000 });
        const sub = /sub ([0-9a-f-]{36})/.exec(await status.innerText())?.[1];
        expect(sub).toBeDefined();

        // Tab 1: the subscription, with the user's token in the connection header and the start.
        await run(subscriber);
        await waitForResponse(subscriber, (text) => text.includes('start_ack'), 'the start_ack note');

        // The second window opens in the mode the first chose (kept in localStorage) and signs in on its first request.
        const sender = await openPage(browser, `${base}/?id=${id}`, errors);
        expect(await sender.inputValue('select[name="auth-mode"]')).toBe('AMAZON_COGNITO_USER_POOLS');
        await sender.locator('.graphiql-tab', { hasText: 'CreateReservation' }).click();
        await sender.locator('.graphiql-query-editor', { hasText: 'createReservation(input: $input)' }).waitFor();
        await run(sender);
        await waitForResponse(sender, (text) => text.includes('PENDING'), 'PENDING');
        await waitForResponse(subscriber, (text) => text.includes('"SAVED"'), 'the SAVED message');

        // The query side, as the same user: the command's actor is the signed-in user's sub.
        await sender.locator('.graphiql-tab', { hasText: 'GetReservation' }).click();
        await sender.locator('.graphiql-query-editor', { hasText: 'getReservationHistory(id: $id)' }).waitFor();
        await run(sender);
        const history = await waitForResponse(sender, (text) => text.includes('"actor"'), 'the history');
        expect(history).toContain(`"user:${sub}"`);

        await subscriber.bringToFront();
        await subscriber.screenshot({ path: screenshotPath('graphiql-user-pool.png') });
        expect(errors).toEqual([]);
      } catch (error) {
        await screenshotsOnFailure(browser, 'graphiql-user-pool');
        throw error;
      } finally {
        await browser.close();
      }
    },
  );

  it(
    "acts as an IAM role of the template: the server signs each request and the connection, and the role's policy decides each field",
    { timeout: 90_000 },
    async () => {
      const browser = await launchChromium();
      try {
        const id = ulid();
        const errors: string[] = [];
        const page = await openPage(browser, `http://localhost:${local.stack.port}/?id=${id}`, errors);
        await chooseAuthMode(page, 'AWS_IAM');
        await page.selectOption('select[name="role"]', 'ReservationStoreRoleDD500CBF');

        // The signed connection and start are accepted as the role, whose policy allows no subscription:
        // the refusal is the field's, not the signature's.
        await run(page);
        await waitForResponse(
          page,
          (text) => text.includes('Not Authorized to access onReservationSaved on type Subscription'),
          'the field refused',
        );

        // The one field the role may call: the store's IAM-only mutation, over a signed POST.
        const data = JSON.stringify({ userId: 'iam-user', roomId: `iam-room-${id}`, dateStart: '2034-02-10', dateEnd: '2034-02-12' });
        await setQuery(
          page,
          `mutation Save { saveReservationEvent(input: { eventId: "${ulid()}", type: ReservationCreated, aggregateId: "${id}", version: 1,
            occurredAt: "${new Date().toISOString()}", commandId: "cmd-${id}", correlationId: "cmd-${id}", schemaVersion: 1,
            data: ${JSON.stringify(data)} }) { id status version } }`,
        );
        await run(page);
        const saved = await waitForResponse(page, (text) => text.includes('"status"'), 'the save');
        expect(saved).toContain('"SAVED"');
        expect(saved).toContain(id);
        expect(errors).toEqual([]);
      } catch (error) {
        await screenshotsOnFailure(browser, 'graphiql-iam');
        throw error;
      } finally {
        await browser.close();
      }
    },
  );
});
