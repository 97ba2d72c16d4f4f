/**
 * Standard executions kept on disk (`journalDir`): a runtime started again on the same directory lists
 * every execution with its history, and resumes each unfinished one at the top-level state it was in,
 * sending that state's task again; the task token handed out before the restart answers it. The
 * callback task's EventBridge call is the port a test gives (AWS itself); everything else is real.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalStepFunctions, StepFunctionsApiError, type TaskCall } from '../../../local/stepfunctions/index.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const DEFINITION = {
  QueryLanguage: 'JSONata',
  StartAt: 'Begin',
  States: {
    Begin: { Type: 'Pass', Assign: { order: '{% $states.input.order %}' }, Next: 'Ask' },
    Ask: {
      Type: 'Task',
      Resource: 'arn:aws:states:::events:putEvents.waitForTaskToken',
      Arguments: {
        Entries: [{ Source: 'test', DetailType: 'ask', Detail: { token: '{% $states.context.Task.Token %}', order: '{% $order %}' } }],
      },
      Assign: { approved: '{% $states.result.approved %}' },
      Next: 'Done',
    },
    Done: { Type: 'Succeed', Output: "{% {'order': $order, 'approved': $approved} %}" },
  },
};

/** A runtime on `journalDir` whose putEvents calls are recorded (what the bus would receive). */
function runtime(journalDir: string): { sfn: LocalStepFunctions; asked: { token: string; order: number }[]; machineArn: string } {
  const asked: { token: string; order: number }[] = [];
  const sfn = new LocalStepFunctions({
    journalDir,
    integrations: {
      'events:putEvents': (call: TaskCall) => {
        const { Entries } = call.parameters as { Entries: { Detail: { token: string; order: number } }[] };
        asked.push(Entries[0]!.Detail);
        return Promise.resolve({ Entries: [{ EventId: String(asked.length) }], FailedEntryCount: 0 });
      },
    },
  });
  const { stateMachineArn } = sfn.createStateMachine({ name: 'orders', definition: DEFINITION });
  return { sfn, asked, machineArn: stateMachineArn };
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 2000 && !condition(); i += 1) await new Promise((resolve) => setTimeout(resolve, 1));
  if (!condition()) throw new Error('condition never held');
}

function journalDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'sfn-journal-'));
  dirs.push(dir);
  return dir;
}

describe('a Standard execution left waiting when the runtime stops', () => {
  it('resumes at the state it was in: the task sent again with the variables kept, the token handed out before answering it', async () => {
    const dir = journalDir();
    const before = runtime(dir);
    const { executionArn } = before.sfn.startExecution({ stateMachineArn: before.machineArn, name: 'order-7', input: '{"order":7}' });
    await until(() => before.asked.length === 1);
    await before.sfn.close();

    const after = runtime(dir);
    expect(after.sfn.resumeJournaledExecutions()).toBe(1);
    await until(() => after.asked.length === 1);
    expect(after.asked[0]!.order).toBe(7);
    expect(after.asked[0]!.token).not.toBe(before.asked[0]!.token);
    after.sfn.sendTaskSuccess({ taskToken: before.asked[0]!.token, output: '{"approved":true}' });

    expect(await after.sfn.waitFor(executionArn)).toEqual({ status: 'SUCCEEDED', output: { order: 7, approved: true } });
    const history = after.sfn.getExecutionHistory({ executionArn }).events;
    expect(history.map((event) => event.type)).toEqual([
      'ExecutionStarted',
      'PassStateEntered',
      'PassStateExited',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSubmitted',
      // The restart: the state is entered anew and its task sent again.
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSubmitted',
      'TaskSucceeded',
      'TaskStateExited',
      'SucceedStateEntered',
      'SucceedStateExited',
      'ExecutionSucceeded',
    ]);
    expect(history.map((event) => event.id)).toEqual(history.map((_, index) => index + 1));
    // Answered: the task's tokens are closed now.
    expect(() => after.sfn.sendTaskSuccess({ taskToken: after.asked[0]!.token, output: '{}' })).toThrow(
      expect.objectContaining({ code: 'TaskTimedOut' }) as StepFunctionsApiError,
    );
    await after.sfn.close();
  });

  it('keeps ended executions: listed, described and with their history after the restart; their old tokens answer TaskTimedOut', async () => {
    const dir = journalDir();
    const before = runtime(dir);
    const { executionArn } = before.sfn.startExecution({ stateMachineArn: before.machineArn, name: 'order-8', input: '{"order":8}' });
    await until(() => before.asked.length === 1);
    before.sfn.sendTaskSuccess({ taskToken: before.asked[0]!.token, output: '{"approved":false}' });
    await before.sfn.waitFor(executionArn);
    const historyBefore = before.sfn.getExecutionHistory({ executionArn }).events;
    await before.sfn.close();

    const after = runtime(dir);
    expect(after.sfn.resumeJournaledExecutions()).toBe(0);
    expect(after.sfn.listExecutions({ stateMachineArn: after.machineArn }).executions).toMatchObject([
      { name: 'order-8', status: 'SUCCEEDED' },
    ]);
    expect(after.sfn.describeExecution({ executionArn })).toMatchObject({ status: 'SUCCEEDED', output: '{"order":8,"approved":false}' });
    expect(after.sfn.getExecutionHistory({ executionArn }).events).toEqual(historyBefore);
    expect(() => after.sfn.sendTaskSuccess({ taskToken: before.asked[0]!.token, output: '{}' })).toThrow(
      expect.objectContaining({ code: 'TaskTimedOut' }) as StepFunctionsApiError,
    );
    expect(() => after.sfn.startExecution({ stateMachineArn: after.machineArn, name: 'order-8', input: '{"order":8}' })).toThrow(
      expect.objectContaining({ code: 'ExecutionAlreadyExists' }) as StepFunctionsApiError,
    );
    await after.sfn.close();
  });

  it('fails an execution whose state is no longer in the definition, saying why (States.Runtime)', async () => {
    const dir = journalDir();
    const before = runtime(dir);
    const { executionArn } = before.sfn.startExecution({ stateMachineArn: before.machineArn, name: 'order-9', input: '{"order":9}' });
    await until(() => before.asked.length === 1);
    await before.sfn.close();

    const after = new LocalStepFunctions({ journalDir: dir });
    after.createStateMachine({ name: 'orders', definition: { StartAt: 'Other', States: { Other: { Type: 'Succeed' } } } });
    expect(after.resumeJournaledExecutions()).toBe(0);
    expect(after.describeExecution({ executionArn })).toMatchObject({
      status: 'FAILED',
      error: 'States.Runtime',
      cause: expect.stringContaining('its state Ask is not in the state machine') as string,
    });
    await after.close();
  });
});
