/**
 * The whole event-driven flow of a CDK app with a state machine, served from its synthesized assembly
 * (test/fixtures/orderSaga): an AppSync mutation puts an event on the bus → a rule starts the JSONata
 * state machine → its callback task puts the task token on the bus → a rule's AppSync target turns it
 * into a subscription message → the client answers through a mutation whose HTTP data source is signed
 * for `states` (SendTaskSuccess) → the machine puts OrderConfirmed on the bus → a rule's AppSync target
 * runs a mutation → the subscriber receives it. Then the execution is read back through
 * `@aws-sdk/client-sfn` against the local endpoint, SigV4-signed with a template role's credentials.
 */
import path from 'node:path';
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  SFNClient,
  StartSyncExecutionCommand,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppSyncRealtimeClient, type RealtimeMessage } from '../../helpers/appSyncRealtimeClient.ts';
import { useLocalStack } from '../../helpers/localStack.ts';

const ASSEMBLY = path.resolve('test/fixtures/orderSaga/assembly');
const SAGA_ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:order-saga';
const AUDIT_ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:order-audit';

describe('an AppSync → EventBridge → Step Functions → EventBridge → AppSync app, served locally', () => {
  const devLog: string[] = [];
  const local = useLocalStack({ cdkOut: ASSEMBLY, onEvent: (line) => devLog.push(line) });
  let realtime: AppSyncRealtimeClient;
  let sfn: SFNClient;

  beforeAll(async () => {
    realtime = await AppSyncRealtimeClient.connect(local.stack.realtimeUrl, {
      host: `localhost:${local.stack.port}`,
      'x-api-key': local.stack.apiKey,
    });
    realtime.send({ type: 'connection_init' });
    await realtime.next((message) => message.type === 'connection_ack');
    const role = Object.values(local.stack.assembly.stacks[0]!.roles).find((candidate) =>
      candidate.logicalId.startsWith('SagaEventsRole'),
    )!;
    // StartSyncExecution's endpoint trait prefixes the host with `sync-`; a local endpoint has no such name.
    sfn = new SFNClient({
      endpoint: local.stack.stepFunctionsEndpoint,
      region: 'us-east-1',
      credentials: local.stack.credentialsFor(role.arn),
      disableHostPrefix: true,
    });
  });

  afterAll(() => {
    realtime?.close();
    sfn?.destroy();
  });

  function subscribe(id: string, query: string): Promise<void> {
    realtime.send({
      id,
      type: 'start',
      payload: {
        data: JSON.stringify({ query }),
        extensions: { authorization: { host: `localhost:${local.stack.port}`, 'x-api-key': local.stack.apiKey } },
      },
    });
    return realtime.next((message) => message.type === 'start_ack' && message.id === id).then(() => undefined);
  }

  const dataFor = (id: string) => (message: RealtimeMessage) => message.type === 'data' && message.id === id;

  it('runs the saga: the token reaches the subscriber, the approval returns through the signed HTTP data source, the confirmation arrives', async () => {
    await subscribe('approval', 'subscription { onApprovalRequested(id: "o-1") { id token } }');
    await subscribe('confirmed', 'subscription { onOrderConfirmed(id: "o-1") { id status } }');

    const placed = await local.graphql('mutation { placeOrder(id: "o-1") { id status } }');
    expect(placed).toEqual({ data: { placeOrder: { id: 'o-1', status: 'PLACED' } } });

    const asked = await realtime.next(dataFor('approval'), 15_000);
    const { token } = (asked.payload!.data as { onApprovalRequested: { id: string; token: string } }).onApprovalRequested;
    expect(token).toMatch(/^AQ/);

    const approved = await local.graphql('mutation ($token: String!) { approve(token: $token, approved: true) }', { token });
    expect(approved).toEqual({ data: { approve: true } });

    const confirmed = await realtime.next(dataFor('confirmed'), 15_000);
    expect(confirmed.payload!.data).toEqual({ onOrderConfirmed: { id: 'o-1', status: 'CONFIRMED' } });

    const { executions } = await sfn.send(new ListExecutionsCommand({ stateMachineArn: SAGA_ARN }));
    expect(executions).toHaveLength(1);
    const executionArn = executions![0]!.executionArn!;
    await expect
      .poll(async () => (await sfn.send(new DescribeExecutionCommand({ executionArn }))).status, { timeout: 10_000 })
      .toBe('SUCCEEDED');
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(JSON.parse(described.output!)).toEqual({ id: 'o-1', approved: true });
    expect(described.input).toBe('{"id":"o-1"}');
    expect(described.startDate).toBeInstanceOf(Date);

    const { events } = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    expect(events!.map((event) => event.type)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSubmitted',
      'TaskSucceeded',
      'TaskStateExited',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
    const scheduled = JSON.parse(events![2]!.taskScheduledEventDetails!.parameters!) as {
      Entries: { EventBusName: string; Detail: { id: string } }[];
    };
    // DefinitionSubstitutions put the bus's name where the definition says ${BusName}.
    expect(scheduled.Entries[0]).toMatchObject({ EventBusName: 'orders', Detail: { id: 'o-1' } });
    // The dev log tells the execution's start and end, as it tells bus deliveries.
    const name = executions![0]!.name!;
    expect(devLog).toContain(`stepfunctions order-saga execution ${name} started`);
    expect(devLog.some((line) => line.startsWith(`stepfunctions order-saga execution ${name} SUCCEEDED in `))).toBe(true);
  });

  it('refuses a second approval of the same token (TaskTimedOut), as AppSync gets it from the signed HTTP data source', async () => {
    const { executions } = await sfn.send(new ListExecutionsCommand({ stateMachineArn: SAGA_ARN }));
    const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn: executions![0]!.executionArn! }));
    const token = (JSON.parse(history.events![2]!.taskScheduledEventDetails!.parameters!) as { Entries: { Detail: { token: string } }[] })
      .Entries[0]!.Detail.token;
    const again = await local.graphql('mutation ($token: String!) { approve(token: $token, approved: true) }', { token });
    expect(again.errors?.[0]).toMatchObject({ errorType: 'SendTaskSuccessFailed' });
    expect(again.errors?.[0]?.message).toContain('TaskTimedOut');
  });

  it('runs an Express machine whose definition is a file asset (DefinitionS3Location) with StartSyncExecution', async () => {
    const response = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn: AUDIT_ARN, name: 'audit-1', input: '{"id":"o-9"}' }));
    expect(response.status).toBe('SUCCEEDED');
    expect(JSON.parse(response.output!)).toEqual({ order: 'o-9', audited: 'audited o-9', execution: 'audit-1' });
  });

  it('answers the SDK with the API’s error names (ExecutionAlreadyExists, StateMachineTypeNotSupported)', async () => {
    await sfn.send(new StartExecutionCommand({ stateMachineArn: SAGA_ARN, name: 'dup', input: '{"id":"o-2"}' }));
    await expect(
      sfn.send(new StartExecutionCommand({ stateMachineArn: SAGA_ARN, name: 'dup', input: '{"id":"o-3"}' })),
    ).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });
    await expect(sfn.send(new StartSyncExecutionCommand({ stateMachineArn: SAGA_ARN, input: '{}' }))).rejects.toMatchObject({
      name: 'StateMachineTypeNotSupported',
    });
  });

  it('keeps serving its state machines, and their executions, after a reload of the assembly', async () => {
    const before = await sfn.send(new ListExecutionsCommand({ stateMachineArn: SAGA_ARN }));
    await local.stack.reload();
    const after = await sfn.send(new ListExecutionsCommand({ stateMachineArn: SAGA_ARN }));
    expect(after.executions!.map((execution) => execution.executionArn)).toEqual(
      before.executions!.map((execution) => execution.executionArn),
    );
    const response = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn: AUDIT_ARN, input: '{"id":"o-10"}' }));
    expect(response.status).toBe('SUCCEEDED');
  });

  it('refuses a request signed with a secret it did not issue (InvalidSignatureException)', async () => {
    const forged = new SFNClient({
      endpoint: local.stack.stepFunctionsEndpoint,
      region: 'us-east-1',
      credentials: {
        ...local.stack.credentialsFor(Object.keys(local.stack.assembly.stacks[0]!.roles)[0]!),
        secretAccessKey: 'not-the-secret',
      },
    });
    await expect(forged.send(new ListExecutionsCommand({ stateMachineArn: SAGA_ARN }))).rejects.toMatchObject({
      name: 'InvalidSignatureException',
    });
    forged.destroy();
  });
});
