/**
 * Step Functions, locally: state machines, their executions (Standard and Express), execution history,
 * task tokens, with the API's request and response shapes (StartExecution, StartSyncExecution,
 * DescribeExecution, ListExecutions, GetExecutionHistory, StopExecution, SendTaskSuccess/Failure/Heartbeat,
 * DescribeStateMachine, ListStateMachines). Task states run through the integrations it is given;
 * a Resource no integration serves fails its task, naming the resource.
 *
 * @example
 * const sfn = new LocalStepFunctions({ region: 'us-east-1', accountId: '123456789012', integrations: { 'events:putEvents': putEventsIntegration(bus) } });
 * const { stateMachineArn } = sfn.createStateMachine({ name: 'saga', definition, roleArn });
 * const { executionArn } = sfn.startExecution({ stateMachineArn, input: '{"id":"1"}' });
 * await sfn.idle();
 * sfn.describeExecution({ executionArn }).status; // 'SUCCEEDED'
 */
import { randomUUID } from 'node:crypto';
import { StepFunctionsApiError } from './apiErrors.ts';
import { realClock, type Clock } from './clock.ts';
import { parseDefinition, type StateMachineDefinition } from './definition.ts';
import { STATES_ERRORS, StatesError } from './errors.ts';
import { ExecutionHistory, type HistoryEvent } from './history.ts';
import { parseTaskResource, type TaskCall, type TaskIntegration } from './integrations/types.ts';
import { ExecutionRunner, ExecutionStopped, type ExecutionOutcome, type ExecutionStatus, type ResumePoint } from './interpreter.ts';
import { ExecutionJournal, endedExecution, notResumable } from './executionJournal.ts';
import { TaskTokens } from './taskTokens.ts';
import {
  type StateMachineType,
  type StateMachine,
  type Execution,
  type TaskIntegrations,
  type LocalStepFunctionsOptions,
  isValidName,
  seconds,
  parseJsonInput,
  unsupported,
  listed,
  describe,
  page,
} from './executionRecords.ts';

export type { StateMachineType, StateMachine, Execution, TaskIntegrations, LocalStepFunctionsOptions } from './executionRecords.ts';

export class LocalStepFunctions {
  readonly region: string;
  readonly accountId: string;
  private readonly clock: Clock;
  private readonly machines = new Map<string, StateMachine>();
  private readonly executions = new Map<string, Execution>();
  private readonly tokens = new TaskTokens();
  private readonly integrations: TaskIntegrations;
  /** Where Standard executions are written down as they run, when the runtime keeps state on disk (`journalDir`). */
  private readonly journal: ExecutionJournal | undefined;
  private closed = false;

  constructor(private readonly options: LocalStepFunctionsOptions = {}) {
    this.region = options.region ?? 'us-east-1';
    this.accountId = options.accountId ?? '123456789012';
    this.clock = options.clock ?? realClock;
    this.integrations = { ...(options.integrations ?? {}) };
    this.integrations['states:startExecution'] ??= (call) => this.startExecutionTask(call);
    this.journal = options.journalDir ? new ExecutionJournal(options.journalDir) : undefined;
  }

  /**
   * After a restart on the same `journalDir`, once the state machines are created again: every Standard
   * execution written there is back (listed, described, its history), and each one that had not ended
   * resumes at the top-level state it was in, entering it anew (a task is sent again: at least once, as
   * a retry would). Tokens handed out to that task before the restart answer it now. An execution whose
   * machine or state is gone fails (`States.Runtime`), saying why. Returns how many resumed.
   *
   * @example
   * loadStateMachines(sfn, assembly);
   * sfn.resumeJournaledExecutions(); // 2
   */
  resumeJournaledExecutions(): number {
    if (!this.options.journalDir || !this.journal) return 0;
    let resumed = 0;
    for (const journaled of ExecutionJournal.read(this.options.journalDir)) {
      const { executionArn, checkpoint } = journaled;
      if (this.executions.has(executionArn)) continue;
      const machine = this.machines.get(journaled.stateMachineArn);
      const history = new ExecutionHistory(() => this.clock.now());
      history.events.push(...journaled.events);
      const started = { ...journaled, inputText: journaled.input, input: JSON.parse(journaled.input) as unknown };
      const resumable =
        !journaled.ended && machine !== undefined && checkpoint !== undefined && checkpoint.state in machine.definition.States;
      for (const token of journaled.pastTokens) this.tokens.restore(token, { executionArn, stateName: '' }, false);
      for (const live of journaled.liveTokens) this.tokens.restore(live.token, { executionArn, stateName: live.state }, resumable);
      if (resumable) {
        this.launch(machine, started, history, checkpoint);
        resumed += 1;
        continue;
      }
      let ended = journaled.ended;
      if (!ended) {
        ended = notResumable(journaled, machine, new Date(this.clock.now()));
        this.journal.write(journaled.stateMachineArn.split(':').at(-1)!, {
          kind: 'ended',
          executionArn,
          ...ended,
          stopDate: ended.stopDate.getTime(),
        });
      }
      this.executions.set(executionArn, endedExecution(started, history, ended));
    }
    return resumed;
  }

