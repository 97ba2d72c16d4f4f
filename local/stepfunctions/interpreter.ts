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
import type { BranchDefinition, Catcher, StateDefinition, StateMachineDefinition } from './definition.ts';
import { errorMatches, runtimeCause, STATES_ERRORS, StatesError } from './errors.ts';
import { payloadText, type ExecutionHistory, type HistoryCursor } from './history.ts';
import { evaluateJsonataTemplate, isJsonataExpression, type JsonataScope, type StatesBinding } from './jsonata.ts';
import type { PathScope } from './paths.ts';
import { applyFilterPath, applyPayloadTemplate, applyResultPath, evaluateDynamicValue, StateRuntimeError } from './payload.ts';
import { RetryState } from './retry.ts';
import { runMapState, runParallelState } from './branchStates.ts';
import {
  ExecutionStopped,
  isAbort,
  stringOr,
  Variables,
  type ExecutionInfo,
  type ExecutionOutcome,
  type Frame,
  type ResumePoint,
  type RunnerDependencies,
  type StateResult,
  type StateVisit,
} from './executionModel.ts';
import { runTaskState } from './taskState.ts';

export {
  ExecutionStopped,
  type ExecutionInfo,
  type ExecutionOutcome,
  type ExecutionStatus,
  type ResumePoint,
  type RunnerDependencies,
} from './executionModel.ts';

export class ExecutionRunner {
  private readonly random: () => number;
  /** The execution's own frame: its states are the checkpoints a restarted runtime resumes from. */
  private root: Frame | undefined;

  constructor(
    private readonly definition: StateMachineDefinition,
    readonly info: ExecutionInfo,
    readonly deps: RunnerDependencies,
    readonly history: ExecutionHistory,
    private readonly signal: AbortSignal,
  ) {
    this.random = deps.random ?? Math.random;
  }

  private iso(ms = this.deps.clock.now()): string {
    return new Date(ms).toISOString();
  }

  /**
   * Runs the execution to its end; never throws. `resume` starts it again at a top-level state after a
   * restart of the runtime (its history already holds what came before): the state is entered anew.
   */
  async run(resume?: ResumePoint): Promise<ExecutionOutcome> {
    const cursor: HistoryCursor = { last: this.history.events.length };
    if (!resume) {
      this.history.add(cursor, 'ExecutionStarted', {
        input: payloadText(this.info.input),
        inputDetails: { truncated: false },
        ...(this.info.roleArn ? { roleArn: this.info.roleArn } : {}),
      });
    }
    const frame: Frame = {
      states: this.definition.States,
      language: this.definition.QueryLanguage ?? 'JSONPath',
      variables: new Variables(),
      cursor,
      signal: this.signal,
    };
    this.root = frame;
    if (resume) frame.variables.assign(resume.variables);
    try {
      const output = resume
        ? await this.runBranch(this.definition, resume.input, frame, resume.state)
        : await this.runBranch(this.definition, this.info.input, frame);
      this.history.add(cursor, 'ExecutionSucceeded', { output: payloadText(output), outputDetails: { truncated: false } });
      return { status: 'SUCCEEDED', output };
    } catch (error) {
      const stopped =
        error instanceof ExecutionStopped
          ? error
          : this.signal.reason instanceof ExecutionStopped && this.signal.aborted
            ? this.signal.reason
            : undefined;
      if (stopped) {
        const details = {
          ...(stopped.error !== undefined ? { error: stopped.error } : {}),
          ...(stopped.cause !== undefined ? { cause: stopped.cause } : {}),
        };
        this.history.add(cursor, stopped.status === 'ABORTED' ? 'ExecutionAborted' : 'ExecutionTimedOut', details);
        return { status: stopped.status, ...details };
      }
      const failure =
        error instanceof StatesError
          ? error
          : new StatesError(STATES_ERRORS.Runtime, `Internal error of the local interpreter: ${(error as Error).message}`);
      this.history.add(cursor, 'ExecutionFailed', { error: failure.error, cause: failure.cause });
      return { status: 'FAILED', error: failure.error, cause: failure.cause };
    }
  }

