#!/usr/bin/env node
// `npm run start-execution -- --definition DEF.json --input INPUT.json`: a state machine definition run by itself,
// answered like `aws stepfunctions start-sync-execution`. Exit 0 when SUCCEEDED, 1 when FAILED / TIMED_OUT or refused
// (InvalidDefinition, InvalidExecutionInput), 2 for bad usage.
import { runDefinition, StepFunctionsApiError } from '../stepfunctions/index.ts';
import { readCliArguments, readJsonArgument as readJsonText } from './cliArguments.ts';

const USAGE = `usage: start-execution --definition DEF.json [--input INPUT.json] [--name NAME]
  --definition  the Amazon States Language definition (JSONPath or JSONata): a JSON file, file://FILE, or inline JSON text
  --input       the execution input: a JSON file, file://FILE, or inline JSON text (default {})
  --name        the execution name (default: a UUID)
Prints start-sync-execution's response: { executionArn, stateMachineArn, name, startDate, stopDate, status, output, error, cause, … }.
Runs offline: tasks that need the local stack's services (EventBridge, DynamoDB, other state machines) fail naming their
resource; http:invoke makes real calls. Exit 0 when SUCCEEDED, 1 otherwise, 2 for bad usage.`;

class UsageError extends Error {}

const readJsonArgument = (name: string, value: string | undefined) => readJsonText(name, value, (message) => new UsageError(message));

async function main(argv: string[]): Promise<number> {
  try {
    const options = readCliArguments(argv, (message) => new UsageError(message));
    for (const name of options.keys())
      if (!['help', 'definition', 'input', 'name'].includes(name)) throw new UsageError(`unknown option --${name}`);
    if (options.has('help')) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const definition = await readJsonArgument('definition', options.get('definition'));
    const input = options.has('input') ? await readJsonArgument('input', options.get('input')) : '{}';
    const response = await runDefinition({ definition, input, ...(options.has('name') ? { name: options.get('name')! } : {}) });
    // The AWS CLI prints the API's epoch-second timestamps as ISO 8601 dates.
    const printed = {
      ...response,
      startDate: new Date(response.startDate * 1000).toISOString(),
      stopDate: new Date(response.stopDate * 1000).toISOString(),
    };
    process.stdout.write(`${JSON.stringify(printed, null, 2)}\n`);
    return response.status === 'SUCCEEDED' ? 0 : 1;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`start-execution: ${error.message}\n${USAGE}\n`);
      return 2;
    }
    if (error instanceof StepFunctionsApiError) {
      process.stderr.write(`An error occurred (${error.code}) when calling the StartSyncExecution operation: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

process.exitCode = await main(process.argv.slice(2));