  /** Adds or replaces integrations (by key) after construction, e.g. once the bus exists. */
  useIntegrations(integrations: TaskIntegrations): void {
    Object.assign(this.integrations, integrations);
  }

  stateMachineArn(name: string): string {
    return `arn:aws:states:${this.region}:${this.accountId}:stateMachine:${name}`;
  }

  /** CreateStateMachine: throws `InvalidDefinition` for a definition AWS would refuse. */
  createStateMachine(request: { name: string; definition: string | object; roleArn?: string; type?: StateMachineType; arn?: string }): {
    stateMachineArn: string;
    creationDate: Date;
  } {
    if (!isValidName(request.name)) throw new StepFunctionsApiError('InvalidName', `Invalid Name: '${request.name}'`);
    let definition: StateMachineDefinition;
    try {
      definition = parseDefinition(request.definition);
    } catch (error) {
      throw new StepFunctionsApiError('InvalidDefinition', (error as Error).message);
    }
    const arn = request.arn ?? this.stateMachineArn(request.name);
    const machine: StateMachine = {
      name: request.name,
      arn,
      type: request.type ?? 'STANDARD',
      roleArn: request.roleArn,
      definitionText: typeof request.definition === 'string' ? request.definition : JSON.stringify(request.definition),
      definition,
      creationDate: new Date(this.clock.now()),
    };
    this.machines.set(arn, machine);
    return { stateMachineArn: arn, creationDate: machine.creationDate };
  }

  /** Task resources of a machine that no integration here serves: listed at start so the log says so. */
  unsupportedResources(stateMachineArn: string): string[] {
    const machine = this.machine(stateMachineArn);
    const found = new Set<string>();
    const visit = (states: StateMachineDefinition['States']) => {
      for (const state of Object.values(states)) {
        if (state.Type === 'Task' && state.Resource && !this.integrationFor(state.Resource)) found.add(state.Resource);
        for (const branch of state.Branches ?? []) visit(branch.States);
        const processor = state.ItemProcessor ?? state.Iterator;
        if (processor) visit(processor.States);
      }
    };
    visit(machine.definition.States);
    return [...found];
  }

  listStateMachines(): { stateMachines: { stateMachineArn: string; name: string; type: StateMachineType; creationDate: number }[] } {
    return {
      stateMachines: [...this.machines.values()].map((machine) => ({
        stateMachineArn: machine.arn,
        name: machine.name,
        type: machine.type,
        creationDate: seconds(machine.creationDate)!,
      })),
    };
  }

  describeStateMachine(request: { stateMachineArn: string }): Record<string, unknown> {
    const machine = this.machine(request.stateMachineArn);
    return {
      stateMachineArn: machine.arn,
      name: machine.name,
      status: 'ACTIVE',
      definition: machine.definitionText,
      roleArn: machine.roleArn,
      type: machine.type,
      creationDate: seconds(machine.creationDate),
    };
  }

  private machine(arn: string): StateMachine {
    if (typeof arn !== 'string' || !arn.startsWith('arn:')) throw new StepFunctionsApiError('InvalidArn', `Invalid Arn: '${String(arn)}'`);
    const machine = this.machines.get(arn);
    if (!machine) throw new StepFunctionsApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    return machine;
  }

  private execution(arn: string): Execution {
    if (typeof arn !== 'string' || !arn.startsWith('arn:')) throw new StepFunctionsApiError('InvalidArn', `Invalid Arn: '${String(arn)}'`);
    const execution = this.executions.get(arn);
    if (!execution) throw new StepFunctionsApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return execution;
  }

