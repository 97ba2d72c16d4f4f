/**
 * Driving the local GraphiQL page (local/graphiql) in Chromium: run the open tab, read the response pane,
 * put a document in the query editor, pick the auth mode in the page's bar.
 *
 * @example
 * await chooseAuthMode(page, 'AWS_LAMBDA');
 * await setQuery(page, '{ whoAmI { userId } }');
 * await run(page);
 * await waitForResponse(page, (text) => text.includes('"userId"'), 'the caller');
 */
import type { Page } from 'playwright-core';

/** The response pane's text (CodeMirror renders it as lines of spans). */
export function responseText(page: Page): Promise<string> {
  return page.locator('.result-window').innerText();
}

export async function waitForResponse(page: Page, predicate: (text: string) => boolean, what: string, timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let text = '';
  while (Date.now() < deadline) {
    text = await responseText(page);
    if (predicate(text)) return text;
    await page.waitForTimeout(100);
  }
  throw new Error(`The GraphiQL response pane never showed ${what}; it shows:\n${text}`);
}

export async function run(page: Page): Promise<void> {
  await page.click('.graphiql-execute-button');
}

/** Replace the active tab's document, through CodeMirror 5's own API (on its wrapper element), as typing would. */
export async function setQuery(page: Page, query: string): Promise<void> {
  await page.locator('.graphiql-query-editor .CodeMirror').evaluate((element, text) => {
    (element as unknown as { CodeMirror: { setValue(value: string): void } }).CodeMirror.setValue(text);
  }, query);
}

/** Pick a mode in the page's Authorization bar. */
export async function chooseAuthMode(page: Page, mode: string): Promise<void> {
  await page.selectOption('select[name="auth-mode"]', mode);
}
