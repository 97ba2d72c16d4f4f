// The local bus: PutEvents (shapes and validation of https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html),
// routing by rule, delivery after the response, retries per the target's RetryPolicy, failed deliveries
// (the dead-letter queue stand-in) and close(). Targets are a fake invoker: the real AppSync target is wired elsewhere.
import { afterEach, describe, expect, it } from 'vitest';
import {
  EventBridgeError,
  formatDeliveryLog,
  LocalEventBus,
  type AppSyncTargetCall,
  type DeliveryLog,
  type DeliveryResult,
  type LocalEventBusOptions,
  type Target,
} from '../../../local/eventbridge/index.ts';

const OPERATION = 'mutation Save($input: ReservationEventInput!) { saveReservationEvent(input: $input) { id status } }';
const ROLE = 'arn:aws:iam::000000000000:role/StoreRole';
const appSyncTarget = (overrides: Partial<Target> = {}): Target => ({
  Id: 'Target0',
  Arn: 'arn:aws:appsync:us-east-1:000000000000:endpoints/graphql-api/abc',
  RoleArn: ROLE,
  AppSyncParameters: { GraphQLOperation: OPERATION },
  InputTransformer: { InputPathsMap: { detail: '$.detail' }, InputTemplate: '{"input":<detail>}' },
  RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 300 },
  DeadLetterConfig: { Arn: 'arn:aws:sqs:us-east-1:000000000000:StoreDeadLetters' },
  ...overrides,
});
const entry = (overrides: Record<string, unknown> = {}) => ({
  Source: 'app.reservation',
  DetailType: 'ReservationRequested',
  Detail: JSON.stringify({ id: 'r1', nights: 2 }),
  EventBusName: 'core',
  ...overrides,
});

const buses: LocalEventBus[] = [];
afterEach(() => {
  for (const bus of buses.splice(0)) bus.close();
});

/** A bus with bus "core", rule "store" on source app.reservation, and a recording AppSync invoker. */
function given(
  options: {
    respond?: (call: AppSyncTargetCall) => DeliveryResult | void | Promise<DeliveryResult | void>;
    target?: Partial<Target>;
  } & LocalEventBusOptions = {},
) {
  const calls: AppSyncTargetCall[] = [];
  const logs: DeliveryLog[] = [];
  const bus = new LocalEventBus({
    retry: { baseDelayMs: 1, jitter: false },
    onDelivery: (log) => logs.push(log),
    ...options,
    invokers: {
      appsync: async (call) => {
        calls.push(call);
        return options.respond?.(call);
      },
      ...options.invokers,
    },
  });
  buses.push(bus);
  bus.createEventBus({ Name: 'core' });
  bus.putRule({ Name: 'store', EventBusName: 'core', EventPattern: { source: ['app.reservation'] } });
  bus.putTargets({ Rule: 'store', EventBusName: 'core', Targets: [appSyncTarget(options.target)] });
  return { bus, calls, logs };
}

