/* global document, location, window, fetch, setTimeout, clearTimeout */
/**
 * The local console's page (browser code, served as is: no build step). Views are chosen by the URL's
 * hash (#streams, #stream/<table>/<stream id>, #deliveries, #schedules, #executions,
 * #execution/<arn>, #pipes, #search/<id>) and read again from /_local/api every 1.5 s, so the page
 * follows a command as it happens.
 */
'use strict';

const REFRESH_MS = 1500;
const view = document.getElementById('view');
const live = document.getElementById('live');
let timer;
let generation = 0;
/** What the view shows now: a refresh that reads the same leaves the page alone (scroll, selection, open details). */
let shown = '';

/** Text made safe for innerHTML. */
function esc(value) {
  return String(value ?? '').replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function time(iso) {
  return iso ? esc(String(iso).replace('T', ' ').replace('Z', '')) : '<span class="muted">–</span>';
}

function badge(text) {
  return `<span class="badge ${esc(String(text).replace(/ /g, '-'))}">${esc(text)}</span>`;
}

function json(value) {
  return `<pre>${esc(JSON.stringify(value, null, 2))}</pre>`;
}

function table(headers, rows, empty) {
  if (rows.length === 0) return `<p class="muted">${esc(empty)}</p>`;
  return `<table><thead><tr>${headers.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function row(cells, href) {
  const link = href ? ` class="clickable" data-href="${esc(href)}"` : '';
  return `<tr${link}>${cells.map((cell) => `<td>${cell}</td>`).join('')}</tr>`;
}

async function api(path) {
  const response = await fetch(`/_local/api/${path}`, { cache: 'no-store' });
  if (response.status === 404) return undefined;
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return response.json();
}

const views = {
  async streams() {
    const { tables } = await api('streams');
    if (tables.length === 0) return '<h2>Streams</h2><p class="muted">No table holds event streams yet.</p>';
    return tables
      .map((t) => {
        const rows = t.streams.map((s) =>
          row(
            [`<code>${esc(s.streamId)}</code>`, esc(s.events), esc(s.types.slice(-4).join(' → ')), time(s.lastAt)],
            `#stream/${encodeURIComponent(t.tableName)}/${encodeURIComponent(s.streamId)}`,
          ),
        );
        const more = t.moreStreams > 0 ? ` (${t.moreStreams} more not listed)` : '';
        return (
          `<h2>Streams of <code>${esc(t.tableName)}</code></h2>` +
          `<p class="muted">key (${esc(t.partitionKey)}, ${esc(t.sortKey)}); ${t.streams.length} stream(s)${esc(more)}; ${t.otherItems} other item(s)</p>` +
          table(['stream', 'events', 'last types', 'last event at'], rows, 'No stream.')
        );
      })
      .join('');
  },

  async stream(tableName, streamId) {
    const stream = await api(`streams/${encodeURIComponent(tableName)}/${encodeURIComponent(streamId)}`);
    if (!stream) return `<p>No table ${esc(tableName)} holding streams.</p>`;
    const cards = stream.events.map((event) => {
      const { type, data, commandId, correlationId, causationId, actor } = event;
      const version = event[stream.sortKey];
      const ids = [
        commandId ? `command <a href="#search/${encodeURIComponent(commandId)}"><code>${esc(commandId)}</code></a>` : '',
        correlationId && correlationId !== commandId ? `correlation <code>${esc(correlationId)}</code>` : '',
        causationId ? `causation <code>${esc(causationId)}</code>` : '',
        actor ? `actor <code>${esc(typeof actor === 'string' ? actor : JSON.stringify(actor))}</code>` : '',
      ].filter(Boolean);
      return (
        `<div class="event" data-version="${esc(version)}"><div class="head"><b>v${esc(version)}</b>` +
        `<span class="type">${esc(type)}</span><span class="muted">${time(event.occurredAt ?? event.time)}</span></div>` +
        `<div class="muted">${ids.join(' · ')}</div>${json(data ?? event)}</div>`
      );
    });
    return (
      `<h2>Stream <code>${esc(streamId)}</code> <span class="muted">in ${esc(tableName)}, ${stream.events.length} event(s)</span></h2>` +
      `<p><a href="#search/${encodeURIComponent(streamId.split('#').pop())}">Everything that mentions this id</a></p>` +
      `<div class="events">${cards.join('') || '<p class="muted">No events.</p>'}</div>`
    );
  },

  async deliveries() {
    const { deliveries, failed, lambdaPending, lambdaEnded, lambdaRecords } = await api('deliveries');
    const rows = deliveries.map((d) =>
      row([
        time(d.lastAttemptAt),
        esc(d.detailType),
        `${esc(d.ruleName)}<br><span class="muted">${esc(d.targetId)} (${esc(d.targetKind)})</span>`,
        badge(d.status),
        `${d.attempts} / ${d.maxAttempts}`,
        esc(d.lastError ?? ''),
      ]),
    );
    const failedRows = failed.map((f) =>
      row([
        time(f.failedAt),
        esc(f.event['detail-type']),
        `${esc(f.ruleName)}<br><span class="muted">${esc(f.targetId)}</span>`,
        `${badge('failed')} <code>${esc(f.errorCode)}</code> ${esc(f.errorMessage)}`,
        `${f.attempts}${f.exhaustedRetryCondition ? ` (${esc(f.exhaustedRetryCondition)})` : ''}`,
        esc(f.deadLetterArn ?? 'no DLQ'),
      ]),
    );
    const lambdaRows = (lambdaRecords ?? []).map((r) =>
      row([
        time(r.at),
        esc(r.functionName),
        `${esc(r.destination)}<br><span class="muted">${esc(r.destinationArn)}</span>`,
        esc(r.reason),
        `<code>${esc(JSON.stringify(r.body).slice(0, 300))}</code>`,
      ]),
    );
    const pendingRows = (lambdaPending ?? []).map((p) =>
      row([
        time(p.nextAttemptAt),
        esc(p.functionName),
        `<code>${esc(p.requestId)}</code><br><span class="muted">accepted ${time(p.acceptedAt)}</span>`,
        esc(p.nextAttempt),
        esc(p.lastError ?? ''),
        `<code>${esc(JSON.stringify(p.payload).slice(0, 300))}</code>`,
      ]),
    );
    const endedRows = (lambdaEnded ?? []).map((e) =>
      row([
        time(e.endedAt),
        esc(e.functionName),
        `<code>${esc(e.requestId)}</code>`,
        `${badge(e.outcome)} after ${esc(e.attempts)}`,
        esc(e.lastError ?? ''),
        esc(e.sentTo.join(', ') || 'none'),
      ]),
    );
    return (
      '<h2>Bus deliveries</h2>' +
      table(['last attempt', 'event', 'rule / target', 'status', 'attempts', 'last error'], rows, 'No delivery yet.') +
      '<h2>Failed deliveries (dead-letter records)</h2>' +
      table(['failed at', 'event', 'rule / target', 'error', 'attempts', 'dead-letter queue'], failedRows, 'No failed delivery.') +
      "<h2>Lambda's asynchronous queue (events waiting for an attempt or a retry)</h2>" +
      table(['next attempt at', 'function', 'request id', 'attempt', 'last error', 'event'], pendingRows, 'None waiting.') +
      '<h2>Lambda asynchronous invocations ended</h2>' +
      table(['ended at', 'function', 'request id', 'outcome', 'last error', 'record sent to'], endedRows, 'None yet.') +
      '<h2>Lambda records not delivered (asynchronous invocations: destinations and dead-letter queues that do not run here)</h2>' +
      table(['at', 'function', 'destination', 'why', 'record'], lambdaRows, 'None.')
    );
  },

  async schedules() {
    const { schedules } = await api('schedules');
    const rows = schedules.map((s) =>
      row([
        `<code>${esc(s.Name)}</code>`,
        esc(s.ScheduleExpression),
        badge(s.ended ? s.ended.how : 'pending'),
        s.ended ? time(s.ended.at) : time(s.fireAt),
        esc(s.Target.DetailType ?? ''),
        `<pre>${esc(s.Target.Input ?? '')}</pre>`,
      ]),
    );
    return (
      '<h2>Schedules</h2>' +
      table(['name', 'expression', 'status', 'fires / ended at', 'target detail-type', 'input'], rows, 'No schedule.')
    );
  },

  async executions() {
    const { executions } = await api('executions');
    const rows = executions.map((e) =>
      row(
        [time(e.startDate), esc(e.stateMachineName), `<code>${esc(e.name)}</code>`, badge(e.status), esc(e.error ?? '')],
        `#execution/${encodeURIComponent(e.executionArn)}`,
      ),
    );
    return '<h2>State machine executions</h2>' + table(['started', 'state machine', 'name', 'status', 'error'], rows, 'No execution yet.');
  },

  async execution(arn) {
    const found = await api(`executions/${encodeURIComponent(arn)}`);
    if (!found) return `<p>No execution ${esc(arn)}.</p>`;
    const { execution: e, history, graph } = found;
    const rows = history.map((event) => {
      const details = Object.entries(event).find(([key]) => key.endsWith('EventDetails'));
      const what = details ? (details[1].name ?? details[1].error ?? details[1].resource ?? '') : '';
      return row([esc(event.id), esc(event.type), esc(what), time(event.timestamp)]);
    });
    return (
      `<h2>${esc(e.stateMachineName)} <code>${esc(e.name)}</code> ${badge(e.status)}</h2>` +
      (e.error ? `<p><b>${esc(e.error)}</b> ${esc(e.cause ?? '')}</p>` : '') +
      `<p class="muted">started ${time(e.startDate)}${e.stopDate ? `, stopped ${time(e.stopDate)}` : ''}; path: ${esc(graph.path.join(' → '))}</p>` +
      `<div class="graph">${graph.svg}</div>` +
      '<h3>Input</h3>' +
      json(safeParse(e.input)) +
      '<h3>History</h3>' +
      table(['id', 'event', 'state / error', 'at'], rows, 'No history.')
    );
  },

  async pipes() {
    const { pipes, batches, failed } = await api('pipes');
    const pipeRows = pipes.map((p) =>
      row([esc(p.name), badge(p.currentState), `<code>${esc(p.source)}</code>`, `<code>${esc(p.target)}</code>`]),
    );
    const batchRows = batches.map((b) =>
      row([
        time(b.at),
        esc(b.pipeName),
        esc(b.records),
        esc(b.attempt),
        badge(b.outcome),
        esc(
          b.events
            .map((event) =>
              Object.values(event.dynamodb?.Keys ?? {})
                .map((key) => Object.values(key)[0])
                .join(' '),
            )
            .join(', '),
        ),
        esc(b.error ? `${b.error.code}: ${b.error.message}` : ''),
      ]),
    );
    const failedRows = failed.map((f) =>
      row([time(f.time), esc(f.pipeName), esc(f.condition), esc(f.batchInfo.batchSize), esc(f.error.message)]),
    );
    return (
      '<h2>Pipes</h2>' +
      table(['pipe', 'state', 'source', 'target'], pipeRows, 'No pipe.') +
      '<h2>Recent batches</h2>' +
      table(['at', 'pipe', 'records', 'attempt', 'outcome', 'record keys', 'error'], batchRows, 'No batch yet.') +
      '<h2>Failed batches</h2>' +
      table(['at', 'pipe', 'condition', 'records', 'error'], failedRows, 'No failed batch.')
    );
  },

  async search(query) {
    document.querySelector('#search input').value ||= query;
    const { matches, note } = await api(`search?q=${encodeURIComponent(query)}`);
    const href = (m) => {
      if (m.view === 'streams') return `#stream/${encodeURIComponent(m.ref.table)}/${encodeURIComponent(m.ref.streamId)}`;
      if (m.view === 'executions') return `#execution/${encodeURIComponent(m.ref.executionArn)}`;
      return `#${m.view === 'failed-deliveries' || m.view.startsWith('lambda-') ? 'deliveries' : m.view}`;
    };
    const rows = matches.map((m) => row([time(m.at), `<span class="view-badge">${esc(m.view)}</span>`, esc(m.title)], href(m)));
    return (
      `<h2>What happened to <code>${esc(query)}</code></h2>` +
      (note ? `<p class="muted">${esc(note)}</p>` : '') +
      table(['at', 'where', 'what'], rows, 'Nothing mentions this id (yet).')
    );
  },
};

