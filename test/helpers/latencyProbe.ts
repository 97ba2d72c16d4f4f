/**
 * A probe client in a process of its own: every 50 ms, whatever happened to the previous one, it
 * POSTs `{ __typename }` and records how long the answer took, under the label of the current phase.
 * Its own process, so that what it measures is the server's event loop, not the test's.
 *
 * Controlled over IPC (`probeClient.ts`): `{ label }` starts a phase, `{ collect: true }` answers the
 * samples so far (once every probe sent has its answer), `{ report: true }` does so and stops.
 */
const [url, apiKey] = process.argv.slice(2) as [string, string];
const INTERVAL_MS = 50;

interface Sample {
  label: string;
  ms: number;
  ok: boolean;
}

const samples: Sample[] = [];
const inFlight = new Set<Promise<void>>();
let label = 'idle';

async function probe(phase: string): Promise<void> {
  const started = performance.now();
  let ok = false;
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
      body: '{"query":"{ __typename }"}',
    });
    ok = (await response.text()) === '{"data":{"__typename":"Query"}}';
  } catch {
    ok = false;
  }
  samples.push({ label: phase, ms: performance.now() - started, ok });
}

const timer = setInterval(() => {
  const sent = probe(label);
  inFlight.add(sent);
  void sent.finally(() => inFlight.delete(sent));
}, INTERVAL_MS);

process.on('message', (message: { label?: string; collect?: boolean; report?: boolean }) => {
  if (message.label) label = message.label;
  if (message.report) clearInterval(timer);
  if (message.collect || message.report) {
    // Every probe sent gets its answer (or its failure) into the report.
    void Promise.allSettled([...inFlight]).then(() => process.send!({ samples }, () => message.report && process.exit(0)));
  }
});
// The test that forked it is gone (ended, or crashed): so is this client.
process.on('disconnect', () => process.exit(0));
process.send!({ ready: true });
