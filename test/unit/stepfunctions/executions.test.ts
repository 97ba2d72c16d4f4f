/**
 * Executions as the Step Functions API shows them: history events named as AWS names them, Retry timing,
 * timeouts and heartbeats on a driven clock, callbacks, StopExecution, StartExecution's idempotency and
 * definition checks. Callback tasks use the real `states:startExecution.waitForTaskToken` integration
 * (a child execution carries the token); nothing is stubbed.
 */
import { describe, expect, it } from 'vitest';
import { LocalStepFunctions, ManualClock, StepFunctionsApiError, type HistoryEvent } from '../../../local/stepfunctions/index.ts';

/** Resolves once `condition` holds, letting pending work run in between. */
async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !condition(); i += 1) await new Promise((resolve) => setImmediate(resolve));
  if (!condition()) throw new Error('condition never held');
}

function types(events: HistoryEvent[]): string[] {
  return events.map((event) => event.type);
}

/** A child machine that waits a day: what a callback task starts, its input carrying the token. */
const CHILD = { StartAt: 'Hold', States: { Hold: { Type: 'Wait', Seconds: 86_400, End: true } } };

function withChild(sfn: LocalStepFunctions): string {
  return sfn.createStateMachine({ name: 'child', definition: CHILD }).stateMachineArn;
}

function callbackTask(childArn: string, extra: object = {}): object {
  return {
    Type: 'Task',
    Resource: 'arn:aws:states:::states:startExecution.waitForTaskToken',
    Parameters: { StateMachineArn: childArn, Input: { 'token.$': '$$.Task.Token' } },
    ...extra,
  };
}

/** The task token a callback task handed to its child execution. */
function tokenOf(sfn: LocalStepFunctions, childArn: string): string {
  const child = sfn.listExecutions({ stateMachineArn: childArn }).executions[0]!;
  const described = sfn.describeExecution({ executionArn: String(child.executionArn) }) as { input: string };
  return (JSON.parse(described.input) as { token: string }).token;
}

