/**
 * A pipe's behaviour against DynamoDB Local and the local bus (real stream, real PutEvents), checked
 * against the Pipes user guide: the event a bus target receives, batching window, retries with backoff
 * and the records kept after MaximumRetryAttempts, partial batch failures, AUTOMATIC_BISECT, the
 * stream order held while a batch is retried, the role's stream and PutEvents permissions, and what
 * runs nowhere locally. [dynamodb] eb-pipes-dynamodb.html, [batching] eb-pipes-batching-concurrency.html,
 * [errors] eb-pipes-error-troubleshooting.html, [tutorial] community.aws "Sending Events From DynamoDB
 * Using EventBridge Pipes" (the event AWS put on the bus).
 */
import { CreateTableCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDbLocal } from '../../../local/index.ts';
import { LocalEventBus } from '../../../local/index.ts';
import { LocalPipes, pipesFromTemplate, type InvocationServices, type PipeBatchLog } from '../../../local/index.ts';
import type { IamRoleModel } from '../../../local/index.ts';
import { leaseDynamoDb } from '../../helpers/sharedDynamoDb.ts';
import { LocalLambda, LocalStepFunctions } from '../../../local/index.ts';

const ACCOUNT = '123456789012';
const BUS_ARN = `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/out`;
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/pipe-role`;
const streamArnOf = (table: string) => `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/${table}/stream/1970-01-01T00:00:00.000`;

let db: DynamoDbLocal;
let client: DynamoDBClient;
let tableCount = 0;
beforeAll(async () => {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  db = await leaseDynamoDb();
  client = db.createClient();
}, 60_000);
// The worker's DynamoDB Local stays up for the next file (sharedDynamoDb.ts).
afterAll(() => client.destroy());

let pipes: LocalPipes | undefined;
let bus: LocalEventBus | undefined;
afterEach(async () => {
  await pipes?.stop();
  bus?.close();
});

/** A new table with a stream, so each test reads only its own records. */
async function newTable(): Promise<string> {
  tableCount += 1;
  const name = `pipe-source-${tableCount}`;
  await client.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    }),
  );
  return name;
}

const write = (table: string, pk: string, detail = '{}') =>
  client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: pk }, detail: { S: detail } } }));

function roleAllowing(actions: string[]): IamRoleModel {
  return { logicalId: 'PipeRole', arn: ROLE_ARN, name: 'pipe-role', statements: [{ Effect: 'Allow', Action: actions, Resource: '*' }] };
}
const STREAM_READ = ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams'];

/** Starts one pipe from a template resource; events the bus receives land in `received`. */
async function startPipe(
  table: string,
  properties: {
    source?: Record<string, unknown>;
    target?: string;
    targetParameters?: Record<string, unknown>;
    role?: IamRoleModel;
    desiredState?: string;
    inputTemplate?: string;
    services?: InvocationServices;
  },
) {
  const received: Record<string, unknown>[] = [];
  const batches: PipeBatchLog[] = [];
  bus = new LocalEventBus({
    account: ACCOUNT,
    region: 'us-east-1',
    invokers: { sqs: (call) => void received.push(JSON.parse(call.input) as Record<string, unknown>) },
  });
  bus.createEventBus({ Name: 'out' });
  bus.putRule({ Name: 'all', EventBusName: 'out', EventPattern: { account: [ACCOUNT] } });
  bus.putTargets({ Rule: 'all', EventBusName: 'out', Targets: [{ Id: 'q', Arn: `arn:aws:sqs:us-east-1:${ACCOUNT}:q` }] });
  const resources = {
    Pipe: {
      Type: 'AWS::Pipes::Pipe',
      Properties: {
        Name: 'test-pipe',
        RoleArn: ROLE_ARN,
        Source: streamArnOf(table),
        SourceParameters: { DynamoDBStreamParameters: { StartingPosition: 'TRIM_HORIZON', ...properties.source } },
        Target: properties.target ?? BUS_ARN,
        ...(properties.targetParameters || properties.inputTemplate
          ? {
              TargetParameters: {
                ...properties.targetParameters,
                ...(properties.inputTemplate ? { InputTemplate: properties.inputTemplate } : {}),
              },
            }
          : {}),
        ...(properties.desiredState ? { DesiredState: properties.desiredState } : {}),
      },
    },
  };
  pipes = new LocalPipes({
    dynamoDbEndpoint: db.endpoint,
    bus,
    region: 'us-east-1',
    timing: { pollIntervalMs: 20, retryBaseDelayMs: 20, retryMaxDelayMs: 100 },
    onBatch: (log) => batches.push(log),
    ...(properties.services ? { services: properties.services } : {}),
  });
  const role = properties.role ?? roleAllowing([...STREAM_READ, 'events:PutEvents']);
  await pipes.start(
    pipesFromTemplate(resources, { nameOf: () => 'test-pipe', arnOf: () => `arn:aws:pipes:us-east-1:${ACCOUNT}:pipe/test-pipe` }),
    { [ROLE_ARN]: role },
  );
  const settled = async () => {
    await pipes!.caughtUp();
    await bus!.idle();
  };
  return { received, batches, role, settled };
}

describe('a pipe from a DynamoDB stream to an event bus', () => {
  it('puts each record on the bus as AWS does with no target parameters: source "Pipe <name>", detail-type "Event from aws:dynamodb", the record as detail [tutorial] [dynamodb]', async () => {
    const table = await newTable();
    const { received, settled } = await startPipe(table, {});
    await write(table, 'a', '{"n":1}');
    await settled();
    expect(received).toEqual([
      expect.objectContaining({
        source: 'Pipe test-pipe',
        'detail-type': 'Event from aws:dynamodb',
        resources: [],
        account: ACCOUNT,
        region: 'us-east-1',
        detail: {
          eventID: expect.any(String),
          eventName: 'INSERT',
          eventVersion: '1.1',
          eventSource: 'aws:dynamodb',
          awsRegion: 'us-east-1',
          eventSourceARN: streamArnOf(table),
          dynamodb: {
            ApproximateCreationDateTime: expect.any(Number),
            Keys: { pk: { S: 'a' } },
            NewImage: { pk: { S: 'a' }, detail: { S: '{"n":1}' } },
            SequenceNumber: expect.any(String),
            SizeBytes: expect.any(Number),
            StreamViewType: 'NEW_AND_OLD_IMAGES',
          },
        },
      }),
    ]);
  });

  it('gathers the records written within MaximumBatchingWindowInSeconds into one batch [dynamodb]', async () => {
    const table = await newTable();
    const { batches, received, settled } = await startPipe(table, { source: { MaximumBatchingWindowInSeconds: 2, BatchSize: 10 } });
    await Promise.all(['a', 'b', 'c', 'd', 'e'].map((pk) => write(table, pk)));
    await settled();
    expect(received).toHaveLength(5);
    expect(batches.map((batch) => [batch.outcome, batch.records])).toEqual([['delivered', 5]]);
  });

  it('retries a failed batch with backoff, then keeps its records as failed after MaximumRetryAttempts (the role may not PutEvents) [errors]', async () => {
    const table = await newTable();
    const { batches, received, settled } = await startPipe(table, {
      source: {
        MaximumRetryAttempts: 2,
        MaximumBatchingWindowInSeconds: 2,
        BatchSize: 10,
        DeadLetterConfig: { Arn: `arn:aws:sqs:us-east-1:${ACCOUNT}:pipe-dlq` },
      },
      role: roleAllowing(STREAM_READ),
    });
    await write(table, 'a');
    await write(table, 'b');
    await settled();
    expect(received).toEqual([]);
    expect(batches.map((batch) => [batch.outcome, batch.attempt])).toEqual([
      ['retrying', 1],
      ['retrying', 2],
      ['failed', 3],
    ]);
    const [failed] = pipes!.failedBatches();
    expect(failed).toMatchObject({
      pipeName: 'test-pipe',
      deadLetterArn: `arn:aws:sqs:us-east-1:${ACCOUNT}:pipe-dlq`,
      condition: 'RetryAttemptsExhausted',
      attempts: 3,
      error: { code: 'AccessDeniedException', message: `role ${ROLE_ARN} may not call events:PutEvents on ${BUS_ARN}` },
      batchInfo: { batchSize: 2, streamArn: streamArnOf(table), shardId: expect.any(String) },
    });
    expect(failed!.records.map((record) => (record.dynamodb.Keys as { pk: { S: string } }).pk.S)).toEqual(['a', 'b']);
  });

  it('retries only the records the bus refused (partial batch failure) and delivers the others once [batching]', async () => {
    const table = await newTable();
    const { batches, received, settled } = await startPipe(table, {
      source: { MaximumRetryAttempts: 1, MaximumBatchingWindowInSeconds: 2, BatchSize: 10 },
      targetParameters: { InputTemplate: '<$.dynamodb.NewImage.detail.S>' },
    });
    await write(table, 'a', '{"n":1}');
    await write(table, 'b', 'not a JSON object');
    await write(table, 'c', '{"n":3}');
    await settled();
    expect(received.map((event) => event.detail)).toEqual([{ n: 1 }, { n: 3 }]);
    expect(batches.map((batch) => [batch.outcome, batch.records, batch.error?.code])).toEqual([
      ['retrying', 1, 'MalformedDetail'],
      ['failed', 1, 'MalformedDetail'],
    ]);
    expect(
      pipes!.failedBatches().map((batch) => batch.records.map((record) => (record.dynamodb.Keys as { pk: { S: string } }).pk.S)),
    ).toEqual([['b']]);
  });

  it('with AUTOMATIC_BISECT halves a batch the bus refuses as a whole, until only the bad record is left [dynamodb]', async () => {
    const table = await newTable();
    const { received, settled } = await startPipe(table, {
      source: { MaximumRetryAttempts: 3, MaximumBatchingWindowInSeconds: 2, BatchSize: 10, OnPartialBatchItemFailure: 'AUTOMATIC_BISECT' },
    });
    // A record over PutEvents' 256 KB makes the whole request fail (ValidationException), not one entry.
    await write(table, 'a');
    await write(table, 'big', 'x'.repeat(300_000));
    await write(table, 'c');
    await write(table, 'd');
    await settled();
    const keys = (events: { dynamodb: unknown }[]) => events.map((event) => (event.dynamodb as { Keys: { pk: { S: string } } }).Keys.pk.S);
    expect(keys(received.map((event) => event.detail as { dynamodb: unknown }))).toEqual(['a', 'c', 'd']);
    expect(pipes!.failedBatches().map((batch) => [batch.condition, keys(batch.records)])).toEqual([['RetryAttemptsExhausted', ['big']]]);
  });

  it('without AUTOMATIC_BISECT keeps the whole refused batch as failed', async () => {
    const table = await newTable();
    const { received, settled } = await startPipe(table, {
      source: { MaximumRetryAttempts: 1, MaximumBatchingWindowInSeconds: 2, BatchSize: 10 },
    });
    await write(table, 'a');
    await write(table, 'big', 'x'.repeat(300_000));
    await settled();
    expect(received).toEqual([]);
    expect(pipes!.failedBatches().map((batch) => batch.batchInfo.batchSize)).toEqual([2]);
  });

  it('holds back later records while a batch is retried, so the bus gets them in write order [dynamodb: "maintains the order of records"]', async () => {
    const table = await newTable();
    const { received, role, settled } = await startPipe(table, { role: roleAllowing(STREAM_READ) });
    await write(table, 'first');
    await new Promise((resolve) => setTimeout(resolve, 150)); // the first batch is now being retried
    await write(table, 'second');
    await write(table, 'third');
    expect(received).toEqual([]);
    role.statements.push({ Effect: 'Allow', Action: 'events:PutEvents', Resource: BUS_ARN });
    await settled();
    expect(received.map((event) => (event.detail as { dynamodb: { Keys: { pk: { S: string } } } }).dynamodb.Keys.pk.S)).toEqual([
      'first',
      'second',
      'third',
    ]);
  });
});

describe('a pipe to a Step Functions state machine or a Lambda function [targets] [batching]', () => {
  const SFN_ROLE = [...STREAM_READ, 'states:StartExecution', 'states:StartSyncExecution', 'lambda:InvokeFunction'];
  /** Fails when a record's `detail` says "poison", else echoes its input. */
  const CHECK = {
    StartAt: 'Check',
    States: {
      Check: {
        Type: 'Choice',
        Choices: [
          {
            And: [
              { Variable: '$[0].detail', IsPresent: true },
              { Variable: '$[0].detail', StringEquals: 'poison' },
            ],
            Next: 'Poisoned',
          },
        ],
        Default: 'Done',
      },
      Poisoned: { Type: 'Fail', Error: 'Poisoned', Cause: 'a poisoned record' },
      Done: { Type: 'Succeed' },
    },
  };
  let sfn: LocalStepFunctions;
  let lambda: LocalLambda | undefined;
  beforeAll(() => {
    sfn = new LocalStepFunctions({ region: 'us-east-1', accountId: ACCOUNT });
  });
  afterAll(async () => {
    await sfn.close();
  });
  afterEach(() => {
    lambda?.stop();
    lambda = undefined;
  });
  const machine = (name: string, type: 'STANDARD' | 'EXPRESS') => sfn.createStateMachine({ name, definition: CHECK, type }).stateMachineArn;
  const inputsOf = (stateMachineArn: string) =>
    sfn
      .listExecutions({ stateMachineArn })
      .executions.map(
        (execution) => JSON.parse(String(sfn.describeExecution({ executionArn: String(execution.executionArn) }).input)) as unknown,
      );
  const detailOf = (record: unknown) => (record as { dynamodb: { NewImage: { detail: { S: string } } } }).dynamodb.NewImage.detail.S;

  it('starts one execution per batch whose input is the batch as a JSON array, each record shaped by the InputTemplate on its own (FIRE_AND_FORGET, a Standard machine)', async () => {
    const table = await newTable();
    const arn = machine('fire-and-forget', 'STANDARD');
    const { batches, settled } = await startPipe(table, {
      target: arn,
      targetParameters: { StepFunctionStateMachineParameters: { InvocationType: 'FIRE_AND_FORGET' } },
      inputTemplate: '{"pk": <$.dynamodb.Keys.pk.S>, "detail": <$.dynamodb.NewImage.detail.S>}',
      source: { MaximumBatchingWindowInSeconds: 2, BatchSize: 10 },
      role: roleAllowing([...STREAM_READ, 'states:StartExecution']),
      services: { stepFunctions: sfn },
    });
    await Promise.all(['a', 'b', 'c'].map((pk) => write(table, pk, `d-${pk}`)));
    await settled();
    expect(batches.map((batch) => [batch.outcome, batch.records])).toEqual([['delivered', 3]]);
    const [input] = inputsOf(arn);
    expect((input as { pk: string }[]).map((record) => record.pk).sort()).toEqual(['a', 'b', 'c']);
    expect(input).toContainEqual({ pk: 'a', detail: 'd-a' });
  });

  it('sends a batch of one as an array too, the record as the pipe reads it without an InputTemplate (REQUEST_RESPONSE, the default, an Express machine)', async () => {
    const table = await newTable();
    const arn = machine('sync-one', 'EXPRESS');
    const { batches, settled } = await startPipe(table, { target: arn, role: roleAllowing(SFN_ROLE), services: { stepFunctions: sfn } });
    await write(table, 'a', 'fine');
    await settled();
    expect(batches.map((batch) => batch.outcome)).toEqual(['delivered']);
    const [input] = inputsOf(arn) as unknown[][];
    expect(input).toHaveLength(1);
    expect(detailOf(input![0])).toBe('fine');
    expect(input![0]).toMatchObject({ eventName: 'INSERT', eventSource: 'aws:dynamodb' });
  });

  it('retries a batch whose synchronous execution fails, then keeps it as failed with the execution’s error and cause', async () => {
    const table = await newTable();
    const arn = machine('sync-poison', 'EXPRESS');
    const { batches, settled } = await startPipe(table, {
      target: arn,
      source: { MaximumRetryAttempts: 1 },
      inputTemplate: '{"detail": <$.dynamodb.NewImage.detail.S>}',
      role: roleAllowing(SFN_ROLE),
      services: { stepFunctions: sfn },
    });
    await write(table, 'a', 'poison');
    await settled();
    expect(batches.map((batch) => batch.outcome)).toEqual(['retrying', 'failed']);
    expect(pipes!.failedBatches()).toEqual([
      expect.objectContaining({
        condition: 'RetryAttemptsExhausted',
        attempts: 2,
        error: { code: 'Poisoned', message: 'a poisoned record' },
      }),
    ]);
  });

  it('does not start a REQUEST_RESPONSE pipe to a Standard machine, which AWS refuses (API_PipeTargetStateMachineParameters)', async () => {
    const table = await newTable();
    await startPipe(table, {
      target: machine('standard-sync', 'STANDARD'),
      role: roleAllowing(SFN_ROLE),
      services: { stepFunctions: sfn },
    });
    expect(pipes!.list()[0]).toMatchObject({
      currentState: 'START_FAILED',
      stateReason: expect.stringContaining('is a STANDARD state machine, which takes no REQUEST_RESPONSE invocation'),
    });
  });

  it('fails a batch AccessDeniedException when the role may not start the machine', async () => {
    const table = await newTable();
    await startPipe(table, {
      target: machine('denied', 'EXPRESS'),
      source: { MaximumRetryAttempts: 0 },
      role: roleAllowing([...STREAM_READ, 'states:StartExecution']),
      services: { stepFunctions: sfn },
    });
    await write(table, 'a');
    await pipes!.caughtUp();
    expect(pipes!.failedBatches()).toEqual([
      expect.objectContaining({ error: { code: 'AccessDeniedException', message: expect.stringContaining('states:StartSyncExecution') } }),
    ]);
  });

  /** A function that logs what it receives and throws on a "poison" record. */
  function localFunction(): { lambda: LocalLambda; arn: string; logs: string[] } {
    const codeDirectory = mkdtempSync(path.join(tmpdir(), 'pipe-lambda-target-'));
    writeFileSync(
      path.join(codeDirectory, 'index.js'),
      `exports.handler = async (batch) => {
        console.log('RECEIVED ' + JSON.stringify(batch));
        if (batch.some((record) => record.detail === 'poison')) throw new Error('poisoned batch');
        return { ok: true };
      };`,
    );
    const arn = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:PipeTarget`;
    const logs: string[] = [];
    lambda = new LocalLambda(
      [
        {
          logicalId: 'Fn',
          name: 'PipeTarget',
          arn,
          runtime: 'nodejs20.x',
          handler: 'index.handler',
          codeDirectory,
          environment: {},
          timeoutSeconds: 5,
          memoryMB: 128,
        },
      ],
      { region: 'us-east-1', accountId: ACCOUNT, onLog: (line) => logs.push(line), async: { delayScale: 0.001 } },
    );
    return { lambda, arn, logs };
  }
  const received = (logs: string[]) =>
    logs.flatMap((line) => (line.includes('RECEIVED ') ? [JSON.parse(line.slice(line.indexOf('RECEIVED ') + 9)) as unknown] : []));

  it('invokes a function with the batch as a JSON array and retries the batch on a function error (REQUEST_RESPONSE)', async () => {
    const table = await newTable();
    const fn = localFunction();
    const { batches, settled } = await startPipe(table, {
      target: fn.arn,
      source: { MaximumRetryAttempts: 1 },
      inputTemplate: '{"detail": <$.dynamodb.NewImage.detail.S>}',
      role: roleAllowing(SFN_ROLE),
      services: { lambda: () => fn.lambda },
    });
    await write(table, 'a', 'fine');
    await settled();
    await write(table, 'b', 'poison');
    await settled();
    expect(received(fn.logs)).toEqual([[{ detail: 'fine' }], [{ detail: 'poison' }], [{ detail: 'poison' }]]);
    expect(batches.map((batch) => batch.outcome)).toEqual(['delivered', 'retrying', 'failed']);
    expect(pipes!.failedBatches()).toEqual([
      expect.objectContaining({ error: { code: 'Lambda.FunctionError', message: expect.stringContaining('poisoned batch') } }),
    ]);
  });

  it('hands a batch to Lambda’s asynchronous queue and counts it delivered, whatever the function then does (FIRE_AND_FORGET)', async () => {
    const table = await newTable();
    const fn = localFunction();
    const { batches, settled } = await startPipe(table, {
      target: fn.arn,
      targetParameters: { LambdaFunctionParameters: { InvocationType: 'FIRE_AND_FORGET' } },
      inputTemplate: '{"detail": <$.dynamodb.NewImage.detail.S>}',
      role: roleAllowing(SFN_ROLE),
      services: { lambda: () => fn.lambda },
    });
    await write(table, 'a', 'poison');
    await settled();
    expect(batches.map((batch) => batch.outcome)).toEqual(['delivered']);
    await fn.lambda.asyncIdle();
    // Lambda's own retries of an asynchronous invocation: the first attempt and 2 more (invocation-async-error-handling.html).
    expect(received(fn.logs)).toEqual([[{ detail: 'poison' }], [{ detail: 'poison' }], [{ detail: 'poison' }]]);
  });
});

