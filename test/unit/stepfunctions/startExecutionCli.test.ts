// The start-execution CLI, run as `npm run start-execution` runs it (tsx), on temporary files: its output is
// start-sync-execution's response, for AWS's documented examples and a recorded AWS failure, in both query languages.
import { describe, expect, it } from 'vitest';
import { useCliProcess } from '../../helpers/cliProcess.ts';

const cli = useCliProcess('local/bin/start-execution.ts', 'start-execution-');
const file = cli.file;
const run = (...args: string[]) => {
  const out = cli.run(...args);
  return { ...out, json: () => JSON.parse(out.stdout) as Record<string, unknown> };
};

describe('start-execution CLI', () => {
  it('answers a JSONPath machine like start-sync-execution: SUCCEEDED, output as JSON text, exit 0 (input-output-resultpath.html example)', () => {
    const definition = file('resultpath.json', {
      StartAt: 'A',
      States: { A: { Type: 'Pass', Result: 'Hello, AWS Step Functions!', ResultPath: '$.taskresult', End: true } },
    });
    const out = run('--definition', definition, '--input', '{"who":"AWS Step Functions"}', '--name', 'doc-example');
    expect(out.code).toBe(0);
    const response = out.json();
    expect(response).toMatchObject({
      status: 'SUCCEEDED',
      name: 'doc-example',
      input: '{"who":"AWS Step Functions"}',
      inputDetails: { included: true },
      outputDetails: { included: true },
    });
    expect(JSON.parse(response.output as string)).toEqual({ who: 'AWS Step Functions', taskresult: 'Hello, AWS Step Functions!' });
    expect(response.executionArn).toMatch(/^arn:aws:states:us-east-1:\d{12}:express:start-execution:doc-example:/);
    expect(new Date(response.startDate as string).toISOString()).toBe(response.startDate);
    expect(response).not.toHaveProperty('error');
  });

  it('answers a JSONata machine (transforming-data.html example), reading the input from a file://', () => {
    const definition = file('jsonata.json', {
      QueryLanguage: 'JSONata',
      StartAt: 'Init',
      States: {
        Init: { Type: 'Pass', Assign: { customerName: 'María' }, Next: 'A' },
        A: {
          Type: 'Pass',
          Output: { static: 'Hello', title: '{% $states.input.title %}', name: '{% $customerName %}', 'not-evaluated': '$customerName' },
          End: true,
        },
      },
    });
    const out = run('--definition', `file://${definition}`, '--input', `file://${file('title.json', { title: 'Doctor' })}`);
    expect(out.code).toBe(0);
    expect(JSON.parse(out.json().output as string)).toEqual({
      static: 'Hello',
      title: 'Doctor',
      name: 'María',
      'not-evaluated': '$customerName',
    });
  });

  it('reports FAILED with AWS’s recorded error and cause and exits 1 (JSONPath: a .$ path that reaches nothing)', () => {
    const definition = file('glue.json', {
      StartAt: 'Glue StartJobRun',
      States: { 'Glue StartJobRun': { Type: 'Pass', Parameters: { 'JobName.$': '$.JobName' }, End: true } },
    });
    const out = run('--definition', definition);
    expect(out.code).toBe(1);
    expect(out.json()).toMatchObject({
      status: 'FAILED',
      error: 'States.Runtime',
      cause:
        "An error occurred while executing the state 'Glue StartJobRun' (entered at the event id #2). The JSONPath '$.JobName' specified for the field 'JobName.$' could not be found in the input '{}'",
    });
    expect(out.json()).not.toHaveProperty('output');
  });

  it('reports a JSONata evaluation failure as States.QueryEvaluationError and exits 1', () => {
    const definition = file('missing.json', {
      QueryLanguage: 'JSONata',
      StartAt: 'Transform',
      States: { Transform: { Type: 'Pass', Output: '{% $states.input.missing %}', End: true } },
    });
    const out = run('--definition', definition, '--input', '{}');
    expect(out.code).toBe(1);
    expect(out.json()).toMatchObject({ status: 'FAILED', error: 'States.QueryEvaluationError' });
  });

  it('waits for real time: a 1-second Wait state holds the process until it is over', () => {
    const definition = file('wait.json', {
      QueryLanguage: 'JSONata',
      StartAt: 'W',
      States: {
        W: { Type: 'Wait', Seconds: 1, Next: 'Done' },
        Done: { Type: 'Pass', Output: '{% $states.context.Execution.StartTime %}', End: true },
      },
    });
    const out = run('--definition', definition);
    expect(out.code).toBe(0);
    const response = out.json();
    expect(Date.parse(response.stopDate as string) - Date.parse(response.startDate as string)).toBeGreaterThanOrEqual(1000);
  });

  it('reports TIMED_OUT when the machine’s TimeoutSeconds passes, and exits 1', () => {
    const definition = file('timeout.json', { TimeoutSeconds: 1, StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 30, End: true } } });
    const out = run('--definition', definition);
    expect(out.code).toBe(1);
    expect(out.json()).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
  });

  it('refuses an invalid definition as the API does (InvalidDefinition) and exits 1', () => {
    const out = run('--definition', '{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"}}}');
    expect(out.code).toBe(1);
    expect(out.stderr).toContain(
      "An error occurred (InvalidDefinition) when calling the StartSyncExecution operation: Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: B at /States/A/Next'",
    );
  });

  it('explains its usage and exits 2 without --definition or with an unknown option', () => {
    expect(run().code).toBe(2);
    const out = run('--definition', '{}', '--role', 'x');
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('unknown option --role');
  });
});
