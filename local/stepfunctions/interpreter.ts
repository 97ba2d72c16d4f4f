/**
 * The Amazon States Language interpreter: runs one execution of a definition, state by state, in
 * either query language, recording AWS's history events. I/O processing, Retry and Catch, timeouts and
 * the context object follow the Step Functions developer guide; Task states hand their work to the
 * integrations through `runTask`, and callback tasks wait on `awaitTaskToken`.
 *
 * @example
 * const history = new ExecutionHistory(clock.now);
 * const outcome = await new ExecutionRunner(parseDefinition(text), info, { clock, runTask, awaitTaskToken, newTaskToken }, history, signal).run();
 */
import { matchesChoiceRule, timestampOf } from './choice.ts';
import type { Clock } from './clock.ts';
import type { BranchDefinition, Catcher, QueryLanguage, StateDefinition, StateMachineDefinition } from './definition.ts';
import { errorMatches, runtimeCause, STATES_ERRORS, StatesError } from './errors.ts';
import { payloadText, type ExecutionHistory, type HistoryCursor } from './history.ts';
import { parseTaskResource, type TaskCall, type TaskResource } from './integrations/types.ts';
import { evaluateJsonataTemplate, isJsonataExpression, type JsonataScope, type StatesBinding } from './jsonata.ts';
import type { PathScope } from './paths.ts';
import { applyFilterPath, applyPayloadTemplate, applyResultPath, evaluateDynamicValue, StateRuntimeError } from './payload.ts';
import { RetryState } from './retry.ts';

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
class Variables {
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
interface Frame {
  states: Record<string, StateDefinition>;
  language: QueryLanguage;
  variables: Variables;
  cursor: HistoryCursor;
  signal: AbortSignal;
  mapItem?: { Index: number; Value: unknown };
}

interface StateVisit {
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

interface StateResult {
  output: unknown;
  next: string | undefined;
}

const DEFAULT_TASK_TIMEOUT_SECONDS = 99_999_999;

/** An error inside a branch that is not the state's own: the frame was aborted. */
function isAbort(error: unknown): boolean {
  return error instanceof ExecutionStopped || (error instanceof Error && error.name === 'AbortError');
}

/** A controller aborted with `parent`; once aborted itself (a task settled), it lets go of `parent`, so a long execution's signal holds no listener per past state. */
function linkedController(parent: AbortSignal): AbortController {
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

export class ExecutionRunner {
  private readonly random: () => number;

  constructor(
    private readonly definition: StateMachineDefinition,
    private readonly info: ExecutionInfo,
    private readonly deps: RunnerDependencies,
    private readonly history: ExecutionHistory,
    private readonly signal: AbortSignal,
  ) {
    this.random = deps.random ?? Math.random;
  }

  private iso(ms = this.deps.clock.now()): string {
    return new Date(ms).toISOString();
  }

  /** Runs the execution to its end; never throws. */
  async run(): Promise<ExecutionOutcome> {
    const cursor: HistoryCursor = { last: 0 };
    this.history.add(cursor, 'ExecutionStarted', {
      input: payloadText(this.info.input),
      inputDetails: { truncated: false },
      ...(this.info.roleArn ? { roleArn: this.info.roleArn } : {}),
    });
    const frame: Frame = { states: this.definition.States, language: this.definition.QueryLanguage ?? 'JSONPath', variables: new Variables(), cursor, signal: this.signal };
    try {
      const output = await this.runBranch(this.definition, this.info.input, frame);
      this.history.add(cursor, 'ExecutionSucceeded', { output: payloadText(output), outputDetails: { truncated: false } });
      return { status: 'SUCCEEDED', output };
    } catch (error) {
      const stopped = error instanceof ExecutionStopped ? error : this.signal.reason instanceof ExecutionStopped && this.signal.aborted ? this.signal.reason : undefined;
      if (stopped) {
        const details = { ...(stopped.error !== undefined ? { error: stopped.error } : {}), ...(stopped.cause !== undefined ? { cause: stopped.cause } : {}) };
        this.history.add(cursor, stopped.status === 'ABORTED' ? 'ExecutionAborted' : 'ExecutionTimedOut', details);
        return { status: stopped.status, ...details };
      }
      const failure = error instanceof StatesError ? error : new StatesError(STATES_ERRORS.Runtime, `Internal error of the local interpreter: ${(error as Error).message}`);
      this.history.add(cursor, 'ExecutionFailed', { error: failure.error, cause: failure.cause });
      return { status: 'FAILED', error: failure.error, cause: failure.cause };
    }
  }

  /** Runs states from StartAt until one ends the branch; returns the branch's output. */
  private async runBranch(branch: BranchDefinition, input: unknown, frame: Frame): Promise<unknown> {
    let name: string | undefined = branch.StartAt;
    let value = input;
    while (name !== undefined) {
      if (frame.signal.aborted) throw frame.signal.reason instanceof Error ? frame.signal.reason : new ExecutionStopped('ABORTED', undefined, undefined);
      const state: StateDefinition = frame.states[name]!;
      const result = await this.runState(name, state, value, frame);
      value = result.output;
      name = result.next;
    }
    return value;
  }

  private context(visit: StateVisit): Record<string, unknown> {
    const context: Record<string, unknown> = {
      Execution: {
        Id: this.info.executionArn,
        Input: this.info.input,
        Name: this.info.name,
        ...(this.info.roleArn ? { RoleArn: this.info.roleArn } : {}),
        StartTime: this.info.startTime,
        RedriveCount: 0,
      },
      State: { EnteredTime: visit.enteredTime, Name: visit.name, RetryCount: visit.retryCount },
      StateMachine: { Id: this.info.stateMachineArn, Name: this.info.stateMachineName },
    };
    if (visit.taskToken) context.Task = { Token: visit.taskToken };
    if (visit.frame.mapItem) context.Map = { Item: visit.frame.mapItem };
    return context;
  }

  private pathScope(visit: StateVisit): PathScope {
    return { context: this.context(visit), variables: visit.frame.variables.all() };
  }

  private jsonataScope(visit: StateVisit, states: Partial<StatesBinding> = {}): JsonataScope {
    return { states: { input: visit.rawInput, context: this.context(visit), ...states }, variables: visit.frame.variables.all() };
  }

  /** A JSONata field value: `{% %}` strings evaluated anywhere inside it. */
  private jsonata(value: unknown, visit: StateVisit, field: string, states: Partial<StatesBinding> = {}): Promise<unknown> {
    return evaluateJsonataTemplate(value, this.jsonataScope(visit, states), field).catch((error: unknown) => {
      if (error instanceof StatesError && !(error instanceof StateRuntimeError)) throw new StateRuntimeError(error.error, error.cause, field);
      throw error;
    });
  }

  private async runState(name: string, state: StateDefinition, rawInput: unknown, frame: Frame): Promise<StateResult> {
    const enteredTime = this.iso();
    const enteredId = this.history.add(frame.cursor, `${state.Type}StateEntered`, { name, input: payloadText(rawInput), inputDetails: { truncated: false } });
    const visit: StateVisit = { name, state, frame, language: state.QueryLanguage ?? frame.language, rawInput, enteredId, enteredTime, retryCount: 0 };
    let result: StateResult;
    try {
      result = await this.stateWithRetryAndCatch(visit);
    } catch (error) {
      throw this.located(error, visit);
    }
    if (state.Type !== 'Fail') {
      this.history.add(frame.cursor, `${state.Type}StateExited`, { name, output: payloadText(result.output), outputDetails: { truncated: false } });
    }
    return result;
  }

  /** Adds where a field's runtime error happened, as AWS words it, and records EvaluationFailed for JSONata. */
  private located(error: unknown, visit: StateVisit): unknown {
    if (!(error instanceof StateRuntimeError)) return error;
    const located = new StatesError(error.error, runtimeCause(visit.name, visit.enteredId, error.cause));
    if (error.error === STATES_ERRORS.QueryEvaluationError) {
      this.history.add(visit.frame.cursor, 'EvaluationFailed', { error: located.error, cause: located.cause, location: error.field, state: visit.name });
    }
    return located;
  }

  private async stateWithRetryAndCatch(visit: StateVisit): Promise<StateResult> {
    const { state } = visit;
    const retry = new RetryState(state.Retry ?? [], this.random);
    for (;;) {
      try {
        return await this.execute(visit);
      } catch (thrown) {
        if (isAbort(thrown) || visit.frame.signal.aborted) throw thrown;
        const error = this.located(thrown, visit);
        if (!(error instanceof StatesError)) throw error;
        const delay = state.Retry ? retry.nextDelayMs(error.error) : undefined;
        if (delay !== undefined) {
          await this.deps.clock.sleep(delay, visit.frame.signal);
          visit.retryCount = retry.count;
          continue;
        }
        const catcher = (state.Catch ?? []).find((candidate) => errorMatches(candidate.ErrorEquals, error.error));
        if (!catcher) throw error;
        return this.caught(visit, catcher, error);
      }
    }
  }

  private async caught(visit: StateVisit, catcher: Catcher, error: StatesError): Promise<StateResult> {
    const errorOutput = error.output;
    if (visit.language === 'JSONata') {
      const states = { errorOutput };
      const output = catcher.Output === undefined ? errorOutput : await this.jsonata(catcher.Output, visit, 'Output', states);
      if (catcher.Assign) visit.frame.variables.assign((await this.jsonata(catcher.Assign, visit, 'Assign', states)) as Record<string, unknown>);
      return { output, next: catcher.Next };
    }
    const output = applyResultPath(catcher.ResultPath, visit.rawInput, errorOutput);
    if (catcher.Assign) visit.frame.variables.assign(applyPayloadTemplate(catcher.Assign, errorOutput, this.pathScope(visit)) as Record<string, unknown>);
    return { output, next: catcher.Next };
  }

  private next(state: StateDefinition): string | undefined {
    return state.End ? undefined : state.Next;
  }

  /** One attempt at a state: its input processing, its work, its output processing and Assign. */
  private async execute(visit: StateVisit): Promise<StateResult> {
    const { state } = visit;
    switch (state.Type) {
      case 'Pass':
        return this.finish(visit, async (input) => (visit.language === 'JSONPath' && 'Result' in state ? state.Result : input), 'input');
      case 'Task':
        // A callback task's token is in the context object before Parameters/Arguments are evaluated; a new one per attempt.
        if (typeof state.Resource === 'string' && state.Resource.endsWith('.waitForTaskToken')) {
          visit.taskToken = this.deps.newTaskToken({ executionArn: this.info.executionArn, stateName: visit.name });
        }
        return this.finish(visit, (input) => this.task(visit, input), 'result');
      case 'Parallel':
        return this.finish(visit, (input) => this.parallel(visit, input), 'result');
      case 'Map':
        return this.finish(visit, (input) => this.map(visit, input), 'result');
      case 'Wait':
        return this.finish(visit, async (input) => {
          await this.wait(visit, input);
          return input;
        }, 'input');
      case 'Succeed':
        return { ...(await this.finish(visit, async (input) => input, 'input')), next: undefined };
      case 'Choice':
        return this.choice(visit);
      case 'Fail':
        throw await this.fail(visit);
    }
  }

  /**
   * The I/O processing around a state's work. JSONPath: InputPath → Parameters → work → ResultSelector →
   * ResultPath → OutputPath. JSONata: Arguments → work → Output (default `$states.result`, or the input for
   * states without a result). Assign sees the result and the variables as they were before the state.
   */
  private async finish(visit: StateVisit, work: (input: unknown) => Promise<unknown>, defaultOutput: 'input' | 'result'): Promise<StateResult> {
    const { state } = visit;
    if (visit.language === 'JSONata') {
      const argumentsValue = state.Arguments === undefined ? visit.rawInput : await this.jsonata(state.Arguments, visit, 'Arguments');
      const result = await work(argumentsValue);
      const states = defaultOutput === 'result' || state.Type === 'Pass' ? { result } : {};
      const [output, assigned] = await Promise.all([
        state.Output === undefined ? (defaultOutput === 'result' ? result : visit.rawInput) : this.jsonata(state.Output, visit, 'Output', states),
        state.Assign ? this.jsonata(state.Assign, visit, 'Assign', states) : undefined,
      ]);
      if (assigned) visit.frame.variables.assign(assigned as Record<string, unknown>);
      return { output, next: this.next(state) };
    }
    const scope = this.pathScope(visit);
    const effective = applyFilterPath(state.InputPath, visit.rawInput, scope, 'InputPath');
    const parameters = state.Parameters === undefined || state.Type === 'Map' ? effective : applyPayloadTemplate(state.Parameters, effective, scope);
    const result = await work(parameters);
    if (defaultOutput === 'input' && state.Type !== 'Pass') {
      const output = applyFilterPath(state.OutputPath, result, scope, 'OutputPath');
      if (state.Assign) visit.frame.variables.assign(applyPayloadTemplate(state.Assign, result, scope) as Record<string, unknown>);
      return { output, next: this.next(state) };
    }
    const selected = state.ResultSelector === undefined ? result : applyPayloadTemplate(state.ResultSelector, result, scope);
    const combined = applyResultPath(state.ResultPath, visit.rawInput, selected);
    const output = applyFilterPath(state.OutputPath, combined, scope, 'OutputPath');
    if (state.Assign) visit.frame.variables.assign(applyPayloadTemplate(state.Assign, selected, scope) as Record<string, unknown>);
    return { output, next: this.next(state) };
  }

  private async choice(visit: StateVisit): Promise<StateResult> {
    const { state } = visit;
    if (visit.language === 'JSONata') {
      for (const rule of state.Choices ?? []) {
        const matched = typeof rule.Condition === 'boolean' ? rule.Condition : await this.jsonata(rule.Condition, visit, 'Condition');
        if (typeof matched !== 'boolean') {
          throw new StateRuntimeError(STATES_ERRORS.QueryEvaluationError, `The Condition field '${String(rule.Condition)}' must evaluate to a boolean, got ${JSON.stringify(matched)}.`, 'Condition');
        }
        if (!matched) continue;
        const output = rule.Output === undefined ? visit.rawInput : await this.jsonata(rule.Output, visit, 'Output');
        if (rule.Assign) visit.frame.variables.assign((await this.jsonata(rule.Assign, visit, 'Assign')) as Record<string, unknown>);
        return { output, next: rule.Next };
      }
      return this.choiceDefault(visit, visit.rawInput);
    }
    const scope = this.pathScope(visit);
    const effective = applyFilterPath(state.InputPath, visit.rawInput, scope, 'InputPath');
    for (const rule of state.Choices ?? []) {
      let matched: boolean;
      try {
        matched = matchesChoiceRule(rule, effective, scope);
      } catch (error) {
        throw new StateRuntimeError(STATES_ERRORS.Runtime, (error as Error).message, 'Choices');
      }
      if (!matched) continue;
      if (rule.Assign) visit.frame.variables.assign(applyPayloadTemplate(rule.Assign, effective, scope) as Record<string, unknown>);
      return { output: applyFilterPath(state.OutputPath, effective, scope, 'OutputPath'), next: rule.Next };
    }
    return this.choiceDefault(visit, applyFilterPath(state.OutputPath, effective, scope, 'OutputPath'));
  }

  private async choiceDefault(visit: StateVisit, output: unknown): Promise<StateResult> {
    const { state } = visit;
    if (state.Default === undefined) throw new StatesError(STATES_ERRORS.NoChoiceMatched, `No Matches!`);
    if (state.Assign) {
      const assigned = visit.language === 'JSONata' ? await this.jsonata(state.Assign, visit, 'Assign') : applyPayloadTemplate(state.Assign, visit.rawInput, this.pathScope(visit));
      visit.frame.variables.assign(assigned as Record<string, unknown>);
    }
    if (visit.language === 'JSONata' && state.Output !== undefined) return { output: await this.jsonata(state.Output, visit, 'Output'), next: state.Default };
    return { output, next: state.Default };
  }

  private async fail(visit: StateVisit): Promise<StatesError> {
    const { state } = visit;
    if (visit.language === 'JSONata') {
      const error = state.Error === undefined ? undefined : await this.jsonata(state.Error, visit, 'Error');
      const cause = state.Cause === undefined ? undefined : await this.jsonata(state.Cause, visit, 'Cause');
      return new StatesError(stringOr(error), stringOr(cause));
    }
    const scope = this.pathScope(visit);
    const error = state.ErrorPath !== undefined ? evaluateDynamicValue(state.ErrorPath, visit.rawInput, scope, 'ErrorPath') : state.Error;
    const cause = state.CausePath !== undefined ? evaluateDynamicValue(state.CausePath, visit.rawInput, scope, 'CausePath') : state.Cause;
    return new StatesError(stringOr(error), stringOr(cause));
  }

  /** Seconds or Timestamp (directly, by path, or by JSONata), then sleep on the clock. */
  private async wait(visit: StateVisit, input: unknown): Promise<void> {
    const { state } = visit;
    let seconds: unknown;
    let timestamp: unknown;
    if (visit.language === 'JSONata') {
      if (state.Seconds !== undefined) seconds = await this.jsonata(state.Seconds, visit, 'Seconds');
      if (state.Timestamp !== undefined) timestamp = await this.jsonata(state.Timestamp, visit, 'Timestamp');
    } else {
      const scope = this.pathScope(visit);
      seconds = state.SecondsPath !== undefined ? evaluateDynamicValue(state.SecondsPath, input, scope, 'SecondsPath') : state.Seconds;
      timestamp = state.TimestampPath !== undefined ? evaluateDynamicValue(state.TimestampPath, input, scope, 'TimestampPath') : state.Timestamp;
    }
    let delayMs: number;
    if (seconds !== undefined) {
      if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 0) {
        throw new StateRuntimeError(visit.language === 'JSONata' ? STATES_ERRORS.QueryEvaluationError : STATES_ERRORS.Runtime, `The Seconds value must be a non-negative integer, got ${JSON.stringify(seconds)}.`, 'Seconds');
      }
      delayMs = seconds * 1000;
    } else {
      const at = timestampOf(timestamp);
      if (at === undefined) {
        throw new StateRuntimeError(visit.language === 'JSONata' ? STATES_ERRORS.QueryEvaluationError : STATES_ERRORS.Runtime, `The Timestamp value must be an RFC 3339 timestamp such as 2026-03-14T01:59:00Z, got ${JSON.stringify(timestamp)}.`, 'Timestamp');
      }
      delayMs = Math.max(0, at - this.deps.clock.now());
    }
    await this.deps.clock.sleep(delayMs, visit.frame.signal);
  }

  /** A numeric field that may be a number, a JSONata expression or given by a `…Path` field. */
  private async numberField(visit: StateVisit, input: unknown, field: 'TimeoutSeconds' | 'HeartbeatSeconds' | 'MaxConcurrency' | 'ToleratedFailurePercentage' | 'ToleratedFailureCount'): Promise<number | undefined> {
    const { state } = visit;
    let value: unknown = state[field];
    if (visit.language === 'JSONata' && isJsonataExpression(value)) value = await this.jsonata(value, visit, field);
    const pathField = `${field}Path` as const;
    if (visit.language === 'JSONPath' && state[pathField] !== undefined) value = evaluateDynamicValue(state[pathField], input, this.pathScope(visit), pathField);
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || value < 0) {
      throw new StateRuntimeError(visit.language === 'JSONata' ? STATES_ERRORS.QueryEvaluationError : STATES_ERRORS.Runtime, `The ${field} value must be a non-negative number, got ${JSON.stringify(value)}.`, field);
    }
    return value;
  }

