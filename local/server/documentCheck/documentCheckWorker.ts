/**
 * The document-check worker: parses and validates new GraphQL documents, and reads large request
 * bodies, on its own thread, so that neither holds the server's event loop (documentChecker.ts
 * sends the jobs and bounds their time).
 */
import os from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { Source } from 'graphql';
// The simulator's schema builder alone (its AppSync scalars and directives), not its server: a tenth of the load time.
import { generateResolvers } from '@aws-amplify/amplify-appsync-simulator/lib/schema/index.js';
import { acceptSchemaAsAppSync } from '../appSyncSchemaRules.ts';
import { checkDocument, type DocumentCheck } from './documentCheck.ts';
import { withRepeatsBlanked } from './repeatedSelections.ts';
import { readRequestBody } from './requestBody.ts';
import type { CheckJob, CheckSetup } from './documentChecker.ts';

const setup = workerData as CheckSetup;
// A byte-order mark stays, as Buffer#toString keeps it on the event loop: JSON.parse refuses it either way.
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });
// Below the event loop's priority: checking a hostile document takes CPU the server's requests do not need. On Linux
// the nice value is per thread, so this lowers this worker alone; elsewhere it would lower the whole process, so not there.
if (process.platform === 'linux') os.setPriority(10);
// The same schema the server validates against: the template's SDL through the simulator, so AppSync's scalars check literals.
// The auth directives read the API's default mode when they build the schema (fields without a directive take it).
const simulatorContext = {
  appSyncConfig: { defaultAuthenticationType: { authenticationType: setup.defaultAuthentication }, additionalAuthenticationProviders: [] },
};
const schema = generateResolvers(new Source(setup.schema), [], simulatorContext as never);
// The schema the server accepted at start, by AppSync's rules (an object type with no fields passes): the same verdict here.
acceptSchemaAsAppSync(schema, 'api');

parentPort!.on('message', ({ id, job }: { id: number; job: CheckJob }) => {
  const result =
    job.kind === 'document'
      ? withBlankedText(job.query, checkDocument(schema, job.query, setup.limits))
      : readRequestBody(typeof job.raw === 'string' ? job.raw : utf8.decode(job.raw), setup.limits.variableValues);
  parentPort!.postMessage({ id, result });
});
/** A valid document's text with its repeats blanked, here rather than on the event loop (40 000 repeats take it 20 ms). */
function withBlankedText(query: string, check: DocumentCheck): DocumentCheck {
  return check.ok && check.repeats.length > 0 ? { ...check, repeats: [], text: withRepeatsBlanked(query, check.repeats) } : check;
}

// Jobs are timed from here: loading this module is not the first job's time.
parentPort!.postMessage({ ready: true });