function safeParse(text) {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The view the hash names, and its arguments. */
function route() {
  const [name, ...args] = location.hash.slice(1).split('/');
  if (name === 'stream') return ['stream', decodeURIComponent(args[0] ?? ''), args.slice(1).map(decodeURIComponent).join('/')];
  if (name === 'execution' || name === 'search') return [name, decodeURIComponent(args.join('/'))];
  return [views[name] ? name : 'streams'];
}

async function render() {
  clearTimeout(timer);
  const mine = (generation += 1);
  const [name, ...args] = route();
  for (const link of document.querySelectorAll('nav a')) link.classList.toggle('current', link.dataset.view === name);
  try {
    const html = await views[name](...args);
    if (mine !== generation) return; // the hash changed while this view was read
    if (html !== shown || view.dataset.view !== name) {
      view.innerHTML = html;
      view.dataset.view = name;
      shown = html;
    }
    live.textContent = `live · ${new Date().toLocaleTimeString()}`;
    live.classList.remove('stale');
  } catch (error) {
    if (mine !== generation) return;
    live.textContent = `not refreshed: ${error.message}`;
    live.classList.add('stale');
  }
  timer = setTimeout(render, REFRESH_MS);
}

view.addEventListener('click', (event) => {
  const target = event.target.closest('tr[data-href]');
  if (target && !event.target.closest('a')) location.hash = target.dataset.href;
});
document.getElementById('search').addEventListener('submit', (event) => {
  event.preventDefault();
  const query = new window.FormData(event.target).get('q').trim();
  if (query) location.hash = `#search/${encodeURIComponent(query)}`;
});
window.addEventListener('hashchange', render);
render();
