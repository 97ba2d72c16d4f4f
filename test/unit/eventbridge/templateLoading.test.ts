// Loading buses, rules and targets from the synthesized template. The fixture is the EventBridge part of
// cdk.out/EventSourcingCore.template.json as `npx cdk synth` writes it for infra/ReservationAggregate.ts;
// the resolver is a small stand-in for the template loader's (Ref and Fn::GetAtt only).
import { afterEach, describe, expect, it } from 'vitest';
import {
  eventBridgeDefinitionsFromTemplate,
  localEventBusFromTemplate,
  type AppSyncTargetCall,
  type CloudFormationResource,
  type LocalEventBus,
  type TemplateResolver,
} from '../../../local/eventbridge/index.ts';

const OPERATION =
  'mutation SaveReservationEvent($input: ReservationEventInput!) {\n  saveReservationEvent(input: $input) {\n    id commandId status version reason\n    reservation { id userId roomId dateStart dateEnd status version createdAt updatedAt cancellationReason }\n  }\n}';

const resources: Record<string, CloudFormationResource> = {
  ApiF70053CD: { Type: 'AWS::AppSync::GraphQLApi', Properties: { Name: 'Api' } },
  EventStoreBusBF071C2A: { Type: 'AWS::Events::EventBus', Properties: { Name: 'EventSourcingCoreEventStoreBus8AF35062' } },
  ReservationStoreRoleDD500CBF: { Type: 'AWS::IAM::Role', Properties: {} },
  ReservationStoreDeadLettersAE756BB6: { Type: 'AWS::SQS::Queue', Properties: { MessageRetentionPeriod: 1209600 } },
  ReservationStoreRule6D00CDD8: {
    Type: 'AWS::Events::Rule',
    Properties: {
      Description: 'Stores each decided reservation event through the IAM-only saveReservationEvent mutation',
      EventBusName: { Ref: 'EventStoreBusBF071C2A' },
      EventPattern: { source: ['app.reservation'] },
      State: 'ENABLED',
      Targets: [
        {
          AppSyncParameters: { GraphQLOperation: OPERATION },
          Arn: { 'Fn::GetAtt': ['ApiF70053CD', 'GraphQLEndpointArn'] },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': ['ReservationStoreDeadLettersAE756BB6', 'Arn'] } },
          Id: 'Target0',
          InputTransformer: { InputPathsMap: { detail: '$.detail' }, InputTemplate: '{"input":<detail>}' },
          RetryPolicy: { MaximumEventAgeInSeconds: 300, MaximumRetryAttempts: 8 },
          RoleArn: { 'Fn::GetAtt': ['ReservationStoreRoleDD500CBF', 'Arn'] },
        },
      ],
    },
  },
};

const physical: Record<string, { ref: string; attributes: Record<string, string> }> = {
  EventStoreBusBF071C2A: { ref: 'EventSourcingCoreEventStoreBus8AF35062', attributes: {} },
  ApiF70053CD: { ref: 'api', attributes: { GraphQLEndpointArn: 'arn:aws:appsync:us-east-1:000000000000:endpoints/graphql-api/local' } },
  ReservationStoreRoleDD500CBF: { ref: 'StoreRole', attributes: { Arn: 'arn:aws:iam::000000000000:role/StoreRole' } },
  ReservationStoreDeadLettersAE756BB6: { ref: 'q', attributes: { Arn: 'arn:aws:sqs:us-east-1:000000000000:StoreDeadLetters' } },
};

const resolver: TemplateResolver = {
  resolve(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((item) => this.resolve(item));
    if (typeof value !== 'object' || value === null) return value;
    const record = value as Record<string, unknown>;
    if (typeof record.Ref === 'string') return physical[record.Ref]?.ref;
    const getAtt = record['Fn::GetAtt'] as [string, string] | undefined;
    if (getAtt) return physical[getAtt[0]]?.attributes[getAtt[1]];
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, this.resolve(v)]));
  },
};

const buses: LocalEventBus[] = [];
afterEach(() => {
  for (const bus of buses.splice(0)) bus.close();
});

