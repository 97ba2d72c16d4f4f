#!/usr/bin/env node
// `npm run test-event-pattern -- --pattern P.json --event E.json`: AWS's `aws events test-event-pattern`, offline.
// Prints { "Result": true|false } and exits 0; exits 1 for an invalid pattern or event, 2 for bad usage.
import { EventBridgeError, testEventPattern } from '../eventbridge/index.ts';
import { readCliArguments, readJsonArgument as readJsonText } from './cliArguments.ts';

const USAGE = `usage: test-event-pattern --pattern PATTERN --event EVENT
  --pattern  the event pattern: a JSON file, file://FILE, or inline JSON text
  --event    the event (needs id, account, source, time, region, detail-type): a JSON file, file://FILE, or inline JSON text
Prints { "Result": true|false } (exit 0); an invalid pattern or event exits 1, bad usage 2.`;

class UsageError extends Error {}

const readJsonArgument = (name: string, value: string | undefined) => readJsonText(name, value, (message) => new UsageError(message));

function parseArgs(argv: string[]): Map<string, string> {
  const options = readCliArguments(argv, (message) => new UsageError(message));
  for (const name of options.keys()) if (!['help', 'pattern', 'event'].includes(name)) throw new UsageError(`unknown option --${name}`);
  return options;
}

async function main(argv: string[]): Promise<number> {
  try {
    const options = parseArgs(argv);
    if (options.has('help')) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const EventPattern = await readJsonArgument('pattern', options.get('pattern'));
    const Event = await readJsonArgument('event', options.get('event'));
    process.stdout.write(`${JSON.stringify(testEventPattern({ EventPattern, Event }), null, 2)}\n`);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`test-event-pattern: ${error.message}\n${USAGE}\n`);
      return 2;
    }
    if (error instanceof EventBridgeError) {
      const reason = error.reason && !error.message.includes(error.reason) ? ` (${error.reason})` : '';
      process.stderr.write(`An error occurred (${error.code}) when calling the TestEventPattern operation: ${error.message}${reason}\n`);
      return 1;
    }
    throw error;
  }
}

process.exitCode = await main(process.argv.slice(2));
