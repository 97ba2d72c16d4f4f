/** State machines and executions as the service keeps, validates, lists and describes them. */
import { StepFunctionsApiError } from './apiErrors.ts';
import type { Clock } from './clock.ts';
import type { StateMachineDefinition } from './definition.ts';
import { STATES_ERRORS, StatesError } from './errors.ts';
import { ExecutionHistory, payloadText } from './history.ts';
import type { TaskIntegration } from './integrations/types.ts';
import { ExecutionStopped, type ExecutionOutcome, type ExecutionStatus } from './interpreter.ts';

export type StateMachineType = 'STANDARD' | 'EXPRESS';

export interface StateMachine {
  name: string;
  arn: string;
  type: StateMachineType;
  roleArn: string | undefined;
  definitionText: string;
  definition: StateMachineDefinition;
  creationDate: Date;
}

export interface Execution {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: Date;
  stopDate: Date | undefined;
  inputText: string;
  output: unknown;
  error: string | undefined;
  cause: string | undefined;
  history: ExecutionHistory;
  done: Promise<ExecutionOutcome>;
  stop: (reason: ExecutionStopped) => void;
}

/** Keys: `service:action` (`events:putEvents`, `aws-sdk:dynamodb:putItem`) or `service:*` for a whole service. */
export type TaskIntegrations = Record<string, TaskIntegration | undefined>;

export interface LocalStepFunctionsOptions {
  region?: string;
  accountId?: string;
  clock?: Clock;
  random?: () => number;
  integrations?: TaskIntegrations;
  /**
   * Keep Standard executions on disk here (one journal file per state machine), so that a runtime started
   * again on the same directory resumes them (`resumeJournaledExecutions`). Default: in memory only.
   */
  journalDir?: string;
  /** One line per execution start and end, for the dev log. */
  onEvent?: (line: string) => void;
}

/** Names: 1–80 characters, none of whitespace, brackets, wildcards, `"#%\^|~\`$&,;:/` or control characters (API reference). */
export function isValidName(name: string): boolean {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what AWS forbids here
  return /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]{1,80}$/.test(name);
}
export const MAX_PAYLOAD_BYTES = 256 * 1024;

export function seconds(date: Date | undefined): number | undefined {
  return date === undefined ? undefined : date.getTime() / 1000;
}

export function parseJsonInput(text: string | undefined, code: string, what: string): unknown {
  if (text === undefined) return {};
  if (Buffer.byteLength(text, 'utf8') > MAX_PAYLOAD_BYTES)
    throw new StepFunctionsApiError(code, `${what} is larger than the 262144-byte limit.`);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new StepFunctionsApiError(code, `Invalid ${what}: ${(error as Error).message}`);
  }
}

/** What the local runtime says for a task whose resource it cannot run. */
export function unsupported(resource: string, served: string[]): StatesError {
  return new StatesError(
    STATES_ERRORS.Runtime,
    `The local runtime does not run the task resource ${resource}. It runs: ${served.join(', ') || 'no integrations (start-execution runs definitions by themselves)'}.`,
  );
}

/** An execution as ListExecutions lists it. */
export function listed(execution: Execution): Record<string, unknown> {
  return {
    executionArn: execution.executionArn,
    stateMachineArn: execution.stateMachineArn,
    name: execution.name,
    status: execution.status,
    startDate: seconds(execution.startDate),
    ...(execution.stopDate ? { stopDate: seconds(execution.stopDate) } : {}),
  };
}

/** What DescribeExecution and StartSyncExecution both answer about an execution: its listing, input and outcome. */
export function describe(execution: Execution): Record<string, unknown> {
  return {
    ...listed(execution),
    input: execution.inputText,
    inputDetails: { included: true },
    ...(execution.status === 'SUCCEEDED' ? { output: payloadText(execution.output), outputDetails: { included: true } } : {}),
    ...(execution.error !== undefined ? { error: execution.error } : {}),
    ...(execution.cause !== undefined ? { cause: execution.cause } : {}),
  };
}

/** One page of a listing: AWS pages with an opaque `nextToken`; here it is the next offset. */
export function page<T>(all: T[], maxResults: number | undefined, nextToken: string | undefined): { items: T[]; nextToken?: string } {
  const start = nextToken ? Number(Buffer.from(nextToken, 'base64url').toString('utf8')) : 0;
  if (!Number.isInteger(start) || start < 0) throw new StepFunctionsApiError('InvalidToken', 'Invalid pagination token');
  const size = maxResults && maxResults > 0 ? Math.min(maxResults, 1000) : 100;
  const more = start + size < all.length;
  return { items: all.slice(start, start + size), ...(more ? { nextToken: Buffer.from(String(start + size)).toString('base64url') } : {}) };
}
