/**
 * `npm start`: synthesize the CDK app and serve it locally.
 *
 *   npm start [-- --port 20002] [--api-key KEY] [--persist DIR] [--cdk-out DIR] [--watch] [--parameters Name=Value …]
 *
 * Environment: PORT, API_KEY, PERSIST_DIR override the defaults the same way.
 */
import { watch } from 'node:fs';
import { parseArgs } from 'node:util';
import path from 'node:path';
import { DEFAULT_API_KEY, DEFAULT_PORT } from './defaults.ts';
import { synthesize } from './synth.ts';
import { DynamoDbLocal } from './dynamodb/DynamoDbLocal.ts';
import type { LocalStack } from './localStack.ts';
import type { RequestLog } from './server/graphqlApi.ts';
import { takeParametersOption } from './bin/parametersOption.ts';

/**
 * The runtime itself (AppSync server, engine, bus, Step Functions, pipes): seconds of module loading on
 * a 2-core machine, so it is imported only once the synthesis and Java are under way, beside them.
 */
function loadRuntime() {
  return Promise.all([import('./localStack.ts'), import('./eventbridge/index.ts'), import('./pipes/index.ts')]).then(
    ([{ LocalStack }, { formatDeliveryLog }, { formatPipeBatchLog }]) => ({ LocalStack, formatDeliveryLog, formatPipeBatchLog }),
  );
}

const HELP = `Usage: npm start -- [options]

Serves the CDK app's AppSync API, DynamoDB tables, EventBridge rules and Step Functions state machines on this machine.

  --port N         GraphQL and real-time port (default ${DEFAULT_PORT}, env PORT)
  --host H         interface to listen on (default 127.0.0.1)
  --api-key KEY    the API key clients send (default ${DEFAULT_API_KEY}, env API_KEY)
  --persist DIR    keep DynamoDB data, Step Functions executions, Lambda's asynchronous queue, the bus's
                   deliveries under way and the Scheduler's schedules in DIR; a restart resumes the unfinished
                   executions, the waiting retries and the pending schedules (default: in memory, env PERSIST_DIR)
  --cdk-out DIR    serve an already synthesized cloud assembly (any CDK app) instead of synthesizing
  --watch          re-synthesize and reload when infra/, resolvers/, functions/ or schema/ change
  --synth          synthesize even when cdk.out was written from the same sources (skipped by default)
  --parameters Name=Value [Name=Value …]
                   values of the templates' parameters (CfnParameter), as cdk deploy takes them;
                   Stack:Name=Value for one stack. Others take their Default; NoEcho values are never printed
  --delay-store MS hold every command event this long before the bus stores it (see a timeout: MS > 10000)
  --graphiql-subscription FIELD
                   the subscription GraphiQL's default tabs open on (default: the schema's first with an id)
  --quiet          no per-request log lines
  --help           this text`;

let given: ReturnType<typeof takeParametersOption>;
try {
  given = takeParametersOption(process.argv.slice(2));
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}