describe('execution history', () => {
  it('names a callback task’s events as AWS does: TaskScheduled, TaskStarted, TaskSubmitted, TaskSucceeded (API reference, HistoryEvent)', async () => {
    const sfn = new LocalStepFunctions({ clock: new ManualClock() });
    const childArn = withChild(sfn);
    const { stateMachineArn } = sfn.createStateMachine({
      name: 'parent',
      definition: { StartAt: 'Ask', States: { Ask: { ...callbackTask(childArn), End: true } } },
    });
    const { executionArn } = sfn.startExecution({ stateMachineArn, input: '{"order":1}' });
    await until(() => sfn.listExecutions({ stateMachineArn: childArn }).executions.length === 1);
    sfn.sendTaskSuccess({ taskToken: tokenOf(sfn, childArn), output: '{"approved":true}' });
    await sfn.waitFor(executionArn);

    const history = sfn.getExecutionHistory({ executionArn }).events;
    expect(history.map((event) => event.type)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSubmitted',
      'TaskSucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
    expect(history.map((event) => [event.id, event.previousEventId])).toEqual([
      [1, 0],
      [2, 1],
      [3, 2],
      [4, 3],
      [5, 4],
      [6, 5],
      [7, 6],
      [8, 7],
    ]);
    expect(history[2]!.taskScheduledEventDetails).toMatchObject({
      resourceType: 'states',
      resource: 'startExecution.waitForTaskToken',
      region: 'us-east-1',
    });
    expect(history[5]!.taskSucceededEventDetails).toMatchObject({ output: '{"approved":true}' });
    expect(sfn.describeExecution({ executionArn })).toMatchObject({ status: 'SUCCEEDED', output: '{"approved":true}' });
  });

  it('records Map iterations and Parallel branches with their own events', async () => {
    const sfn = new LocalStepFunctions({ clock: new ManualClock({ autoAdvance: true }) });
    const definition = {
      StartAt: 'M',
      States: {
        M: { Type: 'Map', ItemProcessor: { StartAt: 'I', States: { I: { Type: 'Pass', End: true } } }, Next: 'P' },
        P: { Type: 'Parallel', Branches: [{ StartAt: 'B', States: { B: { Type: 'Succeed' } } }], End: true },
      },
    };
    const { stateMachineArn } = sfn.createStateMachine({ name: 'shapes', definition });
    const { executionArn } = sfn.startExecution({ stateMachineArn, input: '[1]' });
    await sfn.waitFor(executionArn);
    expect(types(sfn.historyOf(executionArn))).toEqual([
      'ExecutionStarted',
      'MapStateEntered',
      'MapStateStarted',
      'MapIterationStarted',
      'PassStateEntered',
      'PassStateExited',
      'MapIterationSucceeded',
      'MapStateSucceeded',
      'MapStateExited',
      'ParallelStateEntered',
      'ParallelStateStarted',
      'SucceedStateEntered',
      'SucceedStateExited',
      'ParallelStateSucceeded',
      'ParallelStateExited',
      'ExecutionSucceeded',
    ]);
  });

  it('pages GetExecutionHistory with maxResults and nextToken, and reverses it on request', async () => {
    const sfn = new LocalStepFunctions({ clock: new ManualClock({ autoAdvance: true }) });
    const { stateMachineArn } = sfn.createStateMachine({
      name: 'p',
      definition: { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Pass', End: true } } },
    });
    const { executionArn } = sfn.startExecution({ stateMachineArn });
    await sfn.waitFor(executionArn);
    const first = sfn.getExecutionHistory({ executionArn, maxResults: 4 });
    const second = sfn.getExecutionHistory({ executionArn, maxResults: 4, nextToken: first.nextToken! });
    expect([...first.events, ...second.events].map((event) => event.id)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(second.nextToken).toBeUndefined();
    expect(sfn.getExecutionHistory({ executionArn, reverseOrder: true }).events[0]!.type).toBe('ExecutionSucceeded');
  });
});

/** A task that fails every attempt (its child machine does not exist), with these retriers. */
function failingTask(retry: object[]): object {
  return {
    StartAt: 'T',
    States: {
      T: {
        Type: 'Task',
        Resource: 'arn:aws:states:::states:startExecution',
        Parameters: { StateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:absent' },
        Retry: retry,
        End: true,
      },
    },
  };
}

/** Seconds between consecutive TaskFailed events of an execution. */
function retryGaps(sfn: LocalStepFunctions, executionArn: string): number[] {
  const failures = sfn.historyOf(executionArn).filter((event) => event.type === 'TaskFailed');
  return failures.slice(1).map((event, index) => (event.timestamp.getTime() - failures[index]!.timestamp.getTime()) / 1000);
}

describe('Retry', () => {
  it('waits IntervalSeconds × BackoffRate^n between attempts, capped by MaxDelaySeconds (concepts-error-handling.html, "Retry" fields)', async () => {
    const sfn = new LocalStepFunctions({ clock: new ManualClock({ autoAdvance: true }) });
    const definition = failingTask([
      { ErrorEquals: ['States.TaskFailed'], IntervalSeconds: 3, BackoffRate: 2, MaxAttempts: 3, MaxDelaySeconds: 10 },
    ]);
    const { stateMachineArn } = sfn.createStateMachine({ name: 'r', definition });
    const { executionArn } = sfn.startExecution({ stateMachineArn });
    await sfn.waitFor(executionArn);
    const gaps = retryGaps(sfn, executionArn);
    expect(gaps).toEqual([3, 6, 10]);
    expect(sfn.describeExecution({ executionArn })).toMatchObject({
      status: 'FAILED',
      error: 'StepFunctions.StateMachineDoesNotExistException',
    });
  });

  it('draws each delay between 0 and the backoff with JitterStrategy FULL', async () => {
    const sfn = new LocalStepFunctions({ clock: new ManualClock({ autoAdvance: true }), random: () => 0.25 });
    const definition = failingTask([
      { ErrorEquals: ['States.ALL'], IntervalSeconds: 4, BackoffRate: 2, MaxAttempts: 2, JitterStrategy: 'FULL' },
    ]);
    const { stateMachineArn } = sfn.createStateMachine({ name: 'j', definition });
    const { executionArn } = sfn.startExecution({ stateMachineArn });
    await sfn.waitFor(executionArn);
    expect(retryGaps(sfn, executionArn)).toEqual([1, 2]);
  });

  it('counts retries per retrier across the state’s attempts and exposes them as $$.State.RetryCount', async () => {
    const sfn = new LocalStepFunctions({ clock: new ManualClock({ autoAdvance: true }) });
    const definition = {
      StartAt: 'T',
      States: {
        T: {
          Type: 'Task',
          Resource: 'arn:aws:states:::states:startExecution',
          Parameters: {
            StateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:absent',
            'Name.$': "States.Format('attempt-{}', $$.State.RetryCount)",
          },
          Retry: [{ ErrorEquals: ['States.TaskFailed'], IntervalSeconds: 1, MaxAttempts: 2 }],
          Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Done' }],
          End: true,
        },
        Done: { Type: 'Succeed' },
      },
    };
    const { stateMachineArn } = sfn.createStateMachine({ name: 'rc', definition });
    const { executionArn } = sfn.startExecution({ stateMachineArn });
    await sfn.waitFor(executionArn);
    const scheduled = sfn.historyOf(executionArn).filter((event) => event.type === 'TaskScheduled');
    expect(
      scheduled.map((event) => JSON.parse(String((event.taskScheduledEventDetails as { parameters: string }).parameters)).Name),
    ).toEqual(['attempt-0', 'attempt-1', 'attempt-2']);
    expect(sfn.describeExecution({ executionArn }).status).toBe('SUCCEEDED');
  });
});

describe('timeouts and heartbeats', () => {
  it('reads the timeout from TimeoutSecondsPath, and States.TaskFailed does not catch States.Timeout (concepts-error-handling.html)', async () => {
    const sfn = new LocalStepFunctions({ clock: new ManualClock({ autoAdvance: true }) });
    const childArn = withChild(sfn);
    const definition = {
      StartAt: 'Ask',
      States: {
        Ask: {
          ...callbackTask(childArn, { TimeoutSecondsPath: '$.limit', Catch: [{ ErrorEquals: ['States.TaskFailed'], Next: 'Caught' }] }),
          End: true,
        },
        Caught: { Type: 'Succeed' },
      },
    };
    const { stateMachineArn } = sfn.createStateMachine({ name: 'tp', definition });
    const { executionArn } = sfn.startExecution({ stateMachineArn, input: '{"limit":7}' });
    await sfn.waitFor(executionArn);
    expect(sfn.describeExecution({ executionArn })).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
    expect(sfn.historyOf(executionArn).find((event) => event.type === 'TaskScheduled')!.taskScheduledEventDetails).toMatchObject({
      timeoutInSeconds: 7,
    });
  });

  it('fails a task that runs past TimeoutSeconds with States.Timeout and a TaskTimedOut event', async () => {
    const clock = new ManualClock({ autoAdvance: true });
    const sfn = new LocalStepFunctions({ clock });
    const childArn = withChild(sfn);
    const { stateMachineArn } = sfn.createStateMachine({
      name: 't',
      definition: { StartAt: 'Ask', States: { Ask: { ...callbackTask(childArn, { TimeoutSeconds: 30 }), End: true } } },
    });
    const { executionArn } = sfn.startExecution({ stateMachineArn });
    await sfn.waitFor(executionArn);
    expect(sfn.describeExecution({ executionArn })).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
    const timedOut = sfn.historyOf(executionArn).find((event) => event.type === 'TaskTimedOut')!;
    expect(timedOut.taskTimedOutEventDetails).toMatchObject({ error: 'States.Timeout', resourceType: 'states' });
    const started = sfn.historyOf(executionArn)[0]!.timestamp.getTime();
    expect(timedOut.timestamp.getTime() - started).toBe(30_000);
  });

  it('keeps a callback task alive while heartbeats arrive within HeartbeatSeconds, then fails it with States.HeartbeatTimeout', async () => {
    const clock = new ManualClock();
    const sfn = new LocalStepFunctions({ clock });
    const childArn = withChild(sfn);
    const { stateMachineArn } = sfn.createStateMachine({
      name: 'h',
      definition: { StartAt: 'Ask', States: { Ask: { ...callbackTask(childArn, { HeartbeatSeconds: 10 }), End: true } } },
    });
    const { executionArn } = sfn.startExecution({ stateMachineArn });
    await until(() => sfn.listExecutions({ stateMachineArn: childArn }).executions.length === 1);
    const token = tokenOf(sfn, childArn);
    await until(() => sfn.historyOf(executionArn).some((event) => event.type === 'TaskSubmitted'));
    await clock.advance(8_000);
    sfn.sendTaskHeartbeat({ taskToken: token });
    await clock.advance(8_000);
    expect(sfn.describeExecution({ executionArn }).status).toBe('RUNNING');
    await clock.advance(3_000);
    await sfn.waitFor(executionArn);
    expect(sfn.describeExecution({ executionArn })).toMatchObject({ status: 'FAILED', error: 'States.HeartbeatTimeout' });
    expect(() => sfn.sendTaskSuccess({ taskToken: token, output: '{}' })).toThrow(expect.objectContaining({ code: 'TaskTimedOut' }));
  });

  it('times out the whole execution after the machine’s TimeoutSeconds (ExecutionTimedOut, status TIMED_OUT)', async () => {
    const sfn = new LocalStepFunctions({ clock: new ManualClock({ autoAdvance: true }) });
    const { stateMachineArn } = sfn.createStateMachine({
      name: 'slow',
      definition: { TimeoutSeconds: 5, StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 60, End: true } } },
    });
    const { executionArn } = sfn.startExecution({ stateMachineArn });
    await sfn.waitFor(executionArn);
    expect(sfn.describeExecution({ executionArn })).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
    expect(types(sfn.historyOf(executionArn)).at(-1)).toBe('ExecutionTimedOut');
  });

  it('waits until a Timestamp given by TimestampPath', async () => {
    const clock = new ManualClock({ start: new Date('2026-03-14T01:00:00Z'), autoAdvance: true });
    const sfn = new LocalStepFunctions({ clock });
    const { stateMachineArn } = sfn.createStateMachine({
      name: 'w',
      definition: { StartAt: 'W', States: { W: { Type: 'Wait', TimestampPath: '$.at', End: true } } },
    });
    const { executionArn } = sfn.startExecution({ stateMachineArn, input: '{"at":"2026-03-14T01:59:00Z"}' });
    await sfn.waitFor(executionArn);
    expect(
      sfn
        .historyOf(executionArn)
        .find((event) => event.type === 'WaitStateExited')!
        .timestamp.toISOString(),
    ).toBe('2026-03-14T01:59:00.000Z');
  });
});

describe('intrinsics with random results', () => {
  it('draws States.MathRandom within [start, end), repeats it for a seed, and makes version-4 UUIDs', async () => {
    const sfn = new LocalStepFunctions();
    const definition = {
      StartAt: 'R',
      States: {
        R: {
          Type: 'Map',
          ItemsPath: '$.tries',
          ItemProcessor: {
            StartAt: 'P',
            States: {
              P: {
                Type: 'Pass',
                Parameters: { 'n.$': 'States.MathRandom(1, 4)', 'seeded.$': 'States.MathRandom(1, 1000, 7)', 'id.$': 'States.UUID()' },
                End: true,
              },
            },
          },
          End: true,
        },
      },
    };
    const { stateMachineArn } = sfn.createStateMachine({ name: 'random', definition });
    const { executionArn } = sfn.startExecution({
      stateMachineArn,
      input: JSON.stringify({ tries: Array.from({ length: 40 }, (_, index) => index) }),
    });
    await sfn.waitFor(executionArn);
    const results = JSON.parse(String(sfn.describeExecution({ executionArn }).output)) as { n: number; seeded: number; id: string }[];
    expect(new Set(results.map((result) => result.n))).toEqual(new Set([1, 2, 3]));
    expect(new Set(results.map((result) => result.seeded)).size).toBe(1);
    expect(new Set(results.map((result) => result.id)).size).toBe(40);
    for (const { id } of results) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('keeps escaped braces and quotes of States.Format literal (intrinsic-functions.html, "Reserved characters")', async () => {
    const sfn = new LocalStepFunctions();
    const { stateMachineArn } = sfn.createStateMachine({
      name: 'escapes',
      definition: {
        StartAt: 'F',
        States: { F: { Type: 'Pass', Parameters: { 'text.$': "States.Format('\\{{}\\} it\\'s \\\\ {}', $.a, $.b)" }, End: true } },
      },
    });
    const { executionArn } = sfn.startExecution({ stateMachineArn, input: '{"a":"x","b":2}' });
    await sfn.waitFor(executionArn);
    expect(JSON.parse(String(sfn.describeExecution({ executionArn }).output))).toEqual({ text: "{x} it's \\ 2" });
  });
});

describe('callbacks', () => {
  it('fails the task with SendTaskFailure’s error and cause, which a Catch sees as the error output', async () => {
    const sfn = new LocalStepFunctions({ clock: new ManualClock() });
    const childArn = withChild(sfn);
    const definition = {
      StartAt: 'Ask',
      States: {
        Ask: { ...callbackTask(childArn, { Catch: [{ ErrorEquals: ['Rejected'], Next: 'Handled' }] }), End: true },
        Handled: { Type: 'Pass', End: true },
      },
    };
    const { stateMachineArn } = sfn.createStateMachine({ name: 'f', definition });
    const { executionArn } = sfn.startExecution({ stateMachineArn });
    await until(() => sfn.listExecutions({ stateMachineArn: childArn }).executions.length === 1);
    sfn.sendTaskFailure({ taskToken: tokenOf(sfn, childArn), error: 'Rejected', cause: 'no rooms' });
    await sfn.waitFor(executionArn);
    expect(sfn.describeExecution({ executionArn })).toMatchObject({
      status: 'SUCCEEDED',
      output: '{"Error":"Rejected","Cause":"no rooms"}',
    });
  });

  it('refuses an unknown token with InvalidToken and output that is not JSON with InvalidOutput', () => {
    const sfn = new LocalStepFunctions();
    expect(() => sfn.sendTaskSuccess({ taskToken: 'AQnot-a-token', output: '{}' })).toThrow(
      expect.objectContaining({ code: 'InvalidToken' }),
    );
    expect(() => sfn.sendTaskSuccess({ taskToken: 'AQnot-a-token', output: '{' })).toThrow(
      expect.objectContaining({ code: 'InvalidOutput' }),
    );
  });
});

describe('StartExecution and StopExecution', () => {
  const WAITING = { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 100, End: true } } };

  it('answers the running execution again for the same name and input, and ExecutionAlreadyExists otherwise (API reference, StartExecution idempotency)', async () => {
    const sfn = new LocalStepFunctions({ clock: new ManualClock() });
    const { stateMachineArn } = sfn.createStateMachine({ name: 'idem', definition: WAITING });
    const first = sfn.startExecution({ stateMachineArn, name: 'order-1', input: '{"a":1}' });
    expect(sfn.startExecution({ stateMachineArn, name: 'order-1', input: '{"a":1}' }).executionArn).toBe(first.executionArn);
    expect(() => sfn.startExecution({ stateMachineArn, name: 'order-1', input: '{"a":2}' })).toThrow(
      expect.objectContaining({ code: 'ExecutionAlreadyExists' }),
    );
    sfn.stopExecution({ executionArn: first.executionArn, error: 'Cancelled', cause: 'by the test' });
    await sfn.waitFor(first.executionArn);
    expect(() => sfn.startExecution({ stateMachineArn, name: 'order-1', input: '{"a":1}' })).toThrow(
      expect.objectContaining({ code: 'ExecutionAlreadyExists' }),
    );
  });

  it('aborts an execution with StopExecution’s error and cause (ExecutionAborted, status ABORTED)', async () => {
    const sfn = new LocalStepFunctions({ clock: new ManualClock() });
    const { stateMachineArn } = sfn.createStateMachine({ name: 'stop', definition: WAITING });
    const { executionArn } = sfn.startExecution({ stateMachineArn, name: 'x' });
    await until(() => types(sfn.historyOf(executionArn)).includes('WaitStateEntered'));
    sfn.stopExecution({ executionArn, error: 'Cancelled', cause: 'by the test' });
    await sfn.waitFor(executionArn);
    expect(sfn.describeExecution({ executionArn })).toMatchObject({ status: 'ABORTED', error: 'Cancelled', cause: 'by the test' });
    expect(sfn.historyOf(executionArn).at(-1)).toMatchObject({
      type: 'ExecutionAborted',
      executionAbortedEventDetails: { error: 'Cancelled', cause: 'by the test' },
    });
    expect(sfn.listExecutions({ stateMachineArn, statusFilter: 'ABORTED' }).executions).toHaveLength(1);
  });

  it('refuses input that is not JSON, names with forbidden characters and unknown machines, as the API does', () => {
    const sfn = new LocalStepFunctions();
    const { stateMachineArn } = sfn.createStateMachine({ name: 'v', definition: WAITING });
    const code = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        return (error as StepFunctionsApiError).code;
      }
      return 'no error';
    };
    expect(code(() => sfn.startExecution({ stateMachineArn, input: '{oops' }))).toBe('InvalidExecutionInput');
    expect(code(() => sfn.startExecution({ stateMachineArn, name: 'has space' }))).toBe('InvalidName');
    expect(code(() => sfn.startExecution({ stateMachineArn: `${stateMachineArn}-gone` }))).toBe('StateMachineDoesNotExist');
    expect(code(() => sfn.startExecution({ stateMachineArn: 'not-an-arn' }))).toBe('InvalidArn');
  });

  it('returns a .sync:2 child’s output as JSON and a .sync child’s as text (connect-stepfunctions.html)', async () => {
    const sfn = new LocalStepFunctions({ clock: new ManualClock({ autoAdvance: true }) });
    const child = sfn.createStateMachine({
      name: 'double',
      definition: {
        QueryLanguage: 'JSONata',
        StartAt: 'D',
        States: { D: { Type: 'Pass', Output: '{% {"n": $states.input.n * 2} %}', End: true } },
      },
    }).stateMachineArn;
    const task = (resource: string) => ({ Type: 'Task', Resource: resource, Arguments: { StateMachineArn: child, Input: { n: 21 } } });
    const definition = {
      QueryLanguage: 'JSONata',
      StartAt: 'Two',
      States: {
        Two: { ...task('arn:aws:states:::states:startExecution.sync:2'), Output: '{% $states.result.Output %}', Next: 'One' },
        One: {
          ...task('arn:aws:states:::states:startExecution.sync'),
          Output: '{% {"two": $states.input, "one": $states.result.Output} %}',
          End: true,
        },
      },
    };
    const { stateMachineArn } = sfn.createStateMachine({ name: 'parent', definition });
    const { executionArn } = sfn.startExecution({ stateMachineArn });
    await sfn.waitFor(executionArn);
    expect(JSON.parse(String(sfn.describeExecution({ executionArn }).output))).toEqual({ two: { n: 42 }, one: '{"n":42}' });
  });
});

