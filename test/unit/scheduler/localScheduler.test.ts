/**
 * The local EventBridge Scheduler: the REST calls AppSync's HTTP data source
 * makes, answered as Scheduler answers them, and one-time schedules that put
 * their input on the bus as their role, on time, once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { LocalEventBus, type AppSyncTargetCall } from '../../../local/eventbridge/index.ts';
import { LocalScheduler } from '../../../local/scheduler/LocalScheduler.ts';
import type { IamRoleModel } from '../../../local/template/cloudAssembly.ts';

const BUS = 'arn:aws:events:us-east-1:123456789012:event-bus/core';
const ROLE = 'arn:aws:iam::123456789012:role/timeouts';
const roles: Record<string, IamRoleModel> = {
  [ROLE]: {
    logicalId: 'Timeouts',
    arn: ROLE,
    name: 'timeouts',
    statements: [{ Effect: 'Allow', Action: 'events:PutEvents', Resource: BUS }],
  },
  'arn:aws:iam::123456789012:role/other': {
    logicalId: 'Other',
    arn: 'arn:aws:iam::123456789012:role/other',
    name: 'other',
    statements: [],
  },
};

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function setUp() {
  const delivered: AppSyncTargetCall[] = [];
  const bus = new LocalEventBus({ invokers: { appsync: (call) => void delivered.push(call) } });
  bus.createEventBus({ Name: 'core' });
  bus.putRule({ Name: 'store', EventBusName: 'core', EventPattern: JSON.stringify({ source: ['app.reservation'] }) });
  bus.putTargets({
    Rule: 'store',
    EventBusName: 'core',
    Targets: [
      {
        Id: 'api',
        Arn: 'arn:aws:appsync:us-east-1:123456789012:apis/x',
        RoleArn: ROLE,
        AppSyncParameters: { GraphQLOperation: 'mutation { x }' },
      },
    ],
  });
  const lines: string[] = [];
  const scheduler = new LocalScheduler({
    bus,
    roles,
    accountId: '123456789012',
    region: 'us-east-1',
    retryBaseDelayMs: 10,
    onEvent: (line) => lines.push(line),
  });
  cleanups.push(() => {
    scheduler.close();
    bus.close();
  });
  return { bus, scheduler, delivered, lines };
}

function atIn(ms: number): string {
  return new Date(Date.now() + ms).toISOString().slice(0, 19);
}

function schedule(overrides: Record<string, unknown> = {}, target: Record<string, unknown> = {}) {
  return {
    ScheduleExpression: `at(${atIn(200)})`,
    ScheduleExpressionTimezone: 'UTC',
    FlexibleTimeWindow: { Mode: 'OFF' },
    ActionAfterCompletion: 'DELETE',
    ClientToken: 'token-1',
    Target: {
      Arn: BUS,
      RoleArn: ROLE,
      EventBridgeParameters: { Source: 'app.reservation', DetailType: 'CommandTimedOut' },
      Input: JSON.stringify({ commandId: 'c-1' }),
      ...target,
    },
    ...overrides,
  };
}

const create = (scheduler: LocalScheduler, name: string, body: unknown) =>
  scheduler.handle({ method: 'POST', resourcePath: `/schedules/${name}`, params: { body: JSON.stringify(body) } });
const until = async (condition: () => boolean, ms = 3_000) => {
  const end = Date.now() + ms;
  while (!condition() && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 10));
};

describe('CreateSchedule', () => {
  it('answers 200 with the schedule ARN, and GetSchedule describes it', () => {
    const { scheduler } = setUp();
    const created = create(scheduler, 'timeout-1', schedule());
    expect(created.statusCode).toBe(200);
    expect(JSON.parse(created.body)).toEqual({ ScheduleArn: 'arn:aws:scheduler:us-east-1:123456789012:schedule/default/timeout-1' });
    const described = scheduler.handle({ method: 'GET', resourcePath: '/schedules/timeout-1' });
    expect(JSON.parse(described.body)).toMatchObject({
      Name: 'timeout-1',
      State: 'ENABLED',
      ActionAfterCompletion: 'DELETE',
      GroupName: 'default',
    });
  });

  it('is idempotent for the same ClientToken, and a conflict (409) for another', () => {
    const { scheduler } = setUp();
    create(scheduler, 'timeout-2', schedule());
    expect(create(scheduler, 'timeout-2', schedule()).statusCode).toBe(200);
    const conflict = create(scheduler, 'timeout-2', schedule({ ClientToken: 'token-2' }));
    expect(conflict).toMatchObject({ statusCode: 409, headers: { 'x-amzn-errortype': 'ConflictException' } });
  });

  it.each([
    ['a rate expression', schedule({ ScheduleExpression: 'rate(5 minutes)' }), /Only one-time schedules/],
    ['another time zone', schedule({ ScheduleExpressionTimezone: 'Europe/Paris' }), /UTC schedules only/],
    ['no flexible time window', schedule({ FlexibleTimeWindow: undefined }), /FlexibleTimeWindow is required/],
    ['a target that is not a bus', schedule({}, { Arn: 'arn:aws:sqs:us-east-1:123456789012:q' }), /EventBridge buses only/],
    ['an event target without source', schedule({}, { EventBridgeParameters: { DetailType: 'x' } }), /Source and DetailType/],
  ])('refuses %s with a ValidationException (400)', (_case, body, message) => {
    const { scheduler } = setUp();
    const answer = create(scheduler, 'timeout-bad', body);
    expect(answer).toMatchObject({ statusCode: 400, headers: { 'x-amzn-errortype': 'ValidationException' } });
    expect(JSON.parse(answer.body).Message).toMatch(message);
  });

  it('refuses a name Scheduler would refuse', () => {
    const { scheduler } = setUp();
    expect(create(scheduler, 'has%20space', schedule()).statusCode).toBe(400);
  });
});

describe('a one-time schedule', () => {
  it('puts its input on the bus at its time, once, as its role, then deletes itself', async () => {
    const { scheduler, delivered } = setUp();
    // at() has whole seconds: 2.1 s from now fires 1.1 to 2.1 s from now.
    create(scheduler, 'timeout-3', schedule({ ScheduleExpression: `at(${atIn(2_100)})` }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(delivered).toEqual([]);
    await until(() => delivered.length > 0);
    expect(delivered).toHaveLength(1);
    expect(delivered[0]!.event).toMatchObject({
      source: 'app.reservation',
      'detail-type': 'CommandTimedOut',
      detail: { commandId: 'c-1' },
    });
    expect(scheduler.list()).toEqual([]);
  });

  it('fires at once when its time has already passed', async () => {
    const { scheduler, delivered } = setUp();
    create(scheduler, 'timeout-4', schedule({ ScheduleExpression: `at(${atIn(-60_000)})` }));
    await until(() => delivered.length > 0);
    expect(delivered).toHaveLength(1);
  });

  it('is not put on the bus as a role that may not PutEvents there: retried, then given up', async () => {
    const { scheduler, delivered, lines } = setUp();
    create(
      scheduler,
      'timeout-5',
      schedule(
        { ScheduleExpression: `at(${atIn(-1_000)})` },
        { RoleArn: 'arn:aws:iam::123456789012:role/other', RetryPolicy: { MaximumRetryAttempts: 2 } },
      ),
    );
    await until(() => lines.some((line) => line.includes('gave up')));
    expect(delivered).toEqual([]);
    expect(lines.filter((line) => line.includes('AccessDenied'))).toHaveLength(3);
  });

  it('is cancelled by DeleteSchedule before its time', async () => {
    const { scheduler, delivered } = setUp();
    create(scheduler, 'timeout-6', schedule({ ScheduleExpression: `at(${atIn(400)})` }));
    expect(scheduler.handle({ method: 'DELETE', resourcePath: '/schedules/timeout-6' }).statusCode).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(delivered).toEqual([]);
    expect(scheduler.handle({ method: 'GET', resourcePath: '/schedules/timeout-6' }).statusCode).toBe(404);
  });
});
