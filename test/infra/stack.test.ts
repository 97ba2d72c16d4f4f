/**
 * The synthesized template is what deploys and what the local runtime runs:
 * these tests pin what it must (and must not) contain.
 */
import { App, Aspects } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildSchema, Kind, parse, type GraphQLField, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { EventSourcingCoreStack } from '../../infra/EventSourcingCoreStack';
import { suppressReviewedFindings } from '../../infra/nagSuppressions';

/** What onReservationSaved subscribers receive: every field of ReservationSaved and of its reservation. */
const SAVED_FIELDS = [
  'id',
  'commandId',
  'status',
  'version',
  'reason',
  'repeat',
  ...['id', 'userId', 'roomId', 'dateStart', 'dateEnd', 'status', 'version', 'createdAt', 'updatedAt', 'cancellationReason'].map(
    (field) => `reservation.${field}`,
  ),
];

/** The dotted paths of the leaf fields an operation selects. */
function selectedPaths(selectionSet: SelectionSetNode | undefined, prefix = ''): string[] {
  return (selectionSet?.selections ?? []).flatMap((selection) => {
    if (selection.kind !== Kind.FIELD) return [];
    const path = `${prefix}${selection.name.value}`;
    return selection.selectionSet ? selectedPaths(selection.selectionSet, `${path}.`) : [path];
  });
}

let stack: EventSourcingCoreStack;
let template: Template;

beforeAll(() => {
  const app = new App();
  stack = new EventSourcingCoreStack(app, 'TestCore');
  suppressReviewedFindings(stack);
  Aspects.of(app).add(new AwsSolutionsChecks());
  template = Template.fromStack(stack);
});

function deployedSchema() {
  const [schema] = Object.values(template.findResources('AWS::AppSync::GraphQLSchema'));
  const appsync = readFileSync('schema/appsync.graphql', 'utf8');
  return buildSchema(`${appsync}\n${schema!.Properties.Definition}`);
}

/** The rule that stores the events of one bus source. */
function storeRuleOf(source: string) {
  const rules = Object.values(template.findResources('AWS::Events::Rule')).filter(
    (rule) => rule.Properties.EventPattern?.source?.[0] === source,
  );
  expect(rules).toHaveLength(1);
  return rules[0]!;
}

function directivesOf(field: GraphQLField<unknown, unknown> | undefined): string[] {
  return (field?.astNode?.directives ?? []).map((directive) => directive.name.value);
}

