/**
 * An aggregate delivered 'direct' (infra/Aggregate.ts): what the template holds for it, with the
 * guest aggregate chosen direct as `delivery=Guest:direct` would (EventSourcingCoreStack.delivery).
 */
import { App, Aspects } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { EventSourcingCoreStack } from '../../infra/EventSourcingCoreStack';
import { suppressReviewedFindings } from '../../infra/nagSuppressions';

let stack: EventSourcingCoreStack;
let template: Template;

beforeAll(() => {
  const app = new App();
  stack = new EventSourcingCoreStack(app, 'DirectCore', { delivery: { Guest: 'direct' } });
  suppressReviewedFindings(stack);
  Aspects.of(app).add(new AwsSolutionsChecks());
  template = Template.fromStack(stack);
  // Synthesis with cdk-nag: tens of seconds on a loaded machine.
}, 180_000);

function pipelineOf(typeName: string, fieldName: string): string[] {
  return pipelineOfIn(template, typeName, fieldName);
}

function pipelineOfIn(template: Template, typeName: string, fieldName: string): string[] {
  const names = Object.fromEntries(
    Object.entries(template.findResources('AWS::AppSync::FunctionConfiguration')).map(([id, resource]) => [id, resource.Properties.Name]),
  );
  const [resolver] = Object.values(
    template.findResources('AWS::AppSync::Resolver', { Properties: { TypeName: typeName, FieldName: fieldName } }),
  );
  return (resolver!.Properties.PipelineConfig?.Functions ?? []).map((ref: { 'Fn::GetAtt': [string] }) => names[ref['Fn::GetAtt'][0]]);
}

describe('the guest aggregate delivered direct', () => {
  it('runs registerGuest through the store’s append steps in its own pipeline: no timeout, no publish, 10 functions', () => {
    expect(pipelineOf('Mutation', 'registerGuest')).toEqual([
      'loadStreamTail',
      'loadStreamFromStart',
      'checkEmail',
      'decideForAppendGuest',
      'appendEvent',
      'readAnswers',
      'recordAnswer',
      'readAnswers',
      'answerTaskAtCommand',
      'answerTaskAtStore',
    ]);
  });

  it('keeps every other aggregate on the bus', () => {
    expect(pipelineOf('Mutation', 'registerRoom')).toContain('publishEvents');
    expect(pipelineOf('Mutation', 'createReservation')).toContain('scheduleTimeout');
  });

  it('routes the outbox’s GuestEventStored to publishGuestSaved, with retries and a dead-letter queue, and no decided guest event to the store', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['app.eventstore'], 'detail-type': ['GuestEventStored'] },
      Targets: [
        Match.objectLike({
          AppSyncParameters: { GraphQLOperation: Match.stringLikeRegexp('publishGuestSaved\\(input: \\$input\\)') },
          RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 300 },
          DeadLetterConfig: Match.objectLike({ Arn: Match.anyValue() }),
        }),
      ],
    });
    const guestStoreRules = Object.values(template.findResources('AWS::Events::Rule')).filter(
      (rule) => rule.Properties.EventPattern?.source?.[0] === 'app.guest',
    );
    expect(guestStoreRules).toEqual([]);
  });

  it('lets that rule call publishGuestSaved and nothing else', () => {
    const [rule] = Object.values(
      template.findResources('AWS::Events::Rule', { Properties: { EventPattern: { 'detail-type': ['GuestEventStored'] } } }),
    );
    const roleLogicalId = rule!.Properties.Targets[0].RoleArn['Fn::GetAtt'][0] as string;
    const statements = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((policy) => policy.Properties.Roles.some((role: { Ref: string }) => role.Ref === roleLogicalId))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
    expect(statements).toHaveLength(1);
    expect(JSON.stringify(statements[0].Resource)).toMatch(/\/types\/Mutation\/fields\/publishGuestSaved"/);
  });

  it('passes cdk-nag AwsSolutions checks', () => {
    const findings = [
      ...Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('AwsSolutions-.*')),
      ...Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*')),
    ];
    expect(findings.map((finding) => finding.id)).toEqual([]);
  });
});

describe('a command too long for direct delivery', () => {
  it('refuses at synth a pipeline past AppSync’s 10 functions, saying what to do', () => {
    // bookStay: a read step before deciding and startBooking after: 11 functions delivered direct.
    expect(() => new EventSourcingCoreStack(new App(), 'TooLong', { delivery: { Booking: 'direct' } })).toThrow(
      /Mutation\.bookStay would run 11 functions with 'direct' delivery; AppSync runs at most 10 per pipeline/,
    );
  });
});

describe('the guest aggregate delivered direct with storedEventSubscribers none', () => {
  let silent: Template;

  beforeAll(() => {
    silent = Template.fromStack(
      new EventSourcingCoreStack(new App(), 'SilentCore', { delivery: { Guest: 'direct' }, storedEventSubscribers: { Guest: 'none' } }),
    );
  }, 180_000);

  it('makes no rule for publishGuestSaved, and no role may call it', () => {
    const rules = Object.values(silent.findResources('AWS::Events::Rule'));
    const callingPublish = rules.filter((rule) =>
      (rule.Properties.Targets ?? []).some((target: { AppSyncParameters?: { GraphQLOperation?: string } }) =>
        target.AppSyncParameters?.GraphQLOperation?.includes('publishGuestSaved'),
      ),
    );
    expect(callingPublish).toEqual([]);
    expect(rules.filter((rule) => rule.Properties.EventPattern?.source?.[0] === 'app.guest')).toEqual([]);
    expect(JSON.stringify(silent.findResources('AWS::IAM::Policy'))).not.toMatch(/fields\/publishGuestSaved"/);
  });

  it('still appends in registerGuest and feeds the read models from the outbox', () => {
    expect(pipelineOfIn(silent, 'Mutation', 'registerGuest')).toContain('appendEvent');
    silent.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({ source: ['app.eventstore'], 'detail-type': Match.arrayWith(['GuestEventStored']) }),
      Targets: [Match.objectLike({ AppSyncParameters: { GraphQLOperation: Match.stringLikeRegexp('applyStoredEvent') } })],
    });
  });

  it('keeps one dead-letter queue fewer than the same app that publishes stored guest events', () => {
    const queues = (t: Template) => Object.keys(t.findResources('AWS::SQS::Queue')).length;
    expect(queues(silent)).toBe(queues(template) - 1);
  });

  it('refuses the option on an aggregate delivered by bus, saying what to do', () => {
    expect(() => new EventSourcingCoreStack(new App(), 'BusSilent', { storedEventSubscribers: { Room: 'none' } })).toThrow(
      /Room: storedEventSubscribers 'none' applies to 'direct' delivery only .* Deliver it 'direct', or drop the option\./,
    );
  });
});