  private async task(visit: StateVisit, parameters: unknown): Promise<unknown> {
    const { state, frame } = visit;
    let resource: TaskResource;
    try {
      resource = parseTaskResource(state.Resource!);
    } catch (error) {
      throw new StatesError(STATES_ERRORS.Runtime, (error as Error).message);
    }
    // TimeoutSecondsPath and HeartbeatSecondsPath read the state's effective input, not its parameters.
    const effective = visit.language === 'JSONPath' ? applyFilterPath(state.InputPath, visit.rawInput, this.pathScope(visit), 'InputPath') : visit.rawInput;
    const timeoutSeconds = (await this.numberField(visit, effective, 'TimeoutSeconds')) ?? DEFAULT_TASK_TIMEOUT_SECONDS;
    const heartbeatSeconds = await this.numberField(visit, effective, 'HeartbeatSeconds');
    const events = { resourceType: resource.resourceType, resource: resource.resource };
    this.history.add(frame.cursor, 'TaskScheduled', {
      ...events,
      region: this.info.region,
      parameters: payloadText(parameters),
      ...(state.TimeoutSeconds !== undefined || state.TimeoutSecondsPath !== undefined ? { timeoutInSeconds: timeoutSeconds } : {}),
      ...(heartbeatSeconds !== undefined ? { heartbeatInSeconds: heartbeatSeconds } : {}),
    });
    this.history.add(frame.cursor, 'TaskStarted', events);

    const controller = linkedController(frame.signal);
    const timers: Promise<never>[] = [];
    const timeout = (seconds: number, error: string) =>
      this.deps.clock.sleep(seconds * 1000, controller.signal).then(() => {
        throw new StatesError(error, '');
      });
    timers.push(timeout(timeoutSeconds, STATES_ERRORS.Timeout));
    let heartbeat: AbortController | undefined;
    let rejectHeartbeat: ((error: unknown) => void) | undefined;
    const heartbeatExpired = new Promise<never>((_resolve, reject) => (rejectHeartbeat = reject));
    const restartHeartbeat = () => {
      if (heartbeatSeconds === undefined) return;
      heartbeat?.abort();
      heartbeat = linkedController(controller.signal);
      this.deps.clock.sleep(heartbeatSeconds * 1000, heartbeat.signal).then(() => rejectHeartbeat!(new StatesError(STATES_ERRORS.HeartbeatTimeout, '')), () => undefined);
    };
    restartHeartbeat();
    timers.push(heartbeatExpired);
    for (const timer of timers) timer.catch(() => undefined);

    const call: TaskCall & { taskToken?: string } = { resource, parameters, stateName: visit.name, executionArn: this.info.executionArn, stateMachineArn: this.info.stateMachineArn, roleArn: this.info.roleArn, signal: controller.signal, taskToken: visit.taskToken };
    const work = async () => {
      const submitted = await this.deps.runTask(call);
      if (resource.pattern !== 'waitForTaskToken') return submitted;
      this.history.add(frame.cursor, 'TaskSubmitted', { ...events, output: payloadText(submitted), outputDetails: { truncated: false } });
      return this.deps.awaitTaskToken(visit.taskToken!, controller.signal, restartHeartbeat);
    };
    try {
      const result = await Promise.race([work(), ...timers]);
      this.history.add(frame.cursor, 'TaskSucceeded', { ...events, output: payloadText(result), outputDetails: { truncated: false } });
      return result;
    } catch (error) {
      if (isAbort(error) || frame.signal.aborted) throw error;
      const failure = error instanceof StatesError ? error : new StatesError(STATES_ERRORS.TaskFailed, (error as Error).message ?? String(error));
      const timedOut = failure.error === STATES_ERRORS.Timeout || failure.error === STATES_ERRORS.HeartbeatTimeout;
      this.history.add(frame.cursor, timedOut ? 'TaskTimedOut' : 'TaskFailed', { ...events, error: failure.error, cause: failure.cause });
      throw failure;
    } finally {
      controller.abort(new ExecutionStopped('ABORTED', undefined, 'task settled'));
    }
  }