const { values } = parseArgs({
  args: given.rest,
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    'api-key': { type: 'string' },
    persist: { type: 'string' },
    'cdk-out': { type: 'string' },
    watch: { type: 'boolean', default: false },
    synth: { type: 'boolean', default: false },
    'delay-store': { type: 'string' },
    'graphiql-subscription': { type: 'string' },
    quiet: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log(HELP);
  process.exit(0);
}

// The SDK warns that its 2027 releases need Node 22; this runtime pins its SDK and supports Node 20.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const projectDir = process.cwd();
const quiet = values.quiet;
const say = (line: string) => console.log(line);
const progress = (line: string) => say(`  … ${line}`);
const port = Number(values.port ?? process.env.PORT ?? DEFAULT_PORT);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a number from 0 to 65535, not ${values.port ?? process.env.PORT}.`);
  process.exit(2);
}

function requestLine(log: RequestLog): string {
  const status = log.errors > 0 ? `${log.errors} error(s)` : 'ok';
  return `${new Date().toISOString().slice(11, 23)} ${log.operation.padEnd(40)} ${log.fields.join(' ')} · ${status} · ${log.durationMs.toFixed(1)} ms`;
}

async function main(): Promise<void> {
  const started = performance.now();
  say('Starting the local AppSync event-sourcing core');
  let cdkOut = values['cdk-out'];
  const persistDir = values.persist ?? process.env.PERSIST_DIR;
  let dynamoDb: Promise<DynamoDbLocal> | undefined;
  let runtime: ReturnType<typeof loadRuntime> | undefined;
  if (!cdkOut) {
    // Java's start (about 5 s) and the synthesis (about 6 s of CPU) side by side on two cores, not one after
    // the other. If the synthesis fails, the process exits and DynamoDB Local's watchdog stops Java with it.
    dynamoDb = DynamoDbLocal.start(persistDir ? { persistDir } : {});
    dynamoDb.catch(() => undefined); // reported where the stack awaits it
    const synthesis = synthesize(projectDir, undefined, {
      reuseUnchanged: !values.synth,
      onDecision: (synthesizing) =>
        progress(
          synthesizing
            ? 'synthesizing the CDK app (cdk.json → cdk.out) while DynamoDB Local starts'
            : 'cdk.out was synthesized from these very sources: synthesis skipped (--synth forces one)',
        ),
    });
    synthesis.catch(() => undefined); // reported just below
    runtime = loadRuntime();
    runtime.catch(() => undefined); // reported where it is awaited, after the synthesis
    cdkOut = (await synthesis).outdir;
  }
  const { LocalStack, formatDeliveryLog, formatPipeBatchLog } = await (runtime ?? loadRuntime());
  const delayStoreMs = values['delay-store'] === undefined ? 0 : Number(values['delay-store']);
  if (!Number.isFinite(delayStoreMs) || delayStoreMs < 0)
    throw new Error(`--delay-store takes milliseconds, not ${values['delay-store']}.`);
  const stack = await LocalStack.start({
    cdkOut,
    port,
    host: values.host,
    apiKey: values['api-key'] ?? process.env.API_KEY,
    persistDir,
    dynamoDb,
    parameters: given.parameters,
    graphiqlSubscription: values['graphiql-subscription'],
    onProgress: progress,
    onRequest: quiet ? undefined : (log) => say(requestLine(log)),
    onDelivery: quiet ? undefined : (log) => say(`${new Date().toISOString().slice(11, 23)} bus ${formatDeliveryLog(log)}`),
    onPipeBatch: quiet ? undefined : (log) => say(`${new Date().toISOString().slice(11, 23)} ${formatPipeBatchLog(log)}`),
    onEvent: quiet ? undefined : (line) => say(`${new Date().toISOString().slice(11, 23)} ${line}`),
    // A slow store on purpose: command events wait, timeout tombstones do not.
    interceptDelivery:
      delayStoreMs > 0
        ? async (call) => {
            if (call.event['detail-type'] !== 'CommandTimedOut') await new Promise((resolve) => setTimeout(resolve, delayStoreMs));
            return 'deliver';
          }
        : undefined,
  });

  const https = stack.graphqlUrl.replace('http://', 'https://');
  say(`
Ready in ${((performance.now() - started) / 1000).toFixed(1)} s

  GraphQL     ${stack.graphqlUrl}   (also ${https})
  Real-time   ${stack.realtimeUrl}   (also wss://)
  API key     ${stack.apiKey}
  Auth        ${stack.authModes.join(', ')}
  GraphiQL    http://localhost:${stack.port}/
  Console     ${stack.consoleUrl}   (streams, deliveries, schedules, executions, pipe batches; search by command id)
  Node        ${process.version}
  CA file     ${path.resolve(stack.caFile)}
              Node clients on wss:// / https://: NODE_EXTRA_CA_CERTS=${path.resolve(stack.caFile)}
  Tables      ${stack.tables.join(', ')}  (DynamoDB Local at ${stack.dynamoDb.endpoint}${values.persist ? `, data in ${values.persist}` : ', in memory'})
  Rules       ${stack.rules.join(', ')}
  Parameters  ${stack.parameters.join(', ') || '(none)'}
  Step Fns    ${
    stack.stepFunctions
      .listStateMachines()
      .stateMachines.map((machine) => machine.name)
      .join(', ') || '(no state machines)'
  }  (API at ${stack.stepFunctionsEndpoint})
  Lambda      ${stack.lambda.functionNames.join(', ') || '(no functions)'}${
    stack.lambda.skipped.length > 0 ? `  (skipped, not run: ${stack.lambda.skipped.map((fn) => `${fn.name}: ${fn.why}`).join('; ')})` : ''
  }
  Pipes       ${
    stack.pipes
      .list()
      .map((pipe) => `${pipe.name} (${pipe.currentState}${pipe.stateReason ? `: ${pipe.stateReason}` : ''})`)
      .join(', ') || '(none)'
  }

${delayStoreMs > 0 ? `  Store delay ${delayStoreMs} ms on every command event (--delay-store)\n` : ''}
Ctrl-C stops everything.`);

  if (values.watch) {
    watchSources(stack, cdkOut);
  }

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`\n${signal}: stopping…`);
    stack.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

function watchSources(stack: LocalStack, cdkOut: string): void {
  const folders = ['infra', 'resolvers', 'functions', 'schema'];
  let timer: NodeJS.Timeout | undefined;
  let running = Promise.resolve();
  const reload = () => {
    running = running.then(async () => {
      try {
        const { durationMs } = await synthesize(projectDir, cdkOut);
        await stack.reload();
        say(`reloaded (synth ${(durationMs / 1000).toFixed(1)} s): real-time clients reconnect`);
      } catch (error) {
        say(`reload failed, still serving the previous version:\n${(error as Error).message}`);
      }
    });
  };
  for (const folder of folders) {
    watch(path.join(projectDir, folder), { recursive: true }, (_event, file) => {
      if (file && String(file).includes('generated')) return;
      clearTimeout(timer);
      timer = setTimeout(reload, 300);
    });
  }
  say(`watching ${folders.join(', ')} for changes`);
}

main().catch((error: unknown) => {
  console.error(`\nCould not start: ${(error as Error).message}`);
  process.exit(1);
});