describe('eventBridgeDefinitionsFromTemplate', () => {
  it('reads the bus and the rule with its resolved target', () => {
    const definitions = eventBridgeDefinitionsFromTemplate(resources, resolver);
    expect(definitions.buses).toEqual([{ logicalId: 'EventStoreBusBF071C2A', Name: 'EventSourcingCoreEventStoreBus8AF35062' }]);
    expect(definitions.rules).toHaveLength(1);
    expect(definitions.rules[0]).toMatchObject({
      logicalId: 'ReservationStoreRule6D00CDD8',
      Name: 'ReservationStoreRule6D00CDD8',
      EventBusName: 'EventSourcingCoreEventStoreBus8AF35062',
      State: 'ENABLED',
      Targets: [
        {
          Id: 'Target0',
          RoleArn: 'arn:aws:iam::000000000000:role/StoreRole',
          Arn: 'arn:aws:appsync:us-east-1:000000000000:endpoints/graphql-api/local',
        },
      ],
    });
  });

  it('names the resource whose pattern AWS would refuse', () => {
    const broken = structuredClone(resources);
    (broken.ReservationStoreRule6D00CDD8?.Properties as Record<string, unknown>).EventPattern = { source: 'app.reservation' };
    expect(() => localEventBusFromTemplate(broken, resolver)).toThrow(/^ReservationStoreRule6D00CDD8: Event pattern is not valid/);
  });

  it('accepts an EventPattern given as JSON text (how templates carry null values)', async () => {
    const withText = structuredClone(resources);
    (withText.ReservationStoreRule6D00CDD8?.Properties as Record<string, unknown>).EventPattern = '{"detail":{"reason":[null]}}';
    const calls: AppSyncTargetCall[] = [];
    const bus = localEventBusFromTemplate(withText, resolver, { invokers: { appsync: (call) => void calls.push(call) } });
    buses.push(bus);
    const EventBusName = 'EventSourcingCoreEventStoreBus8AF35062';
    bus.putEvents({
      Entries: [
        { Source: 'app.x', DetailType: 'X', Detail: '{"reason":null}', EventBusName },
        { Source: 'app.x', DetailType: 'X', Detail: '{"reason":""}', EventBusName },
      ],
    });
    await bus.idle();
    expect(calls).toHaveLength(1);
  });

  it('refuses an unknown rule state', () => {
    const broken = structuredClone(resources);
    (broken.ReservationStoreRule6D00CDD8?.Properties as Record<string, unknown>).State = 'ON';
    expect(() => eventBridgeDefinitionsFromTemplate(broken, resolver)).toThrow(/State ON/);
  });
});

describe('localEventBusFromTemplate', () => {
  it('sends a reservation event to saveReservationEvent with the detail as input, as the deployed rule does', async () => {
    const calls: AppSyncTargetCall[] = [];
    const bus = localEventBusFromTemplate(resources, resolver, { invokers: { appsync: (call) => void calls.push(call) } });
    buses.push(bus);
    const detail = { type: 'ReservationRequested', aggregateId: 'reservation#1', version: 1 };
    const response = bus.putEvents({
      Entries: [
        {
          Source: 'app.reservation',
          DetailType: 'ReservationRequested',
          Detail: JSON.stringify(detail),
          EventBusName: 'EventSourcingCoreEventStoreBus8AF35062',
        },
      ],
    });
    expect(response.FailedEntryCount).toBe(0);
    await bus.idle();
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      operation: OPERATION,
      variables: { input: detail },
      roleArn: 'arn:aws:iam::000000000000:role/StoreRole',
      ruleName: 'ReservationStoreRule6D00CDD8',
    });
  });

  it('does not send events of other sources', async () => {
    const calls: AppSyncTargetCall[] = [];
    const bus = localEventBusFromTemplate(resources, resolver, { invokers: { appsync: (call) => void calls.push(call) } });
    buses.push(bus);
    bus.putEvents({
      Entries: [{ Source: 'app.other', DetailType: 'X', Detail: '{}', EventBusName: 'EventSourcingCoreEventStoreBus8AF35062' }],
    });
    await bus.idle();
    expect(calls).toHaveLength(0);
  });
});