describe('the synthesized stack', () => {
  it('has no Lambda function at all', () => {
    template.resourceCountIs('AWS::Lambda::Function', 0);
    template.resourceCountIs('Custom::LogRetention', 0);
  });

  it('serves one GraphQL API with API key by default and IAM as an extra mode', () => {
    template.resourceCountIs('AWS::AppSync::GraphQLApi', 1);
    template.hasResourceProperties('AWS::AppSync::GraphQLApi', {
      AuthenticationType: 'API_KEY',
      AdditionalAuthenticationProviders: [{ AuthenticationType: 'AWS_IAM' }],
      LogConfig: Match.objectLike({ FieldLogLevel: 'ERROR' }),
    });
    template.resourceCountIs('AWS::AppSync::ApiKey', 1);
  });

  it('limits query depth and resolvers per request, so hostile queries are refused before any resolver runs', () => {
    template.hasResourceProperties('AWS::AppSync::GraphQLApi', { QueryDepthLimit: 15, ResolverCountLimit: 50 });
  });

  it('keeps events in an on-demand table keyed by stream and version, with point-in-time recovery', () => {
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: 'streamId', KeyType: 'HASH' },
        { AttributeName: 'version', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: Match.arrayWith([
        { AttributeName: 'streamId', AttributeType: 'S' },
        { AttributeName: 'version', AttributeType: 'N' },
      ]),
      Replicas: [Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } })],
    });
  });

  it('retains the event store when the stack is deleted, unless told otherwise', () => {
    template.hasResource('AWS::DynamoDB::GlobalTable', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  it('has the data sources the pipelines use: the event store, bus, NONE, Scheduler and Step Functions over HTTP; the read models; the payment provider over HTTP', () => {
    const sources = Object.values(template.findResources('AWS::AppSync::DataSource')).map(
      (source) => `${source.Properties.Name}:${source.Properties.Type}`,
    );
    expect(sources.sort()).toEqual([
      'Decide:NONE',
      'EventBus:AMAZON_EVENTBRIDGE',
      'EventStoreTable:AMAZON_DYNAMODB',
      'PaymentProvider:HTTP',
      'ReadModels:AMAZON_DYNAMODB',
      'StepFunctions:HTTP',
      'TimeoutScheduler:HTTP',
    ]);
  });

  it('schedules command timeouts through the Scheduler API, signed with the data source role', () => {
    template.hasResourceProperties('AWS::AppSync::DataSource', {
      Type: 'HTTP',
      HttpConfig: {
        Endpoint: { 'Fn::Join': ['', ['https://scheduler.', { Ref: 'AWS::Region' }, '.amazonaws.com']] },
        AuthorizationConfig: {
          AuthorizationType: 'AWS_IAM',
          AwsIamConfig: { SigningRegion: { Ref: 'AWS::Region' }, SigningServiceName: 'scheduler' },
        },
      },
    });
    template.hasResourceProperties('AWS::AppSync::GraphQLApi', {
      EnvironmentVariables: Match.objectLike({
        COMMAND_TIMEOUT_SECONDS: '10',
        EVENT_BUS_ARN: Match.anyValue(),
        TIMEOUT_SCHEDULER_ROLE_ARN: Match.anyValue(),
      }),
    });
  });

  it('lets the scheduler data source create and delete timeout-* schedules and pass the timeout role, nothing else', () => {
    const [source] = Object.entries(template.findResources('AWS::AppSync::DataSource')).filter(
      ([, resource]) => resource.Properties.Type === 'HTTP',
    );
    const roleLogicalId = source![1].Properties.ServiceRoleArn['Fn::GetAtt'][0] as string;
    const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((policy) =>
      policy.Properties.Roles.some((role: { Ref: string }) => role.Ref === roleLogicalId),
    );
    const statements = policies.flatMap((policy) => policy.Properties.PolicyDocument.Statement);
    expect(statements.map((statement) => statement.Action)).toEqual(
      expect.arrayContaining(['iam:PassRole', ['scheduler:CreateSchedule', 'scheduler:DeleteSchedule']]),
    );
    expect(statements).toHaveLength(2);
    const schedules = statements.find((statement) => Array.isArray(statement.Action));
    expect(JSON.stringify(schedules.Resource)).toContain(':schedule/default/timeout-*');
  });

  it('lets Scheduler put tombstones on the event-store bus only', () => {
    const roles = Object.entries(template.findResources('AWS::IAM::Role')).filter(([, role]) =>
      JSON.stringify(role.Properties.AssumeRolePolicyDocument).includes('scheduler.amazonaws.com'),
    );
    expect(roles).toHaveLength(1);
    const [roleLogicalId] = roles[0]!;
    const statements = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((policy) => policy.Properties.Roles.some((role: { Ref: string }) => role.Ref === roleLogicalId))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
    expect(statements).toEqual([
      { Action: 'events:PutEvents', Effect: 'Allow', Resource: { 'Fn::GetAtt': [expect.stringMatching(/^EventStoreBus/), 'Arn'] } },
    ]);
  });

  it('runs every resolver and function on the APPSYNC_JS runtime, as pipelines', () => {
    const resolvers = Object.values(template.findResources('AWS::AppSync::Resolver'));
    const functions = Object.values(template.findResources('AWS::AppSync::FunctionConfiguration'));
    // Five aggregates: each gets 5 generic fields (publish<X>Saved new with direct delivery); 2 + 3 + 1 + 4 + 2
    // commands; publishBookingUpdate and onBookingUpdated; 5 projection fields.
    expect(resolvers).toHaveLength(44);
    // The 10 shared steps of functions/eventStore/pipelines.ts (answerTaskAtCommand and answerTaskAtStore new with
    // the booking), decideCommand bundled once per aggregate (5), the aggregates' own steps (checkRoomNights,
    // checkRoomNumber, checkClosureNights, checkEmail, callProvider, checkStay, startBooking, claimUpdate), and the
    // projections' readCursor and applyToReadModels.
    expect(functions).toHaveLength(25);
    for (const resource of [...resolvers, ...functions]) {
      expect(resource.Properties.Runtime).toEqual({ Name: 'APPSYNC_JS', RuntimeVersion: '1.0.0' });
      expect(typeof resource.Properties.Code).toBe('string');
      expect(resource.Properties.Code).toContain('export');
    }
    // Queries and mutations are pipelines; the subscription's filter is a unit resolver on NONE.
    const kinds = Object.fromEntries(
      resolvers.map((resolver) => [`${resolver.Properties.TypeName}.${resolver.Properties.FieldName}`, resolver.Properties.Kind]),
    );
    expect(kinds).toEqual({
      'Mutation.createReservation': 'PIPELINE',
      'Mutation.cancelReservation': 'PIPELINE',
      'Mutation.registerRoom': 'PIPELINE',
      'Mutation.closeRoom': 'PIPELINE',
      'Mutation.reopenRoom': 'PIPELINE',
      'Mutation.registerGuest': 'PIPELINE',
      'Mutation.authorizePayment': 'PIPELINE',
      'Mutation.capturePayment': 'PIPELINE',
      'Mutation.voidPayment': 'PIPELINE',
      'Mutation.refundPayment': 'PIPELINE',
      'Mutation.bookStay': 'PIPELINE',
      'Mutation.recordBookingStep': 'PIPELINE',
      'Mutation.publishBookingUpdate': 'PIPELINE',
      'Subscription.onBookingUpdated': 'UNIT',
      'Mutation.applyStoredEvent': 'PIPELINE',
      'Query.listRooms': 'UNIT',
      'Query.listReservationsByGuest': 'UNIT',
      'Query.getRoomCalendar': 'UNIT',
      'Query.getHotelTotals': 'UNIT',
      ...Object.fromEntries(
        ['Reservation', 'Room', 'Guest', 'Payment', 'Booking'].flatMap((name) => [
          [`Mutation.save${name}Event`, 'PIPELINE'],
          [`Mutation.publish${name}Saved`, 'UNIT'],
          [`Query.get${name}`, 'PIPELINE'],
          [`Query.get${name}History`, 'PIPELINE'],
          [`Subscription.on${name}Saved`, 'UNIT'],
        ]),
      ),
    });
  });

  it('runs each resolver on the pipeline functions/eventStore/pipelines.ts declares, in order', () => {
    const functionNames = Object.fromEntries(
      Object.entries(template.findResources('AWS::AppSync::FunctionConfiguration')).map(([logicalId, resource]) => [
        logicalId,
        resource.Properties.Name as string,
      ]),
    );
    const pipelines = Object.fromEntries(
      Object.values(template.findResources('AWS::AppSync::Resolver')).map((resolver) => [
        `${resolver.Properties.TypeName}.${resolver.Properties.FieldName}`,
        (resolver.Properties.PipelineConfig?.Functions ?? []).map(
          (ref: { 'Fn::GetAtt': [string, string] }) => functionNames[ref['Fn::GetAtt'][0]],
        ),
      ]),
    );
    // Every command and store pipeline ends answering the task token of a Step Functions execution waiting for it
    // (the booking's state machine): answerTaskAtCommand and answerTaskAtStore, new with the booking, on every aggregate.
    const command = (name: string, reads: string[] = []) => [
      'loadStreamTail',
      'loadStreamFromStart',
      ...reads,
      `decideCommand${name}`,
      'scheduleTimeout',
      'publishEvents',
      'answerTaskAtCommand',
    ];
    const generic = (name: string) => ({
      [`Mutation.save${name}Event`]: [
        'appendEvent',
        'readAnswers',
        'recordAnswer',
        'readAnswers',
        'loadStreamTail',
        'loadStreamFromStart',
        'cancelTimeout',
        'answerTaskAtStore',
      ],
      [`Mutation.publish${name}Saved`]: [],
      [`Query.get${name}`]: ['loadStreamTail', 'loadStreamFromStart'],
      [`Query.get${name}History`]: ['loadStreamFromStart'],
      [`Subscription.on${name}Saved`]: [],
    });
    expect(pipelines).toEqual({
      'Mutation.createReservation': command('Reservation', ['checkRoomNights']),
      'Mutation.cancelReservation': command('Reservation'),
      'Mutation.registerRoom': command('Room', ['checkRoomNumber']),
      'Mutation.closeRoom': command('Room', ['checkClosureNights']),
      'Mutation.reopenRoom': command('Room'),
      'Mutation.registerGuest': command('Guest', ['checkEmail']),
      'Mutation.authorizePayment': command('Payment', ['callProvider']),
      'Mutation.capturePayment': command('Payment', ['callProvider']),
      'Mutation.voidPayment': command('Payment', ['callProvider']),
      'Mutation.refundPayment': command('Payment', ['callProvider']),
      'Mutation.bookStay': [...command('Booking', ['checkStay']), 'startBooking'],
      'Mutation.recordBookingStep': command('Booking'),
      'Mutation.publishBookingUpdate': ['loadStreamTail', 'loadStreamFromStart', 'claimUpdate'],
      'Subscription.onBookingUpdated': [],
      'Mutation.applyStoredEvent': ['readCursor', 'loadStreamTail', 'loadStreamFromStart', 'applyToReadModels'],
      'Query.listRooms': [],
      'Query.listReservationsByGuest': [],
      'Query.getRoomCalendar': [],
      'Query.getHotelTotals': [],
      ...generic('Reservation'),
      ...generic('Room'),
      ...generic('Guest'),
      ...generic('Payment'),
      ...generic('Booking'),
    });
  });

  it('bundles code AppSync accepts: ESM importing only @aws-appsync/utils, under 32 KB', () => {
    const code = [
      ...Object.values(template.findResources('AWS::AppSync::Resolver')),
      ...Object.values(template.findResources('AWS::AppSync::FunctionConfiguration')),
    ].map((resource) => resource.Properties.Code as string);
    for (const source of code) {
      expect(source.length).toBeLessThanOrEqual(32_768);
      const imports = [...source.matchAll(/from\s+"([^"]+)"/g)].map((match) => match[1]);
      expect(imports.every((name) => name!.startsWith('@aws-appsync/utils'))).toBe(true);
      expect(source).not.toMatch(/\brequire\(/);
    }
  });

  it('gives resolvers the table name through the API environment', () => {
    template.hasResourceProperties('AWS::AppSync::GraphQLApi', {
      EnvironmentVariables: { EVENT_STORE_TABLE: Match.anyValue() },
    });
  });

  it('declares the store mutation IAM only, and the public fields for API key and IAM', () => {
    const schema = deployedSchema();
    const mutations = schema.getMutationType()!.getFields();
    expect(directivesOf(mutations.saveReservationEvent)).toEqual(['aws_iam']);
    for (const name of ['createReservation', 'cancelReservation']) {
      expect(directivesOf(mutations[name])).toEqual(expect.arrayContaining(['aws_api_key', 'aws_iam']));
    }
    const queries = schema.getQueryType()!.getFields();
    for (const field of Object.values(queries)) {
      expect(directivesOf(field)).toEqual(expect.arrayContaining(['aws_api_key', 'aws_iam']));
    }
    // Subscribers use the API key: the types they receive must allow it at type level.
    for (const type of ['ReservationSaved', 'Reservation']) {
      const directives = (schema.getType(type)!.astNode as { directives?: { name: { value: string } }[] }).directives ?? [];
      expect(directives.map((directive) => directive.name.value)).toEqual(expect.arrayContaining(['aws_api_key', 'aws_iam']));
    }
  });

  it('binds onReservationSaved to saveReservationEvent', () => {
    const subscription = deployedSchema().getSubscriptionType()!.getFields().onReservationSaved!;
    const subscribe = subscription.astNode!.directives!.find((directive) => directive.name.value === 'aws_subscribe')!;
    expect(JSON.stringify(subscribe.arguments)).toContain('saveReservationEvent');
  });

  it('routes decided reservation events from the bus to saveReservationEvent, with retries and a dead-letter queue', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['app.reservation'] },
      Targets: [
        Match.objectLike({
          AppSyncParameters: { GraphQLOperation: Match.stringLikeRegexp('saveReservationEvent\\(input: \\$input\\)') },
          InputTransformer: Match.objectLike({ InputPathsMap: { detail: '$.detail' } }),
          RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 300 },
          DeadLetterConfig: Match.objectLike({ Arn: Match.anyValue() }),
          RoleArn: Match.anyValue(),
        }),
      ],
    });
  });

  it('sends saveReservationEvent selecting every field subscribers of onReservationSaved receive', () => {
    const rule = storeRuleOf('app.reservation');
    const operation = parse(rule.Properties.Targets[0].AppSyncParameters.GraphQLOperation as string)
      .definitions[0] as OperationDefinitionNode;
    expect(operation.operation).toBe('mutation');
    expect(
      operation.variableDefinitions?.map((variable) => [
        variable.variable.name.value,
        (variable.type as { type: { name: { value: string } } }).type.name.value,
      ]),
    ).toEqual([['input', 'ReservationEventInput']]);
    const [save] = operation.selectionSet.selections;
    expect(save).toMatchObject({ kind: Kind.FIELD, name: { value: 'saveReservationEvent' } });
    expect(selectedPaths((save as { selectionSet?: SelectionSetNode }).selectionSet).sort()).toEqual([...SAVED_FIELDS].sort());
  });

  it.each([
    ['app.reservation', 'saveReservationEvent'],
    ['app.room', 'saveRoomEvent'],
    ['app.guest', 'saveGuestEvent'],
  ])('lets the rule for %s call %s and nothing else', (source, mutation) => {
    const rule = storeRuleOf(source);
    const roleLogicalId = rule.Properties.Targets[0].RoleArn['Fn::GetAtt'][0] as string;
    const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((policy) =>
      policy.Properties.Roles.some((role: { Ref: string }) => role.Ref === roleLogicalId),
    );
    expect(policies).toHaveLength(1);
    const statements = policies[0]!.Properties.PolicyDocument.Statement;
    expect(statements).toHaveLength(1);
    expect(statements[0].Action).toBe('appsync:GraphQL');
    const resources = [statements[0].Resource].flat();
    expect(resources).toHaveLength(1);
    expect(JSON.stringify(resources[0])).toMatch(new RegExp(`/types/Mutation/fields/${mutation}"`));
  });

  it('outputs the GraphQL URL, the real-time URL and the API key', () => {
    const outputs = template.toJSON().Outputs;
    expect(Object.keys(outputs)).toEqual(expect.arrayContaining(['GraphQLUrl', 'RealtimeUrl', 'ApiKeyId']));
  });

  it('passes cdk-nag AwsSolutions checks, every suppression with a reason', () => {
    const errors = Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('AwsSolutions-.*'));
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*'));
    expect(errors.map((error) => `${error.id}: ${String(error.entry.data).slice(0, 120)}`)).toEqual([]);
    expect(warnings.map((warning) => `${warning.id}: ${String(warning.entry.data).slice(0, 120)}`)).toEqual([]);
  });
});