  /**
   * StartExecution. For a Standard machine a name may be used once; calling again with the same name and input
   * while that execution runs answers its ARN again (idempotent), anything else is `ExecutionAlreadyExists`,
   * a closed execution's name included "regardless of input" (API reference, StartExecution, `name`).
   */
  startExecution(request: { stateMachineArn: string; name?: string; input?: string }): { executionArn: string; startDate: number } {
    const execution = this.begin(request);
    return { executionArn: execution.executionArn, startDate: seconds(execution.startDate)! };
  }

  /** StartSyncExecution (Express machines only, as on AWS): runs to the end and answers with the outcome. */
  async startSyncExecution(request: { stateMachineArn: string; name?: string; input?: string }): Promise<Record<string, unknown>> {
    const machine = this.machine(request.stateMachineArn);
    if (machine.type !== 'EXPRESS')
      throw new StepFunctionsApiError('StateMachineTypeNotSupported', 'This operation is not supported by this type of state machine');
    const execution = this.begin(request);
    await execution.done;
    return this.syncResponse(execution);
  }

  /** The StartSyncExecution response of a finished execution. */
  syncResponse(execution: Execution): Record<string, unknown> {
    return {
      ...describe(execution),
      billingDetails: {
        billedMemoryUsedInMB: 64,
        billedDurationInMilliseconds: Math.max(
          100,
          Math.ceil(((execution.stopDate?.getTime() ?? 0) - execution.startDate.getTime()) / 100) * 100,
        ),
      },
    };
  }