describe('a pipe that cannot run as written', () => {
  it('does not start when its role may not read the stream, saying which permissions are missing [errors: StateReason]', async () => {
    const table = await newTable();
    await startPipe(table, { role: roleAllowing(['dynamodb:GetRecords', 'events:PutEvents']) });
    expect(pipes!.list()).toEqual([
      expect.objectContaining({
        currentState: 'START_FAILED',
        stateReason: `Pipes does not have required permissions to perform DynamoDB stream operations (dynamodb:DescribeStream, dynamodb:GetShardIterator, dynamodb:ListStreams) on ${streamArnOf(table)} as role ${ROLE_ARN}.`,
      }),
    ]);
  });

  it('does not start when its table has no stream', async () => {
    await client.send(
      new CreateTableCommand({
        TableName: 'no-stream',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      }),
    );
    await startPipe('no-stream', {});
    expect(pipes!.list()[0]).toMatchObject({
      currentState: 'START_FAILED',
      stateReason: expect.stringContaining('Table no-stream has no stream: give it a StreamSpecification'),
    });
  });

  it('keeps every batch for a target kind that does not run here (an SQS queue) as failed, saying why', async () => {
    const table = await newTable();
    const { settled } = await startPipe(table, { target: `arn:aws:sqs:us-east-1:${ACCOUNT}:queue` });
    await write(table, 'a');
    await settled();
    expect(pipes!.failedBatches()).toEqual([
      expect.objectContaining({
        condition: 'NotRunLocally',
        attempts: 1,
        error: { code: 'NotRunLocally', message: expect.stringContaining('targets of service "sqs" do not run locally') },
      }),
    ]);
  });

  it('is not run when its DesiredState is STOPPED', async () => {
    const table = await newTable();
    const { received, settled } = await startPipe(table, { desiredState: 'STOPPED' });
    await write(table, 'a');
    await settled();
    expect(received).toEqual([]);
    expect(pipes!.list()[0]?.currentState).toBe('STOPPED');
  });
});