  /** Runs a branch's states from StartAt (or `from`) to its end (the Parallel and Map states' iterations too); returns its output. */
  async runBranch(branch: BranchDefinition, input: unknown, frame: Frame, from: string = branch.StartAt): Promise<unknown> {
    let name: string | undefined = from;
    let value = input;
    while (name !== undefined) {
      if (frame.signal.aborted)
        throw frame.signal.reason instanceof Error ? frame.signal.reason : new ExecutionStopped('ABORTED', undefined, undefined);
      const state: StateDefinition = frame.states[name]!;
      if (frame === this.root) this.deps.onStateEntered?.(name, value, frame.variables.all());
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

  pathScope(visit: StateVisit): PathScope {
    return { context: this.context(visit), variables: visit.frame.variables.all() };
  }

  private jsonataScope(visit: StateVisit, states: Partial<StatesBinding> = {}): JsonataScope {
    return { states: { input: visit.rawInput, context: this.context(visit), ...states }, variables: visit.frame.variables.all() };
  }

  /** A JSONata field value: `{% %}` strings evaluated anywhere inside it. */
  jsonata(value: unknown, visit: StateVisit, field: string, states: Partial<StatesBinding> = {}): Promise<unknown> {
    return evaluateJsonataTemplate(value, this.jsonataScope(visit, states), field).catch((error: unknown) => {
      if (error instanceof StatesError && !(error instanceof StateRuntimeError))
        throw new StateRuntimeError(error.error, error.cause, field);
      throw error;
    });
  }

  private async runState(name: string, state: StateDefinition, rawInput: unknown, frame: Frame): Promise<StateResult> {
    const enteredTime = this.iso();
    const enteredId = this.history.add(frame.cursor, `${state.Type}StateEntered`, {
      name,
      input: payloadText(rawInput),
      inputDetails: { truncated: false },
    });
    const visit: StateVisit = {
      name,
      state,
      frame,
      language: state.QueryLanguage ?? frame.language,
      rawInput,
      enteredId,
      enteredTime,
      retryCount: 0,
    };
    let result: StateResult;
    try {
      result = await this.stateWithRetryAndCatch(visit);
    } catch (error) {
      throw this.located(error, visit);
    }
    if (state.Type !== 'Fail') {
      this.history.add(frame.cursor, `${state.Type}StateExited`, {
        name,
        output: payloadText(result.output),
        outputDetails: { truncated: false },
      });
    }
    return result;
  }

  /** Adds where a field's runtime error happened, as AWS words it, and records EvaluationFailed for JSONata. */
  private located(error: unknown, visit: StateVisit): unknown {
    if (!(error instanceof StateRuntimeError)) return error;
    const located = new StatesError(error.error, runtimeCause(visit.name, visit.enteredId, error.cause));
    if (error.error === STATES_ERRORS.QueryEvaluationError) {
      this.history.add(visit.frame.cursor, 'EvaluationFailed', {
        error: located.error,
        cause: located.cause,
        location: error.field,
        state: visit.name,
      });
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
      if (catcher.Assign)
        visit.frame.variables.assign((await this.jsonata(catcher.Assign, visit, 'Assign', states)) as Record<string, unknown>);
      return { output, next: catcher.Next };
    }
    const output = applyResultPath(catcher.ResultPath, visit.rawInput, errorOutput);
    if (catcher.Assign)
      visit.frame.variables.assign(applyPayloadTemplate(catcher.Assign, errorOutput, this.pathScope(visit)) as Record<string, unknown>);
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
        return this.finish(
          visit,
          async (input) => {
            await this.wait(visit, input);
            return input;
          },
          'input',
        );
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
  private async finish(
    visit: StateVisit,
    work: (input: unknown) => Promise<unknown>,
    defaultOutput: 'input' | 'result',
  ): Promise<StateResult> {
    const { state } = visit;
    if (visit.language === 'JSONata') {
      const argumentsValue = state.Arguments === undefined ? visit.rawInput : await this.jsonata(state.Arguments, visit, 'Arguments');
      const result = await work(argumentsValue);
      const states = defaultOutput === 'result' || state.Type === 'Pass' ? { result } : {};
      const [output, assigned] = await Promise.all([
        state.Output === undefined
          ? defaultOutput === 'result'
            ? result
            : visit.rawInput
          : this.jsonata(state.Output, visit, 'Output', states),
        state.Assign ? this.jsonata(state.Assign, visit, 'Assign', states) : undefined,
      ]);
      if (assigned) visit.frame.variables.assign(assigned as Record<string, unknown>);
      return { output, next: this.next(state) };
    }
    const scope = this.pathScope(visit);
    const effective = applyFilterPath(state.InputPath, visit.rawInput, scope, 'InputPath');
    const parameters =
      state.Parameters === undefined || state.Type === 'Map' ? effective : applyPayloadTemplate(state.Parameters, effective, scope);
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
          throw new StateRuntimeError(
            STATES_ERRORS.QueryEvaluationError,
            `The Condition field '${String(rule.Condition)}' must evaluate to a boolean, got ${JSON.stringify(matched)}.`,
            'Condition',
          );
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
      const assigned =
        visit.language === 'JSONata'
          ? await this.jsonata(state.Assign, visit, 'Assign')
          : applyPayloadTemplate(state.Assign, visit.rawInput, this.pathScope(visit));
      visit.frame.variables.assign(assigned as Record<string, unknown>);
    }
    if (visit.language === 'JSONata' && state.Output !== undefined)
      return { output: await this.jsonata(state.Output, visit, 'Output'), next: state.Default };
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
      timestamp =
        state.TimestampPath !== undefined ? evaluateDynamicValue(state.TimestampPath, input, scope, 'TimestampPath') : state.Timestamp;
    }
    let delayMs: number;
    if (seconds !== undefined) {
      if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 0) {
        throw new StateRuntimeError(
          visit.language === 'JSONata' ? STATES_ERRORS.QueryEvaluationError : STATES_ERRORS.Runtime,
          `The Seconds value must be a non-negative integer, got ${JSON.stringify(seconds)}.`,
          'Seconds',
        );
      }
      delayMs = seconds * 1000;
    } else {
      const at = timestampOf(timestamp);
      if (at === undefined) {
        throw new StateRuntimeError(
          visit.language === 'JSONata' ? STATES_ERRORS.QueryEvaluationError : STATES_ERRORS.Runtime,
          `The Timestamp value must be an RFC 3339 timestamp such as 2026-03-14T01:59:00Z, got ${JSON.stringify(timestamp)}.`,
          'Timestamp',
        );
      }
      delayMs = Math.max(0, at - this.deps.clock.now());
    }
    await this.deps.clock.sleep(delayMs, visit.frame.signal);
  }