describe('definitions', () => {
  function refusal(definition: object): string {
    try {
      new LocalStepFunctions().createStateMachine({ name: 'bad', definition });
    } catch (error) {
      return `${(error as StepFunctionsApiError).code}: ${(error as Error).message}`;
    }
    return 'accepted';
  }

  it('refuses a Next that names no state (MISSING_TRANSITION_TARGET)', () => {
    expect(refusal({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' } } })).toBe(
      "InvalidDefinition: Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: B at /States/A/Next'",
    );
  });

  it('refuses JSONPath fields in a JSONata state and Arguments in a JSONPath state', () => {
    expect(refusal({ QueryLanguage: 'JSONata', StartAt: 'A', States: { A: { Type: 'Pass', Parameters: {}, End: true } } })).toContain(
      "The field 'Parameters' is not supported in JSONata states at /States/A/Parameters",
    );
    expect(refusal({ StartAt: 'A', States: { A: { Type: 'Pass', Output: 1, End: true } } })).toContain(
      "The field 'Output' is not supported in JSONPath states",
    );
  });

  it('takes a JSONata expression only where a JSONata state accepts one: numbers as numbers or {% %}, a Choice Condition as {% %}', () => {
    expect(
      refusal({ QueryLanguage: 'JSONata', StartAt: 'W', States: { W: { Type: 'Wait', Seconds: '{% $states.input.delay %}', End: true } } }),
    ).toBe('accepted');
    expect(refusal({ QueryLanguage: 'JSONata', StartAt: 'W', States: { W: { Type: 'Wait', Seconds: '10', End: true } } })).toContain(
      "Seconds must be a number or a JSONata expression '{% … %}' at /States/W/Seconds",
    );
    expect(refusal({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: '{% 1 %}', End: true } } })).toContain(
      'Seconds must be a number at /States/W/Seconds',
    );
    expect(
      refusal({
        QueryLanguage: 'JSONata',
        StartAt: 'C',
        States: { C: { Type: 'Choice', Choices: [{ Condition: '$states.input.ok', Next: 'S' }] }, S: { Type: 'Succeed' } },
      }),
    ).toContain('needs a Condition that is a JSONata expression');
  });

  it('refuses States.ALL that is not alone and last', () => {
    const task = { Type: 'Task', Resource: 'arn:aws:states:::http:invoke', End: true, Retry: [{ ErrorEquals: ['States.ALL', 'X'] }] };
    expect(refusal({ StartAt: 'A', States: { A: task } })).toContain('States.ALL must appear alone in ErrorEquals and in the last retrier');
  });
});
