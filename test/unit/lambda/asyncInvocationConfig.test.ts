/**
 * A function's asynchronous-invocation settings, read from the template: `AWS::Lambda::EventInvokeConfig`
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-lambda-eventinvokeconfig.html:
 * MaximumRetryAttempts 0-2, MaximumEventAgeInSeconds 60-21600, DestinationConfig) in the shape CDK writes it
 * (FunctionName a `Ref`, Qualifier `$LATEST`, an EventBridge destination's ARN an `Fn::Join`), and the
 * function's `DeadLetterConfig`.
 */
import { describe, expect, it } from 'vitest';
import { lambdaFunctionsOf } from '../../../local/lambda/functionDefinitions.ts';
import { AssemblyAssets } from '../../../local/template/assets.ts';
import { readStackTemplate } from '../../../local/template/cloudAssembly.ts';

const fn = (extra: Record<string, unknown> = {}) => ({
  Type: 'AWS::Lambda::Function',
  Properties: { Runtime: 'nodejs20.x', Handler: 'index.handler', Code: { ZipFile: 'exports.handler = async () => 1;' }, ...extra },
});
const defaultBus = {
  'Fn::Join': [
    '',
    ['arn:', { Ref: 'AWS::Partition' }, ':events:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':event-bus/default'],
  ],
};

function configOf(resources: Record<string, unknown>) {
  return lambdaFunctionsOf(readStackTemplate({ Resources: resources } as never, 'S'), AssemblyAssets.none()).functions[0]!.asyncInvocation;
}

describe('the asynchronous-invocation settings of a function', () => {
  it('are Lambda’s defaults without an EventInvokeConfig: 2 retries, 6 hours, no destination', () => {
    expect(configOf({ Fn: fn() })).toEqual({ maximumRetryAttempts: 2, maximumEventAgeSeconds: 21_600 });
  });

  it('read the EventInvokeConfig that names the function (Ref), its retries, age and destinations, and the function’s dead-letter queue', () => {
    expect(
      configOf({
        Fn: fn({ DeadLetterConfig: { TargetArn: 'arn:aws:sqs:us-east-1:123456789012:dlq' } }),
        Config: {
          Type: 'AWS::Lambda::EventInvokeConfig',
          Properties: {
            FunctionName: { Ref: 'Fn' },
            Qualifier: '$LATEST',
            MaximumRetryAttempts: 0,
            MaximumEventAgeInSeconds: 120,
            DestinationConfig: { OnFailure: { Destination: defaultBus }, OnSuccess: { Destination: { 'Fn::GetAtt': ['Fn', 'Arn'] } } },
          },
        },
      }),
    ).toEqual({
      maximumRetryAttempts: 0,
      maximumEventAgeSeconds: 120,
      onFailure: 'arn:aws:events:us-east-1:123456789012:event-bus/default',
      onSuccess: 'arn:aws:lambda:us-east-1:123456789012:function:S-Fn',
      deadLetterArn: 'arn:aws:sqs:us-east-1:123456789012:dlq',
    });
  });

  it('ignore an EventInvokeConfig of another qualifier (versions and aliases are not served)', () => {
    const config = {
      Type: 'AWS::Lambda::EventInvokeConfig',
      Properties: { FunctionName: { Ref: 'Fn' }, Qualifier: 'live', MaximumRetryAttempts: 0 },
    };
    expect(configOf({ Fn: fn(), Config: config })?.maximumRetryAttempts).toBe(2);
  });

  it('refuse MaximumRetryAttempts outside 0-2, as CloudFormation does', () => {
    const config = {
      Type: 'AWS::Lambda::EventInvokeConfig',
      Properties: { FunctionName: { Ref: 'Fn' }, Qualifier: '$LATEST', MaximumRetryAttempts: 3 },
    };
    expect(() => configOf({ Fn: fn(), Config: config })).toThrow(
      'Config (AWS::Lambda::EventInvokeConfig): MaximumRetryAttempts must be an integer from 0 to 2, got 3.',
    );
  });
});