  /** A numeric field that may be a number, a JSONata expression or given by a `…Path` field. */
  async numberField(
    visit: StateVisit,
    input: unknown,
    field: 'TimeoutSeconds' | 'HeartbeatSeconds' | 'MaxConcurrency' | 'ToleratedFailurePercentage' | 'ToleratedFailureCount',
  ): Promise<number | undefined> {
    const { state } = visit;
    let value: unknown = state[field];
    if (visit.language === 'JSONata' && isJsonataExpression(value)) value = await this.jsonata(value, visit, field);
    const pathField = `${field}Path` as const;
    if (visit.language === 'JSONPath' && state[pathField] !== undefined)
      value = evaluateDynamicValue(state[pathField], input, this.pathScope(visit), pathField);
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || value < 0) {
      throw new StateRuntimeError(
        visit.language === 'JSONata' ? STATES_ERRORS.QueryEvaluationError : STATES_ERRORS.Runtime,
        `The ${field} value must be a non-negative number, got ${JSON.stringify(value)}.`,
        field,
      );
    }
    return value;
  }

  /** Task states: taskState.ts. */
  private task(visit: StateVisit, parameters: unknown): Promise<unknown> {
    return runTaskState(this, visit, parameters);
  }

  /** Parallel states: branchStates.ts. */
  private parallel(visit: StateVisit, input: unknown): Promise<unknown[]> {
    return runParallelState(this, visit, input);
  }

  /** Map states: branchStates.ts. */
  private map(visit: StateVisit, effectiveInput: unknown): Promise<unknown[]> {
    return runMapState(this, visit, effectiveInput);
  }
}
