/** Task states: the integration called (request-response, .sync or .waitForTaskToken), with TimeoutSeconds and HeartbeatSeconds. */
import { STATES_ERRORS, StatesError } from './errors.ts';
import { payloadText } from './history.ts';
import { parseTaskResource, type TaskCall, type TaskResource } from './integrations/types.ts';
import { applyFilterPath } from './payload.ts';
import { ExecutionStopped, isAbort, linkedController, DEFAULT_TASK_TIMEOUT_SECONDS, type StateVisit } from './executionModel.ts';
import type { ExecutionRunner } from './interpreter.ts';

export async function runTaskState(runner: ExecutionRunner, visit: StateVisit, parameters: unknown): Promise<unknown> {
  const { state, frame } = visit;
  let resource: TaskResource;
  try {
    resource = parseTaskResource(state.Resource!);
  } catch (error) {
    throw new StatesError(STATES_ERRORS.Runtime, (error as Error).message);
  }
  // TimeoutSecondsPath and HeartbeatSecondsPath read the state's effective input, not its parameters.
  const effective =
    visit.language === 'JSONPath' ? applyFilterPath(state.InputPath, visit.rawInput, runner.pathScope(visit), 'InputPath') : visit.rawInput;
  const timeoutSeconds = (await runner.numberField(visit, effective, 'TimeoutSeconds')) ?? DEFAULT_TASK_TIMEOUT_SECONDS;
  const heartbeatSeconds = await runner.numberField(visit, effective, 'HeartbeatSeconds');
  const events = { resourceType: resource.resourceType, resource: resource.resource };
  runner.history.add(frame.cursor, 'TaskScheduled', {
    ...events,
    region: runner.info.region,
    parameters: payloadText(parameters),
    ...(state.TimeoutSeconds !== undefined || state.TimeoutSecondsPath !== undefined ? { timeoutInSeconds: timeoutSeconds } : {}),
    ...(heartbeatSeconds !== undefined ? { heartbeatInSeconds: heartbeatSeconds } : {}),
  });
  runner.history.add(frame.cursor, 'TaskStarted', events);

  const controller = linkedController(frame.signal);
  const timers: Promise<never>[] = [];
  const timeout = (seconds: number, error: string) =>
    runner.deps.clock.sleep(seconds * 1000, controller.signal).then(() => {
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
    runner.deps.clock.sleep(heartbeatSeconds * 1000, heartbeat.signal).then(
      () => rejectHeartbeat!(new StatesError(STATES_ERRORS.HeartbeatTimeout, '')),
      () => undefined,
    );
  };
  restartHeartbeat();
  timers.push(heartbeatExpired);
  for (const timer of timers) timer.catch(() => undefined);

  const call: TaskCall & { taskToken?: string } = {
    resource,
    parameters,
    stateName: visit.name,
    executionArn: runner.info.executionArn,
    stateMachineArn: runner.info.stateMachineArn,
    roleArn: runner.info.roleArn,
    signal: controller.signal,
    taskToken: visit.taskToken,
  };
  const work = async () => {
    const submitted = await runner.deps.runTask(call);
    if (resource.pattern !== 'waitForTaskToken') return submitted;
    runner.history.add(frame.cursor, 'TaskSubmitted', { ...events, output: payloadText(submitted), outputDetails: { truncated: false } });
    return runner.deps.awaitTaskToken(visit.taskToken!, controller.signal, restartHeartbeat);
  };
  try {
    const result = await Promise.race([work(), ...timers]);
    runner.history.add(frame.cursor, 'TaskSucceeded', { ...events, output: payloadText(result), outputDetails: { truncated: false } });
    return result;
  } catch (error) {
    if (isAbort(error) || frame.signal.aborted) throw error;
    const failure =
      error instanceof StatesError ? error : new StatesError(STATES_ERRORS.TaskFailed, (error as Error).message ?? String(error));
    const timedOut = failure.error === STATES_ERRORS.Timeout || failure.error === STATES_ERRORS.HeartbeatTimeout;
    runner.history.add(frame.cursor, timedOut ? 'TaskTimedOut' : 'TaskFailed', { ...events, error: failure.error, cause: failure.cause });
    throw failure;
  } finally {
    controller.abort(new ExecutionStopped('ABORTED', undefined, 'task settled'));
  }
}
