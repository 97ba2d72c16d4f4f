/**
 * Browser code: the local GraphiQL page. GraphiQL 4 with a fetcher that runs
 * queries and mutations over HTTP and subscriptions over AppSync's real-time
 * protocol, opened on tabs the server derives from the served schema (a
 * subscription, its commands, its queries) that share one fresh id. Bundled by
 * esbuild on first request (graphiqlAssets.ts).
 */
import 'graphiql/style.css';
import { createElement, Fragment } from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL, type GraphiQLProps } from 'graphiql';
import { buildClientSchema, type IntrospectionQuery } from 'graphql';
import { ulid } from 'ulid';
import { appSyncFetcher } from './appSyncFetcher.ts';
import { AuthBar } from './authBar.ts';
import { ID_PLACEHOLDER, type GraphiqlTab } from './defaultTabs.ts';
import type { PageAuthConfig } from './pageAuth.ts';
import { PageAuthorization } from './pageAuthorization.ts';

// The two browser globals this file uses, declared here rather than through lib "dom", which would
// give every Node file of the project the DOM's types (its Headers, its ReadableStream) too.
declare const document: { getElementById(id: string): (Element & { textContent: string | null }) | null };
declare const location: { search: string; protocol: string; host: string };
declare const localStorage: { getItem(key: string): string | null; setItem(key: string, value: string): void };

/** What the server writes into the page (graphiqlAssets.ts). */
interface PageConfig {
  apiName: string;
  apiKey: string;
  /** The API's modes and what the page needs for each (pageAuth.ts). */
  auth: PageAuthConfig;
  graphqlPath: string;
  realtimePath: string;
  /** The served schema as introspection JSON (no IntrospectionQuery through the API: see graphiqlAssets.ts). */
  schemaPath: string;
  /** The default tabs, from the served schema; their variables hold ID_PLACEHOLDER for the page's id. */
  tabs: GraphiqlTab[];
}

const config = JSON.parse(document.getElementById('appsync-config')!.textContent!) as PageConfig;
const requestedId = new URLSearchParams(location.search).get('id');
const pageId = requestedId ?? ulid();
const json = (value: unknown) => JSON.stringify(value, null, 2);

// The mode the developer picks in the bar (the API key when the API has one): its headers go on every request.
const authorization = new PageAuthorization(config.auth, { apiKey: config.apiKey, host: location.host, storage: localStorage });
const fetcher = appSyncFetcher({
  graphqlUrl: config.graphqlPath,
  realtimeUrl: `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}${config.realtimePath}`,
  authorize: (request) => authorization.headersFor(request),
});

// The server derives the tabs from the served schema (defaultTabs.ts); the page puts its id where they hold the placeholder.
const defaultTabs = config.tabs.map((tab) => ({ query: tab.query, variables: json(withPageId(tab.variables)) }));

function withPageId(value: unknown): unknown {
  if (value === ID_PLACEHOLDER) return pageId;
  if (Array.isArray(value)) return value.map(withPageId);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, withPageId(inner)]));
  return value;
}

/** A page opened for a given id starts from the default tabs, not from what another window left in localStorage. */
class MemoryStorage {
  private readonly items = new Map<string, string>();
  get length() {
    return this.items.size;
  }
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
  clear() {
    this.items.clear();
  }
}

const banner = createElement(
  'div',
  { className: 'appsync-banner' },
  createElement('strong', null, `${config.apiName} · local AppSync`),
  // data-reservation-id: the attribute the e2e test reads (this app's id is a reservation's).
  createElement('span', null, ' · id ', createElement('code', { 'data-reservation-id': pageId }, pageId), ' · '),
  createElement('a', { href: `/?id=${pageId}`, target: '_blank', rel: 'noopener' }, 'send a command from a second window'),
  createElement('span', { className: 'appsync-banner-note' }, ' (GraphiQL runs one operation at a time; a running subscription holds it)'),
  createElement(AuthBar, { authorization, apiKey: config.apiKey }),
);

// GraphiQL 4 leaves the first default tab's variables editor empty: hand it those variables itself,
// unless the tabs come from storage (then the active tab keeps what it had).
const usesDefaultTabs = requestedId !== null || localStorage.getItem('graphiql:tabState') === null;
const props: GraphiQLProps = {
  fetcher: fetcher as GraphiQLProps['fetcher'],
  defaultTabs,
  defaultEditorToolsVisibility: 'variables',
  isHeadersEditorEnabled: true,
  ...(requestedId ? { storage: new MemoryStorage() } : {}),
  ...(usesDefaultTabs && defaultTabs[0] ? { variables: defaultTabs[0].variables } : {}),
};

const root = createRoot(document.getElementById('root')!);
fetch(config.schemaPath)
  .then(async (response) => {
    if (!response.ok) throw new Error(`${config.schemaPath} answered ${response.status}`);
    const introspection = (await response.json()) as IntrospectionQuery;
    root.render(
      createElement(
        Fragment,
        null,
        banner,
        createElement('div', { id: 'graphiql' }, createElement(GraphiQL, { ...props, schema: buildClientSchema(introspection) })),
      ),
    );
  })
  .catch((error: unknown) => {
    root.render(
      createElement(
        Fragment,
        null,
        banner,
        createElement('pre', { className: 'appsync-error' }, `Could not load the schema: ${String(error)}`),
      ),
    );
  });
