/** What an execution is made of: its identity and outcome, the runner's dependencies, and the frames, visits and variables it walks with. */
import type { Clock } from './clock.ts';
import type { QueryLanguage, StateDefinition } from './definition.ts';
import type { HistoryCursor } from './history.ts';
import type { TaskCall } from './integrations/types.ts';

export interface ExecutionInfo {
  executionArn: string;
  name: string;
  stateMachineArn: string;
  stateMachineName: string;
  roleArn: string | undefined;
  startTime: string;
  input: unknown;
  region: string;
}

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface ExecutionOutcome {
  status: Exclude<ExecutionStatus, 'RUNNING'>;
  output?: unknown;
  error?: string;
  cause?: string;
}

export interface RunnerDependencies {
  clock: Clock;
  /** For JitterStrategy FULL. */
  random?: () => number;
  /** Runs a task's integration (request-response, `.sync`, or the call that hands out a task token). */
  runTask(call: TaskCall & { taskToken?: string }): Promise<unknown>;
  /** A new task token for a `.waitForTaskToken` task, registered so SendTask* can find it. */
  newTaskToken(info: { executionArn: string; stateName: string }): string;
  /**
   * Resolves with the output of SendTaskSuccess for `token`, rejects with a StatesError for SendTaskFailure;
   * calls `onHeartbeat` on each SendTaskHeartbeat.
   */
  awaitTaskToken(token: string, signal: AbortSignal, onHeartbeat: () => void): Promise<unknown>;
  /** Called as each top-level state is entered, with its input and the variables then: a checkpoint to resume from. */
  onStateEntered?(state: string, input: unknown, variables: Record<string, unknown>): void;
}

/** Where a resumed execution starts again: the top-level state that was in flight, its input and the variables then. */
export interface ResumePoint {
  state: string;
  input: unknown;
  variables: Record<string, unknown>;
}

/** Why an execution stopped before its end: StopExecution or its TimeoutSeconds. */
export class ExecutionStopped extends Error {
  constructor(
    readonly status: 'ABORTED' | 'TIMED_OUT',
    readonly error: string | undefined,
    override readonly cause: string | undefined,
  ) {
    super(status);
  }
}

/** A branch's variables: its own, over those of the scopes it runs in (read-only from inside). */
export class Variables {
  private readonly own: Record<string, unknown> = {};
  constructor(private readonly parent?: Variables) {}

  all(): Record<string, unknown> {
    return { ...(this.parent?.all() ?? {}), ...this.own };
  }

  assign(values: Record<string, unknown>): void {
    Object.assign(this.own, values);
  }

  child(): Variables {
    return new Variables(this);
  }
}

/** Where a branch runs: its states, language, variables, history cursor, and what stops it. */
export interface Frame {
  states: Record<string, StateDefinition>;
  language: QueryLanguage;
  variables: Variables;
  cursor: HistoryCursor;
  signal: AbortSignal;
  mapItem?: { Index: number; Value: unknown };
}

export interface StateVisit {
  name: string;
  state: StateDefinition;
  frame: Frame;
  language: QueryLanguage;
  rawInput: unknown;
  enteredId: number;
  enteredTime: string;
  retryCount: number;
  taskToken?: string;
}

export interface StateResult {
  output: unknown;
  next: string | undefined;
}

export const DEFAULT_TASK_TIMEOUT_SECONDS = 99_999_999;

/** An error inside a branch that is not the state's own: the frame was aborted. */
export function isAbort(error: unknown): boolean {
  return error instanceof ExecutionStopped || (error instanceof Error && error.name === 'AbortError');
}

/** A controller aborted with `parent`; once aborted itself (a task settled), it lets go of `parent`, so a long execution's signal holds no listener per past state. */
export function linkedController(parent: AbortSignal): AbortController {
  const controller = new AbortController();
  if (parent.aborted) {
    controller.abort(parent.reason);
    return controller;
  }
  const onParentAbort = () => controller.abort(parent.reason);
  parent.addEventListener('abort', onParentAbort, { once: true });
  controller.signal.addEventListener('abort', () => parent.removeEventListener('abort', onParentAbort), { once: true });
  return controller;
}

/** A value as text for a history event's field: strings as they are, anything else as JSON. */
export function stringOr(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}
