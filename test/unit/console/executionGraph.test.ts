/**
 * The local console's graph of an execution (local/console/executionGraph.ts), drawn from histories the
 * local Step Functions interpreter really wrote: the definition's states as boxes, the path taken, the
 * state the execution failed in marked, whether the failure was caught or ended the execution.
 */
import { describe, expect, it } from 'vitest';
import { executionGraph } from '../../../local/console/executionGraph.ts';
import { LocalStepFunctions, ManualClock } from '../../../local/stepfunctions/index.ts';

/** A task whose arguments fail to evaluate (States.QueryEvaluationError, which Catch can catch, unlike States.Runtime). */
const FAILING_TASK = { Type: 'Task', Resource: 'arn:aws:states:::events:putEvents', Arguments: "{% $error('the bus is down') %}" };

async function run(definition: Record<string, unknown>) {
  const sfn = new LocalStepFunctions({ clock: new ManualClock() });
  const { stateMachineArn } = sfn.createStateMachine({ name: 'm', definition: { QueryLanguage: 'JSONata', ...definition } });
  const { executionArn } = sfn.startExecution({ stateMachineArn, input: '{}' });
  const outcome = await sfn.waitFor(executionArn);
  return executionGraph(definition, sfn.historyOf(executionArn), outcome.status);
}

function statuses(graph: ReturnType<typeof executionGraph>): Record<string, string> {
  return Object.fromEntries(graph.states.map((state) => [state.name, state.status]));
}

describe('the graph of an execution', () => {
  it('marks every state of a succeeded path visited, the branch not taken not visited, and the transitions taken', async () => {
    const graph = await run({
      StartAt: 'Begin',
      States: {
        Begin: { Type: 'Pass', Next: 'Which' },
        Which: { Type: 'Choice', Choices: [{ Condition: '{% 1 = 1 %}', Next: 'Yes' }], Default: 'No' },
        Yes: { Type: 'Succeed' },
        No: { Type: 'Succeed' },
      },
    });
    expect(graph.path).toEqual(['Begin', 'Which', 'Yes']);
    expect(statuses(graph)).toEqual({ Begin: 'visited', Which: 'visited', Yes: 'visited', No: 'not-visited' });
    expect(graph.edges).toEqual([
      { from: 'Begin', to: 'Which', kind: 'next', taken: true },
      { from: 'Which', to: 'Yes', kind: 'choice', taken: true },
      { from: 'Which', to: 'No', kind: 'default', taken: false },
    ]);
  });

  it('marks the task an uncaught failure ended the execution in, and nothing after it', async () => {
    const graph = await run({
      StartAt: 'Begin',
      States: { Begin: { Type: 'Pass', Next: 'Send' }, Send: { ...FAILING_TASK, Next: 'Done' }, Done: { Type: 'Succeed' } },
    });
    expect(statuses(graph)).toEqual({ Begin: 'visited', Send: 'failed', Done: 'not-visited' });
    expect(graph.svg).toContain('data-state="Send" data-status="failed"');
  });

  it('keeps a caught failure marked on the task, and shows the catch transition taken to its handler', async () => {
    const graph = await run({
      StartAt: 'Send',
      States: {
        Send: { ...FAILING_TASK, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Handle' }], Next: 'Done' },
        Handle: { Type: 'Pass', Next: 'Done' },
        Done: { Type: 'Succeed' },
      },
    });
    expect(graph.path).toEqual(['Send', 'Handle', 'Done']);
    expect(statuses(graph)).toEqual({ Send: 'failed', Handle: 'visited', Done: 'visited' });
    expect(graph.edges.find((edge) => edge.kind === 'catch')).toEqual({ from: 'Send', to: 'Handle', kind: 'catch', taken: true });
    expect(graph.edges.find((edge) => edge.from === 'Send' && edge.to === 'Done')!.taken).toBe(false);
  });

  it('marks a Fail state reached on purpose as the failing state', async () => {
    const graph = await run({
      StartAt: 'Check',
      States: { Check: { Type: 'Pass', Next: 'Refuse' }, Refuse: { Type: 'Fail', Error: 'Refused', Cause: 'no' } },
    });
    expect(statuses(graph)).toEqual({ Check: 'visited', Refuse: 'failed' });
  });

  it('ranks states from StartAt and draws a transition back up round the side, every box inside the drawing', () => {
    const definition = {
      StartAt: 'A',
      States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Choice', Choices: [{ Next: 'A' }], Default: 'C' }, C: { Type: 'Succeed' } },
    };
    const graph = executionGraph(definition, [], 'RUNNING');
    const y = Object.fromEntries(graph.states.map((state) => [state.name, state.y]));
    expect(y.A! < y.B! && y.B! < y.C!).toBe(true);
    const width = Number(/width="(\d+(?:\.\d+)?)"/.exec(graph.svg)![1]);
    for (const state of graph.states) expect(state.x + 190).toBeLessThanOrEqual(width);
    expect(graph.svg).toMatch(/<path class="edge edge-choice" d="M[\d.]+,[\d.]+ C/);
  });

  it('escapes state names in the drawing', () => {
    const graph = executionGraph({ StartAt: '<b>&', States: { '<b>&': { Type: 'Succeed' } } }, [], 'RUNNING');
    expect(graph.svg).not.toContain('<b>&');
    expect(graph.svg).toContain('&#60;b&#62;&#38;');
  });
});
