/**
 * Node.js Lambda functions of a CDK app (test/fixtures/lambdaApp), served from its synthesized assembly:
 * run by AppSync AWS_LAMBDA data sources (APPSYNC_JS Invoke, Event, BatchInvoke, a direct resolver;
 * https://docs.aws.amazon.com/appsync/latest/devguide/resolver-reference-lambda-js.html and
 * .../direct-lambda-reference.html), by an EventBridge rule target and by Step Functions tasks
 * (https://docs.aws.amazon.com/step-functions/latest/dg/connect-lambda.html), each in its own child
 * process. Requests go through HTTP to the local AppSync server, the bus through the API's EventBridge
 * data source, executions through `@aws-sdk/client-sfn` against the local endpoint.
 */
import path from 'node:path';
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeliveryLog } from '../../../local/index.ts';
import { useLocalStack } from '../../helpers/localStack.ts';

const ASSEMBLY = path.resolve('test/fixtures/lambdaApp/assembly');
const MACHINE_ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:lambda-tasks';

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('Node.js Lambda functions, served locally', () => {
  const devLog: string[] = [];
  const progress: string[] = [];
  const deliveries: DeliveryLog[] = [];
  const local = useLocalStack({
    cdkOut: ASSEMBLY,
    onEvent: (line) => devLog.push(line),
    onProgress: (line) => progress.push(line),
    busRetry: { baseDelayMs: 10, maxDelayMs: 20, jitter: false },
    onDelivery: (log) => deliveries.push(log),
    // Lambda's 1- and 2-minute retry delays become 60 and 120 ms.
    lambdaAsyncDelayScale: 0.001,
  });
  let sfn: SFNClient;

  beforeAll(() => {
    const role = Object.values(local.stack.assembly.stacks[0]!.roles).find((candidate) => candidate.logicalId.startsWith('MachineRole'))!;
    sfn = new SFNClient({
      endpoint: local.stack.stepFunctionsEndpoint,
      region: 'us-east-1',
      credentials: local.stack.credentialsFor(role.arn),
    });
  });
  afterAll(() => sfn?.destroy());

  const seen = async (id: string) =>
    ((await local.graphql(`query ($id: ID!) { seen(id: $id) { id via detailType } }`, { id })).data as { seen: unknown }).seen;

  describe('as an AppSync data source', () => {
    it('Invoke: the payload is the event, the answer ctx.result; the environment has the table’s name (Ref resolved)', async () => {
      const { data } = await local.graphql('{ echo(text: "hi") { text functionName table remainingMs } }');
      const echo = (data as { echo: { text: string; functionName: string; table: string; remainingMs: number } }).echo;
      expect(echo).toMatchObject({ text: 'hi', functionName: 'LambdaApp-Notes5BB3582F', table: local.stack.tables[0] });
      // The function's Timeout is CDK's default, 3 s.
      expect(echo.remainingMs).toBeGreaterThan(2000);
      expect(echo.remainingMs).toBeLessThanOrEqual(3000);
    });

    it('a direct Lambda resolver (no code): the event is the context, the answer the field', async () => {
      expect(await local.graphql('{ direct(text: "straight") { text field functionName } }')).toEqual({
        data: { direct: { text: 'straight', field: 'Query.direct', functionName: 'LambdaApp-Notes5BB3582F' } },
      });
    });

    it('an error the function throws is ctx.error with type Lambda:Unhandled and the function’s errorMessage', async () => {
      const body = await local.graphql('{ fail(message: "no such note") { text } }');
      expect(body.data).toEqual({ fail: null });
      expect(body.errors).toEqual([expect.objectContaining({ errorType: 'Lambda:Unhandled', message: 'no such note', path: ['fail'] })]);
    });

    it('a function past its Timeout fails the field with "Task timed out after 1.00 seconds"', async () => {
      const body = await local.graphql('{ slow { text } }');
      expect(body.errors?.[0]).toMatchObject({
        errorType: 'Lambda:Unhandled',
        message: expect.stringMatching(/Task timed out after 1\.00 seconds$/),
      });
    });

    it('BatchInvoke: calls of one field are grouped by MaxBatchSize (2), each caller gets its item of the answer', async () => {
      expect(await local.graphql('{ notes { id author } }')).toEqual({
        data: {
          notes: [
            { id: 'n1', author: 'author of n1 (batch of 2)' },
            { id: 'n2', author: 'author of n2 (batch of 2)' },
            { id: 'n3', author: 'author of n3 (batch of 1)' },
          ],
        },
      });
    });

    it('Event invocation answers at once with no payload; the function runs after', async () => {
      const started = performance.now();
      expect(await local.graphql('mutation { record(id: "async-1") }')).toEqual({ data: { record: true } });
      // The function waits 400 ms before it writes: the answer came before.
      expect(performance.now() - started).toBeLessThan(400);
      expect(await seen('async-1')).toBeNull();
      expect(await eventually(() => seen('async-1'), Boolean)).toEqual({ id: 'async-1', via: 'appsync', detailType: 'none' });
    });
  });

  describe('as an EventBridge rule target', () => {
    it('gets the event as its event', async () => {
      expect(await local.graphql('mutation { publish(id: "event-1", detailType: "NoteSaved") }')).toEqual({ data: { publish: true } });
      expect(await eventually(() => seen('event-1'), Boolean)).toEqual({ id: 'event-1', via: 'lambda.app', detailType: 'NoteSaved' });
    });

    it('a function error is retried by Lambda (1 + 2 attempts, one request id), not by the rule: the rule’s delivery is delivered at once', async () => {
      local.stack.bus.clearFailedDeliveries();
      deliveries.length = 0;
      await local.graphql('mutation { publish(id: "event-2", detailType: "Broken") }');
      // The rule (retryAttempts 1) hands the event to Lambda once, and that succeeds (InvocationType Event).
      const recorderDeliveries = () => deliveries.filter((log) => log.detailType === 'Broken');
      await eventually(
        async () => recorderDeliveries(),
        (logs) => logs.length > 0,
      );
      expect(recorderDeliveries()).toEqual([expect.objectContaining({ attempt: 1, outcome: 'delivered' })]);
      await eventually(() => seen('failure-of-event-2'), Boolean);
      await local.stack.lambda.asyncIdle();
      await local.stack.bus.idle();
      expect(local.stack.bus.failedDeliveries()).toEqual([]);
      const starts = devLog.filter((line) => line.startsWith('lambda LambdaApp-RecorderC4C6639E: START RequestId:'));
      const requestIds = new Set(
        devLog
          .filter((line) => line.includes('asynchronous invocation') && line.includes('NotFound: cannot record event-2'))
          .map((line) => /asynchronous invocation (\S+)/.exec(line)![1]),
      );
      expect(requestIds.size).toBe(1);
      const [requestId] = [...requestIds];
      expect(starts.filter((line) => line.includes(requestId!))).toHaveLength(3);
    });

    it('after the last retry the failure record goes to the on-failure EventBridge destination, whose rule sends it to another function', async () => {
      // The event published by the test before.
      // The FailureLog function wrote what the record told it: condition, attempt count and the function's errorType.
      expect(await eventually(() => seen('failure-of-event-2'), Boolean)).toEqual({
        id: 'failure-of-event-2',
        via: 'RetriesExhausted after 3 attempts',
        detailType: 'NotFound',
      });
      expect(deliveries).toContainEqual(
        expect.objectContaining({ source: 'lambda', detailType: 'Lambda Function Invocation Result - Failure', outcome: 'delivered' }),
      );
    });

    it('a success record for an SQS destination, which does not run here, is kept and shown in the console, not dropped', async () => {
      // FailureLog's OnSuccess is an SQS queue: its record of the run above cannot be delivered locally.
      await local.stack.lambda.asyncIdle();
      const url = new URL('/_local/api/deliveries', local.stack.graphqlUrl);
      const { lambdaRecords } = (await (await fetch(url)).json()) as { lambdaRecords: unknown[] };
      expect(lambdaRecords).toEqual([
        expect.objectContaining({
          functionName: 'LambdaApp-FailureLog04245832',
          destination: 'OnSuccess',
          destinationArn: expect.stringMatching(/^arn:aws:sqs:us-east-1:123456789012:/),
          reason: 'a sqs destination does not run locally',
          body: expect.objectContaining({
            requestContext: expect.objectContaining({ condition: 'Success' }),
            responsePayload: { recorded: 'failure-of-event-2' },
          }),
        }),
      ]);
      expect(devLog).toContainEqual(expect.stringMatching(/^lambda LambdaApp-FailureLog04245832: OnSuccess arn:aws:sqs:\S+ not delivered/));
    });
  });

  describe('as Step Functions tasks', () => {
    async function run(input: object): Promise<{ status?: string; output?: string; executionArn?: string }> {
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: MACHINE_ARN, input: JSON.stringify(input) }));
      await local.stack.stepFunctions.waitFor(executionArn!);
      return sfn.send(new DescribeExecutionCommand({ executionArn }));
    }

    it('lambda:invoke answers { Payload, StatusCode }, and a bare function ARN answers the function’s result', async () => {
      const execution = await run({ n: 20 });
      expect(execution.status).toBe('SUCCEEDED');
      expect(JSON.parse(execution.output!)).toEqual({ incremented: 41 });
      const succeeded = local.stack.stepFunctions
        .historyOf(execution.executionArn!)
        .map((event) => event.taskSucceededEventDetails as { resource: string; output: string } | undefined);
      const invoked = succeeded.find((details) => details?.resource === 'invoke');
      expect(JSON.parse(invoked!.output)).toMatchObject({
        ExecutedVersion: '$LATEST',
        Payload: { doubled: 40 },
        SdkResponseMetadata: { RequestId: expect.stringMatching(/^[0-9a-f-]{36}$/) },
        StatusCode: 200,
      });
    });

    it('the function’s own error type is the task’s error name, caught by a Catch on it', async () => {
      const execution = await run({ n: -1 });
      expect(execution.status).toBe('SUCCEEDED');
      const output = JSON.parse(execution.output!) as { error: { Error: string; Cause: string } };
      expect(output.error.Error).toBe('NotFound');
      expect(JSON.parse(output.error.Cause)).toMatchObject({ errorType: 'NotFound', errorMessage: 'no double for -1' });
    });
  });

  describe('start-up and logs', () => {
    it('lists the functions it runs and skips the LogRetention custom resource’s function', () => {
      expect(local.stack.lambda.functionNames.sort()).toEqual(
        ['LambdaApp-FailureLog04245832', 'LambdaApp-Notes5BB3582F', 'LambdaApp-RecorderC4C6639E', 'LambdaApp-SlowACAFBC61'].sort(),
      );
      expect(local.stack.lambda.skipped).toEqual([expect.objectContaining({ logicalId: expect.stringMatching(/^LogRetention/) })]);
      expect(progress.some((line) => line.includes('skipped, not run: LambdaApp-LogRetention'))).toBe(true);
    });

    it('writes the functions’ console output and START/END/REPORT lines to the dev log, tagged with the function name', () => {
      expect(devLog).toContainEqual(expect.stringMatching(/^lambda LambdaApp-Notes5BB3582F: START RequestId: \S+ Version: \$LATEST$/));
      expect(devLog).toContainEqual(expect.stringMatching(/^lambda LambdaApp-SlowACAFBC61: \S+Z \S+ Task timed out after 1\.00 seconds$/));
    });
  });
});