  /** Starts an execution and returns it (the record the API answers from). */
  begin(request: { stateMachineArn: string; name?: string; input?: string }): Execution {
    if (this.closed) throw new StepFunctionsApiError('ServiceUnavailable', 'The local Step Functions service is stopped.');
    const machine = this.machine(request.stateMachineArn);
    const name = request.name ?? randomUUID();
    if (!isValidName(name)) throw new StepFunctionsApiError('InvalidName', `Invalid Name: '${name}'`);
    const inputText = request.input ?? '{}';
    const input = parseJsonInput(inputText, 'InvalidExecutionInput', 'execution input');
    const executionArn =
      machine.type === 'EXPRESS'
        ? `arn:aws:states:${this.region}:${this.accountId}:express:${machine.name}:${name}:${randomUUID()}`
        : `arn:aws:states:${this.region}:${this.accountId}:execution:${machine.name}:${name}`;
    const existing = this.executions.get(executionArn);
    if (existing) {
      if (existing.status === 'RUNNING' && existing.inputText === inputText) return existing;
      throw new StepFunctionsApiError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    const startDate = new Date(this.clock.now());
    const durable = machine.type === 'STANDARD' ? this.journal : undefined;
    durable?.write(machine.name, {
      kind: 'started',
      executionArn,
      stateMachineArn: machine.arn,
      name,
      input: inputText,
      startDate: startDate.getTime(),
    });
    return this.launch(machine, { executionArn, name, inputText, input, startDate }, new ExecutionHistory(() => this.clock.now()));
  }

  /** Runs an execution, new or resumed after a restart (`resume`: its history holds what came before), and keeps its record. */
  private launch(
    machine: StateMachine,
    started: { executionArn: string; name: string; inputText: string; input: unknown; startDate: Date },
    history: ExecutionHistory,
    resume?: ResumePoint,
  ): Execution {
    const { executionArn, name, inputText, input, startDate } = started;
    const durable = machine.type === 'STANDARD' ? this.journal : undefined;
    history.onAdd = durable && ((event) => durable.write(machine.name, { kind: 'event', executionArn, event }));
    const controller = new AbortController();
    const runner = new ExecutionRunner(
      machine.definition,
      {
        executionArn,
        name,
        stateMachineArn: machine.arn,
        stateMachineName: machine.name,
        roleArn: machine.roleArn,
        startTime: startDate.toISOString(),
        input,
        region: this.region,
      },
      {
        clock: this.clock,
        random: this.options.random,
        runTask: (call) => this.runTask(call),
        newTaskToken: (info) => {
          const token = this.tokens.issue(info);
          durable?.write(machine.name, { kind: 'token', executionArn, state: info.stateName, token });
          return token;
        },
        awaitTaskToken: (token, signal, onHeartbeat) => this.tokens.wait(token, signal, onHeartbeat),
        onStateEntered:
          durable &&
          ((state, stateInput, variables) =>
            durable.write(machine.name, { kind: 'entered', executionArn, state, input: stateInput, variables })),
      },
      history,
      controller.signal,
    );
    const execution: Execution = {
      executionArn,
      stateMachineArn: machine.arn,
      name,
      status: 'RUNNING',
      startDate,
      stopDate: undefined,
      inputText,
      output: undefined,
      error: undefined,
      cause: undefined,
      history,
      done: undefined as unknown as Promise<ExecutionOutcome>,
      stop: (reason) => controller.abort(reason),
    };
    this.executions.set(executionArn, execution);
    this.options.onEvent?.(`stepfunctions ${machine.name} execution ${name} ${resume ? `resumed at ${resume.state}` : 'started'}`);
    const timeoutSeconds = machine.definition.TimeoutSeconds;
    const timeout = new AbortController();
    if (timeoutSeconds !== undefined) {
      // The machine's deadline counts from the execution's start, across restarts.
      const left = Math.max(0, startDate.getTime() + timeoutSeconds * 1000 - this.clock.now());
      this.clock.sleep(left, timeout.signal).then(
        () =>
          controller.abort(
            new ExecutionStopped('TIMED_OUT', STATES_ERRORS.Timeout, `The execution exceeded its TimeoutSeconds of ${timeoutSeconds}.`),
          ),
        () => undefined,
      );
    }
    execution.done = runner.run(resume).then((outcome) => {
      timeout.abort();
      execution.status = outcome.status;
      execution.stopDate = new Date(this.clock.now());
      execution.output = outcome.output;
      execution.error = outcome.error;
      execution.cause = outcome.cause;
      durable?.write(machine.name, { kind: 'ended', executionArn, stopDate: execution.stopDate.getTime(), ...outcome });
      const took = execution.stopDate.getTime() - startDate.getTime();
      this.options.onEvent?.(
        `stepfunctions ${machine.name} execution ${name} ${outcome.status} in ${took} ms${outcome.error !== undefined ? ` - ${outcome.error}${outcome.cause ? `: ${outcome.cause}` : ''}` : ''}`,
      );
      return outcome;
    });
    return execution;
  }

  describeExecution(request: { executionArn: string }): Record<string, unknown> {
    return { ...describe(this.execution(request.executionArn)), redriveCount: 0 };
  }

  /** ListExecutions, newest first, optionally by status; `maxResults` and `nextToken` page through them. */
  listExecutions(request: { stateMachineArn: string; statusFilter?: ExecutionStatus; maxResults?: number; nextToken?: string }): {
    executions: Record<string, unknown>[];
    nextToken?: string;
  } {
    const machine = this.machine(request.stateMachineArn);
    const all = [...this.executions.values()]
      .filter(
        (execution) => execution.stateMachineArn === machine.arn && (!request.statusFilter || execution.status === request.statusFilter),
      )
      .reverse()
      .map(listed);
    const { items, nextToken } = page(all, request.maxResults, request.nextToken);
    return { executions: items, ...(nextToken ? { nextToken } : {}) };
  }

  /** GetExecutionHistory: AWS's events, oldest first unless `reverseOrder`. */
  getExecutionHistory(request: {
    executionArn: string;
    maxResults?: number;
    nextToken?: string;
    reverseOrder?: boolean;
    includeExecutionData?: boolean;
  }): { events: Record<string, unknown>[]; nextToken?: string } {
    const execution = this.execution(request.executionArn);
    const events = execution.history.events.map((event) => ({ ...event, timestamp: seconds(event.timestamp) }));
    if (request.reverseOrder) events.reverse();
    const { items, nextToken } = page(events, request.maxResults, request.nextToken);
    return { events: items, ...(nextToken ? { nextToken } : {}) };
  }

  /** The history of an execution as recorded (dates as Date), for code in this process. */
  historyOf(executionArn: string): HistoryEvent[] {
    return [...this.execution(executionArn).history.events];
  }

  /** Resolves when the execution has ended. */
  async waitFor(executionArn: string): Promise<ExecutionOutcome> {
    return this.execution(executionArn).done;
  }

  stopExecution(request: { executionArn: string; error?: string; cause?: string }): { stopDate: number } {
    const execution = this.execution(request.executionArn);
    if (execution.status === 'RUNNING') execution.stop(new ExecutionStopped('ABORTED', request.error, request.cause));
    return { stopDate: this.clock.now() / 1000 };
  }

  sendTaskSuccess(request: { taskToken: string; output: string }): Record<string, never> {
    const output = parseJsonInput(request.output, 'InvalidOutput', 'output');
    this.tokens.success(this.token(request.taskToken), output);
    return {};
  }

  sendTaskFailure(request: { taskToken: string; error?: string; cause?: string }): Record<string, never> {
    this.tokens.failure(this.token(request.taskToken), request.error, request.cause);
    return {};
  }

  sendTaskHeartbeat(request: { taskToken: string }): Record<string, never> {
    this.tokens.heartbeat(this.token(request.taskToken));
    return {};
  }

  private token(token: unknown): string {
    if (typeof token !== 'string' || token.length === 0 || token.length > 2048)
      throw new StepFunctionsApiError('InvalidToken', 'Invalid token');
    return token;
  }

  /** Resolves when no execution is running (each one's end included). */
  async idle(): Promise<void> {
    for (;;) {
      const running = [...this.executions.values()].filter((execution) => execution.status === 'RUNNING');
      if (running.length === 0) return;
      await Promise.all(running.map((execution) => execution.done));
    }
  }

  /** Stops every running execution (ExecutionAborted, unless a journal keeps it to resume) and refuses new ones. */
  async close(): Promise<void> {
    this.closed = true;
    // Durable executions are not aborted by a stop: nothing more is written, so a restart resumes them.
    this.journal?.close();
    const running = [...this.executions.values()].filter((execution) => execution.status === 'RUNNING');
    for (const execution of running) execution.stop(new ExecutionStopped('ABORTED', undefined, 'The local runtime stopped.'));
    await Promise.all(running.map((execution) => execution.done));
  }

  private integrationFor(resourceArn: string): TaskIntegration | undefined {
    let resource;
    try {
      resource = parseTaskResource(resourceArn);
    } catch {
      return undefined;
    }
    return this.integrations[`${resource.service}:${resource.action}`] ?? this.integrations[`${resource.service}:*`];
  }

  private async runTask(call: TaskCall): Promise<unknown> {
    const integration = this.integrationFor(call.resource.arn);
    if (!integration)
      throw unsupported(
        call.resource.arn,
        Object.keys(this.integrations).filter((key) => this.integrations[key]),
      );
    return integration(call);
  }

  /** `arn:aws:states:::states:startExecution` (request-response, `.sync`, `.sync:2`, `.waitForTaskToken`). */
  private async startExecutionTask(call: TaskCall): Promise<unknown> {
    const parameters = (call.parameters ?? {}) as { StateMachineArn?: string; Name?: string; Input?: unknown };
    const input =
      parameters.Input === undefined
        ? undefined
        : typeof parameters.Input === 'string'
          ? parameters.Input
          : JSON.stringify(parameters.Input);
    let child: Execution;
    try {
      child = this.begin({
        stateMachineArn: String(parameters.StateMachineArn),
        ...(parameters.Name !== undefined ? { name: String(parameters.Name) } : {}),
        ...(input !== undefined ? { input } : {}),
      });
    } catch (error) {
      if (error instanceof StepFunctionsApiError) throw new StatesError(`StepFunctions.${error.code}Exception`, error.message);
      throw error;
    }
    const started = { ExecutionArn: child.executionArn, StartDate: child.startDate.getTime() };
    if (call.resource.pattern !== 'sync' && call.resource.pattern !== 'sync:2') return started;
    const onAbort = () => this.stopExecution({ executionArn: child.executionArn });
    call.signal.addEventListener('abort', onAbort, { once: true });
    const outcome = await child.done;
    call.signal.removeEventListener('abort', onAbort);
    const described = this.describeExecution({ executionArn: child.executionArn });
    const result = Object.fromEntries(Object.entries(described).map(([key, value]) => [key[0]!.toUpperCase() + key.slice(1), value]));
    result.StartDate = child.startDate.getTime();
    if (child.stopDate) result.StopDate = child.stopDate.getTime();
    if (outcome.status === 'SUCCEEDED') {
      if (call.resource.pattern === 'sync:2') result.Output = outcome.output;
      return result;
    }
    // A child that did not succeed fails the task with States.TaskFailed and the description as cause (connect-stepfunctions).
    throw new StatesError(STATES_ERRORS.TaskFailed, JSON.stringify(result));
  }
}