describe('putEvents', () => {
  it('answers with an EventId per entry before any target is invoked', async () => {
    const { bus, calls } = given();
    const response = bus.putEvents({ Entries: [entry()] });
    expect(response).toEqual({ FailedEntryCount: 0, Entries: [{ EventId: expect.stringMatching(/^[0-9a-f-]{36}$/) }] });
    expect(calls).toHaveLength(0);
    await bus.idle();
    expect(calls).toHaveLength(1);
  });

  it('builds the envelope AWS builds', async () => {
    const { bus, calls } = given({ account: '123456789012', region: 'eu-west-1' });
    const response = bus.putEvents({ Entries: [entry({ Time: new Date('2026-03-01T10:20:30.456Z'), Resources: ['arn:x'] })] });
    await bus.idle();
    expect(calls[0]?.event).toEqual({
      version: '0',
      id: (response.Entries[0] as { EventId: string }).EventId,
      'detail-type': 'ReservationRequested',
      source: 'app.reservation',
      account: '123456789012',
      time: '2026-03-01T10:20:30Z',
      region: 'eu-west-1',
      resources: ['arn:x'],
      detail: { id: 'r1', nights: 2 },
    });
  });

  it('fails each bad entry in its own place and accepts the rest', async () => {
    const { bus, calls } = given();
    const response = bus.putEvents({
      Entries: [
        entry(),
        entry({ Source: undefined }),
        entry({ DetailType: '' }),
        entry({ Detail: undefined }),
        entry({ Detail: 'not json' }),
        entry({ Detail: '[1,2]' }),
        entry({ Source: 'aws.ec2' }),
        entry({ EventBusName: 'nope' }),
        entry({ Time: 'yesterday' }),
      ],
    });
    expect(response.FailedEntryCount).toBe(8);
    expect(response.Entries.slice(1)).toEqual([
      { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Source is not valid. Reason: Source is a required argument.' },
      { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter DetailType is not valid. Reason: DetailType is a required argument.' },
      { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Detail is not valid. Reason: Detail is a required argument.' },
      { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' },
      { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' },
      { ErrorCode: 'NotAuthorizedForSourceException', ErrorMessage: 'Not authorized for the source.' },
      { ErrorCode: 'ResourceNotFoundException', ErrorMessage: 'Event bus nope does not exist.' },
      { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Time is not valid.' },
    ]);
    await bus.idle();
    expect(calls).toHaveLength(1);
  });

  it.each([
    { name: 'no entries', entries: [] },
    { name: 'eleven entries', entries: Array.from({ length: 11 }, () => entry()) },
    {
      name: 'entries over 256 KB in total',
      entries: [
        entry({ Detail: JSON.stringify({ big: 'x'.repeat(200 * 1024) }) }),
        entry({ Detail: JSON.stringify({ big: 'y'.repeat(60 * 1024) }) }),
      ],
    },
  ])('refuses the whole request with $name', ({ entries }) => {
    const { bus } = given();
    expect(() => bus.putEvents({ Entries: entries })).toThrow(expect.objectContaining({ code: 'ValidationException' }));
  });

  it('accepts an entry of just under 256 KB', () => {
    const { bus } = given();
    const detail = JSON.stringify({ big: 'x'.repeat(256 * 1024 - 200) });
    expect(bus.putEvents({ Entries: [entry({ Detail: detail })] }).FailedEntryCount).toBe(0);
  });

  it('takes the bus by ARN as well as by name', async () => {
    const { bus, calls } = given();
    bus.putEvents({ Entries: [entry({ EventBusName: bus.busArn('core') })] });
    await bus.idle();
    expect(calls).toHaveLength(1);
  });
});

describe('routing', () => {
  it('gives the AppSync invoker the operation, the transformed input as variables, the role and the rule', async () => {
    const { bus, calls } = given();
    bus.putEvents({ Entries: [entry()] });
    await bus.idle();
    expect(calls[0]).toMatchObject({
      kind: 'appsync',
      operation: OPERATION,
      variables: { input: { id: 'r1', nights: 2 } },
      roleArn: ROLE,
      ruleName: 'store',
      attempt: 1,
    });
  });

  it('does not deliver for a rule whose pattern does not match, a disabled rule, or another bus', async () => {
    const { bus, calls } = given();
    bus.putEvents({ Entries: [entry({ Source: 'app.other' }), entry({ EventBusName: 'default' })] });
    bus.disableRule({ Name: 'store', EventBusName: 'core' });
    bus.putEvents({ Entries: [entry()] });
    await bus.idle();
    expect(calls).toHaveLength(0);
    bus.enableRule({ Name: 'store', EventBusName: 'core' });
    bus.putEvents({ Entries: [entry()] });
    await bus.idle();
    expect(calls).toHaveLength(1);
  });

  it('delivers to every target of every matching rule', async () => {
    const { bus } = given();
    const calls: AppSyncTargetCall[] = [];
    const queued: string[] = [];
    const second = new LocalEventBus({
      invokers: { appsync: (call) => void calls.push(call), sqs: (call) => void queued.push(call.input) },
    });
    buses.push(second);
    second.putRule({ Name: 'a', EventPattern: '{"detail-type":["ReservationRequested"]}' });
    second.putRule({ Name: 'b', EventPattern: { detail: { nights: [{ numeric: ['>', 1] }] } } });
    second.putTargets({
      Rule: 'a',
      Targets: [appSyncTarget(), { Id: 'q', Arn: 'arn:aws:sqs:us-east-1:000000000000:q', InputPath: '$.detail.id' }],
    });
    second.putTargets({ Rule: 'b', Targets: [{ Id: 'q', Arn: 'arn:aws:sqs:us-east-1:000000000000:q' }] });
    second.putEvents({ Entries: [entry({ EventBusName: undefined })] });
    await second.idle();
    expect(calls.map((c) => c.ruleName)).toEqual(['a']);
    expect(queued).toHaveLength(2);
    expect(queued).toContain('"r1"');
    expect(second.failedDeliveries()).toEqual([]);
    expect(bus.listRules({ EventBusName: 'core' }).Rules.map((r) => r.Name)).toEqual(['store']);
  });

  it('refuses a rule with an invalid pattern, as PutRule does', () => {
    const { bus } = given();
    expect(() => bus.putRule({ Name: 'bad', EventPattern: { source: 'x' } })).toThrow(
      expect.objectContaining({ code: 'InvalidEventPatternException' }),
    );
  });

  it.each([
    { name: 'MaximumRetryAttempts above 185', target: { RetryPolicy: { MaximumRetryAttempts: 186 } } },
    { name: 'MaximumEventAgeInSeconds under 60', target: { RetryPolicy: { MaximumEventAgeInSeconds: 10 } } },
    { name: 'an AppSync target without an operation', target: { AppSyncParameters: {} } },
    { name: 'an Id with a space', target: { Id: 'bad id' } },
  ])('refuses a target with $name', ({ target }) => {
    const { bus } = given();
    expect(() => bus.putTargets({ Rule: 'store', EventBusName: 'core', Targets: [appSyncTarget(target as Partial<Target>)] })).toThrow(
      EventBridgeError,
    );
  });
});

describe('retries', () => {
  it('retries a failed attempt with doubling delays until it succeeds', async () => {
    let failures = 2;
    const { bus, calls, logs } = given({
      respond: () => {
        if (failures > 0) {
          failures -= 1;
          throw new Error('AppSync unavailable');
        }
      },
    });
    bus.putEvents({ Entries: [entry()] });
    await bus.idle();
    expect(calls.map((c) => c.attempt)).toEqual([1, 2, 3]);
    expect(logs.map((l) => [l.outcome, l.attempt, l.nextAttemptInMs])).toEqual([
      ['retrying', 1, 1],
      ['retrying', 2, 2],
      ['delivered', 3, undefined],
    ]);
    expect(logs[0]).toMatchObject({
      ruleName: 'store',
      targetId: 'Target0',
      targetKind: 'appsync',
      maxAttempts: 9,
      error: 'AppSync unavailable',
    });
    expect(bus.failedDeliveries()).toEqual([]);
  });

  it('treats { ok: false, error } as a failed attempt', async () => {
    const { bus, calls } = given({
      respond: (call) => (call.attempt === 1 ? { ok: false, error: 'conflict' } : { ok: true }),
      target: { RetryPolicy: { MaximumRetryAttempts: 1 } },
    });
    bus.putEvents({ Entries: [entry()] });
    await bus.idle();
    expect(calls).toHaveLength(2);
    expect(bus.failedDeliveries()).toEqual([]);
  });

  it('after MaximumRetryAttempts the event goes to the failed deliveries with the error, attempts, rule and target', async () => {
    const { bus, calls, logs } = given({
      respond: () => ({ ok: false, error: new Error('Unauthorized') }),
      target: { RetryPolicy: { MaximumRetryAttempts: 2 } },
    });
    const response = bus.putEvents({ Entries: [entry()] });
    await bus.idle();
    expect(calls).toHaveLength(3);
    expect(logs.map((l) => l.outcome)).toEqual(['retrying', 'retrying', 'failed']);
    const [failed] = bus.failedDeliveries();
    expect(failed).toMatchObject({
      event: { id: (response.Entries[0] as { EventId: string }).EventId },
      input: '{"input":{"id":"r1","nights":2}}',
      eventBusName: 'core',
      ruleName: 'store',
      ruleArn: 'arn:aws:events:us-east-1:000000000000:rule/core/store',
      targetId: 'Target0',
      targetKind: 'appsync',
      deadLetterArn: 'arn:aws:sqs:us-east-1:000000000000:StoreDeadLetters',
      errorMessage: 'Unauthorized',
      exhaustedRetryCondition: 'MaximumRetryAttempts',
      attempts: 3,
    });
    bus.clearFailedDeliveries();
    expect(bus.failedDeliveries()).toEqual([]);
  });

  it('with MaximumRetryAttempts 0 an event is tried once', async () => {
    const { bus, calls } = given({ respond: () => ({ ok: false, error: 'no' }), target: { RetryPolicy: { MaximumRetryAttempts: 0 } } });
    bus.putEvents({ Entries: [entry()] });
    await bus.idle();
    expect(calls).toHaveLength(1);
    expect(bus.failedDeliveries()[0]?.exhaustedRetryCondition).toBe('MaximumRetryAttempts');
  });

  it('stops retrying once the event is older than MaximumEventAgeInSeconds', async () => {
    let clock = Date.parse('2026-01-01T00:00:00Z');
    const { bus, calls } = given({
      now: () => new Date(clock),
      respond: () => {
        clock += 40_000; // each attempt takes 40 s of the 60 s budget
        return { ok: false, error: 'slow' };
      },
      target: { RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 60 } },
    });
    bus.putEvents({ Entries: [entry()] });
    await bus.idle();
    expect(calls).toHaveLength(2);
    expect(bus.failedDeliveries()[0]).toMatchObject({ exhaustedRetryCondition: 'MaximumEventAgeInSeconds', attempts: 2 });
  });

  it('does not retry input that cannot be GraphQL variables', async () => {
    const { bus, calls } = given({ target: { InputTransformer: { InputPathsMap: { id: '$.detail.id' }, InputTemplate: '"<id>"' } } });
    bus.putEvents({ Entries: [entry()] });
    await bus.idle();
    expect(calls).toHaveLength(0);
    expect(bus.failedDeliveries()[0]).toMatchObject({ errorCode: 'InvalidInput', attempts: 1, exhaustedRetryCondition: undefined });
  });

  it('fails, without retrying, a target kind that has no invoker', async () => {
    const bus = new LocalEventBus({ retry: { baseDelayMs: 1 } });
    buses.push(bus);
    bus.putRule({ Name: 'r', EventPattern: { source: ['app.reservation'] } });
    bus.putTargets({ Rule: 'r', Targets: [{ Id: 'fn', Arn: 'arn:aws:lambda:us-east-1:000000000000:function:f' }] });
    bus.putEvents({ Entries: [entry({ EventBusName: undefined })] });
    await bus.idle();
    expect(bus.failedDeliveries()[0]).toMatchObject({ errorCode: 'NoInvoker', targetKind: 'lambda', attempts: 1 });
  });

  it('applies jitter between half and all of the delay', async () => {
    const { bus, logs } = given({
      retry: { baseDelayMs: 8, jitter: true },
      random: () => 0.5,
      respond: (call) => (call.attempt < 3 ? { ok: false, error: 'x' } : undefined),
    });
    bus.putEvents({ Entries: [entry()] });
    await bus.idle();
    expect(logs.map((l) => l.nextAttemptInMs)).toEqual([6, 12, undefined]);
  });
});

describe('close', () => {
  it('cancels pending retries and leaves no timer running', async () => {
    const { bus, calls } = given({ retry: { baseDelayMs: 60_000, jitter: false }, respond: () => ({ ok: false, error: 'down' }) });
    bus.putEvents({ Entries: [entry()] });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(calls).toHaveLength(1);
    expect(bus.scheduledCount).toBe(1);
    bus.close();
    expect(bus.scheduledCount).toBe(0);
    await bus.idle();
    expect(calls).toHaveLength(1);
  });

  it('cancels first attempts that have not run yet, and refuses new events', async () => {
    const { bus, calls } = given();
    bus.putEvents({ Entries: [entry(), entry()] });
    expect(bus.scheduledCount).toBe(2);
    bus.close();
    expect(bus.scheduledCount).toBe(0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toHaveLength(0);
    expect(() => bus.putEvents({ Entries: [entry()] })).toThrow(/closed/);
  });
});

describe('delivery log lines', () => {
  it('formats one readable line per attempt', () => {
    const line = formatDeliveryLog({
      eventId: '0123456789abcdef',
      source: 'app.reservation',
      detailType: 'ReservationRequested',
      eventBusName: 'core',
      ruleName: 'store',
      targetId: 'Target0',
      targetKind: 'appsync',
      attempt: 2,
      maxAttempts: 9,
      durationMs: 12.4,
      outcome: 'retrying',
      error: 'AppSync unavailable',
      nextAttemptInMs: 200,
    });
    expect(line).toBe(
      'eventbridge retrying app.reservation/ReservationRequested 01234567 → rule store → appsync Target0 (attempt 2/9, 12 ms) - AppSync unavailable; next attempt in 200 ms',
    );
    expect(line).not.toContain('\n');
  });
});