  /** Runs every branch at once with the same input; the first failure stops the others and fails the state. */
  private async parallel(visit: StateVisit, input: unknown): Promise<unknown[]> {
    const { state, frame } = visit;
    this.history.add(frame.cursor, 'ParallelStateStarted');
    const controller = linkedController(frame.signal);
    const started = frame.cursor.last;
    try {
      const results = await Promise.all(
        (state.Branches ?? []).map((branch) =>
          this.runBranch(branch, input, { states: branch.States, language: branch.QueryLanguage ?? visit.language, variables: frame.variables.child(), cursor: { last: started }, signal: controller.signal }).catch((error: unknown) => {
            controller.abort(new ExecutionStopped('ABORTED', undefined, 'a sibling branch failed'));
            throw error;
          }),
        ),
      );
      this.history.add(frame.cursor, 'ParallelStateSucceeded');
      return results;
    } catch (error) {
      if (frame.signal.aborted) throw error;
      this.history.add(frame.cursor, 'ParallelStateFailed');
      throw error;
    }
  }

  /** Inline Map: one iteration per item, at most MaxConcurrency at once; results in item order. */
  private async map(visit: StateVisit, effectiveInput: unknown): Promise<unknown[]> {
    const { state, frame } = visit;
    const processor = (state.ItemProcessor ?? state.Iterator)!;
    if (state.ItemReader !== undefined || state.ItemProcessor?.ProcessorConfig?.Mode === 'DISTRIBUTED') {
      throw new StatesError(STATES_ERRORS.ItemReaderFailed, `Map state ${visit.name} is a Distributed Map (ItemReader or ProcessorConfig.Mode DISTRIBUTED), which the local runtime does not run: use an inline Map.`);
    }
    let items: unknown;
    if (visit.language === 'JSONata') items = state.Items === undefined ? visit.rawInput : await this.jsonata(state.Items, visit, 'Items');
    else items = state.ItemsPath === undefined ? effectiveInput : applyFilterPath(state.ItemsPath, effectiveInput, this.pathScope(visit), 'ItemsPath');
    if (!Array.isArray(items)) {
      const field = visit.language === 'JSONata' ? 'Items' : 'ItemsPath';
      throw new StateRuntimeError(visit.language === 'JSONata' ? STATES_ERRORS.QueryEvaluationError : STATES_ERRORS.Runtime, `The ${field} field must resolve to a JSON array, got ${JSON.stringify(items)}.`, field);
    }
    const maxConcurrency = (await this.numberField(visit, effectiveInput, 'MaxConcurrency')) ?? 0;
    const toleratedCount = await this.numberField(visit, effectiveInput, 'ToleratedFailureCount');
    const toleratedPercentage = await this.numberField(visit, effectiveInput, 'ToleratedFailurePercentage');
    const tolerant = toleratedCount !== undefined || toleratedPercentage !== undefined;
    this.history.add(frame.cursor, 'MapStateStarted', { length: items.length });
    const started = frame.cursor.last;
    const controller = linkedController(frame.signal);
    const results: unknown[] = new Array(items.length);
    let failures = 0;
    let firstFailure: unknown;
    let nextIndex = 0;
    const selector = state.ItemSelector ?? (visit.language === 'JSONPath' ? state.Parameters : undefined);

    const runOne = async (index: number): Promise<void> => {
      const item = items[index];
      const iterationFrame: Frame = { states: processor.States, language: processor.QueryLanguage ?? visit.language, variables: frame.variables.child(), cursor: { last: started }, signal: controller.signal, mapItem: { Index: index, Value: item } };
      const itemVisit: StateVisit = { ...visit, frame: iterationFrame };
      let iterationInput: unknown = item;
      if (selector !== undefined) {
        iterationInput = visit.language === 'JSONata' ? await this.jsonata(selector, itemVisit, 'ItemSelector') : applyPayloadTemplate(selector, effectiveInput, this.pathScope(itemVisit));
      }
      this.history.add(iterationFrame.cursor, 'MapIterationStarted', { name: visit.name, index });
      try {
        results[index] = await this.runBranch(processor, iterationInput, iterationFrame);
        this.history.add(iterationFrame.cursor, 'MapIterationSucceeded', { name: visit.name, index });
      } catch (error) {
        if (isAbort(error)) throw error;
        this.history.add(iterationFrame.cursor, 'MapIterationFailed', { name: visit.name, index });
        failures += 1;
        const exceeded =
          !tolerant ||
          (toleratedCount !== undefined && failures > toleratedCount) ||
          (toleratedPercentage !== undefined && (failures / Math.max(1, items.length)) * 100 > toleratedPercentage);
        if (!exceeded) {
          results[index] = error instanceof StatesError ? error.output : { Error: STATES_ERRORS.Runtime, Cause: String(error) };
          return;
        }
        firstFailure ??= tolerant ? new StatesError(STATES_ERRORS.ExceedToleratedFailureThreshold, 'The specified tolerated failure threshold was exceeded') : error;
        controller.abort(new ExecutionStopped('ABORTED', undefined, 'an iteration failed'));
        throw firstFailure;
      }
    };
    const worker = async (): Promise<void> => {
      while (nextIndex < items.length && !controller.signal.aborted) {
        const index = nextIndex;
        nextIndex += 1;
        await runOne(index);
      }
    };
    const workers = Math.max(1, maxConcurrency === 0 ? items.length : Math.min(maxConcurrency, items.length));
    try {
      await Promise.all(Array.from({ length: workers }, () => worker()));
      if (firstFailure) throw firstFailure;
      this.history.add(frame.cursor, 'MapStateSucceeded');
      return results;
    } catch (error) {
      if (frame.signal.aborted) throw error;
      this.history.add(frame.cursor, 'MapStateFailed');
      throw firstFailure ?? error;
    }
  }
}

function stringOr(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}
