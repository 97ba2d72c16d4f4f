/**
 * The document-check worker: parses and validates new GraphQL documents, and reads large request
 * bodies, on its own thread, so that neither holds the server's event loop (documentChecker.ts
 * sends the jobs and bounds their time).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Source } from 'graphql';
// The simulator's schema builder alone (its AppSync scalars and directives), not its server: a tenth of the load time.
import { generateResolvers } from '@aws-amplify/amplify-appsync-simulator/lib/schema/index.js';
import { checkDocument } from './documentCheck.ts';
import { readRequestBody } from './requestBody.ts';
import type { CheckJob, CheckSetup } from './documentChecker.ts';

const setup = workerData as CheckSetup;
// The same schema the server validates against: the template's SDL through the simulator, so AppSync's scalars check literals.
const schema = generateResolvers(new Source(setup.schema), [], {} as never);

parentPort!.on('message', ({ id, job }: { id: number; job: CheckJob }) => {
  const result = job.kind === 'document' ? checkDocument(schema, job.query, setup.limits) : readRequestBody(job.raw, setup.limits.variableValues);
  parentPort!.postMessage({ id, result });
});
// Jobs are timed from here: loading this module is not the first job's time.
parentPort!.postMessage({ ready: true });
