/**
 * `AWS::Pipes::Pipe` read from a template and checked as CreatePipe checks it (ranges and defaults of
 * the Pipes API reference's PipeSourceDynamoDBStreamParameters; eb-pipes-batching-concurrency.html for
 * the event bus's batch size of 10).
 */
import { describe, expect, it } from 'vitest';
import { pipesFromTemplate } from '../../../local/pipes/index.ts';

const STREAM = 'arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/1970-01-01T00:00:00.000';
const BUS = 'arn:aws:events:us-east-1:123456789012:event-bus/shop';
const naming = { nameOf: (id: string) => `Core-${id}`, arnOf: (id: string) => `arn:aws:pipes:us-east-1:123456789012:pipe/Core-${id}` };

function read(properties: Record<string, unknown>) {
  const resources = {
    Pipe: {
      Type: 'AWS::Pipes::Pipe',
      Properties: {
        RoleArn: 'arn:aws:iam::123456789012:role/r',
        Source: STREAM,
        SourceParameters: { DynamoDBStreamParameters: { StartingPosition: 'LATEST' } },
        Target: BUS,
        ...properties,
      },
    },
  };
  return pipesFromTemplate(resources, naming)[0]!;
}

describe('a pipe from a DynamoDB stream', () => {
  it('takes AWS’s defaults: batches of 100, no batching window, retries and record age without limit', () => {
    expect(read({}).source).toEqual({
      streamArn: STREAM,
      tableName: 'orders',
      startingPosition: 'LATEST',
      batchSize: 100,
      maximumBatchingWindowInSeconds: 0,
      maximumRetryAttempts: -1,
      maximumRecordAgeInSeconds: -1,
      bisectOnFailure: false,
      deadLetterArn: undefined,
    });
    expect(read({}).target).toEqual({
      kind: 'eventBus',
      arn: BUS,
      busName: 'shop',
      parameters: { DetailType: undefined, Source: undefined, Time: undefined, Resources: undefined },
    });
  });

  it.each([
    [{ StartingPosition: 'AT_TIMESTAMP' }, 'StartingPosition must be TRIM_HORIZON or LATEST, not AT_TIMESTAMP'],
    [{ StartingPosition: 'LATEST', BatchSize: 11 }, 'BatchSize 11 is larger than an event bus target takes (10)'],
    [{ StartingPosition: 'LATEST', MaximumBatchingWindowInSeconds: 301 }, 'MaximumBatchingWindowInSeconds must be from 0 to 300, not 301'],
    [{ StartingPosition: 'LATEST', MaximumRetryAttempts: -2 }, 'MaximumRetryAttempts must be from -1 (no limit) to 10000, not -2'],
    [
      { StartingPosition: 'LATEST', MaximumRecordAgeInSeconds: 30 },
      'MaximumRecordAgeInSeconds must be -1 (no limit) or from 60 to 604800, not 30',
    ],
    [{ StartingPosition: 'LATEST', ParallelizationFactor: 11 }, 'ParallelizationFactor must be from 1 to 10, not 11'],
    [{ StartingPosition: 'LATEST', OnPartialBatchItemFailure: 'SPLIT' }, 'OnPartialBatchItemFailure must be AUTOMATIC_BISECT, not SPLIT'],
  ])('is refused with %j: %s', (parameters, message) => {
    expect(() => read({ SourceParameters: { DynamoDBStreamParameters: parameters } })).toThrow(message);
  });

  it('is refused with more than 5 filters or a pattern the event-pattern language refuses', () => {
    const filters = (count: number) => Array.from({ length: count }, () => ({ Pattern: '{"eventName":["INSERT"]}' }));
    expect(() =>
      read({ SourceParameters: { DynamoDBStreamParameters: { StartingPosition: 'LATEST' }, FilterCriteria: { Filters: filters(6) } } }),
    ).toThrow('FilterCriteria holds 6 filters; a pipe takes at most 5.');
    expect(() =>
      read({
        SourceParameters: {
          DynamoDBStreamParameters: { StartingPosition: 'LATEST' },
          FilterCriteria: { Filters: [{ Pattern: '{"eventName":"INSERT"}' }] },
        },
      }),
    ).toThrow('FilterCriteria.Filters[0].Pattern is not a valid event pattern');
    expect(
      read({ SourceParameters: { DynamoDBStreamParameters: { StartingPosition: 'LATEST' }, FilterCriteria: { Filters: filters(5) } } })
        .filters,
    ).toHaveLength(5);
  });

  it('is refused with a global endpoint or an InputTemplate placeholder Pipes does not know', () => {
    expect(() => read({ TargetParameters: { EventBridgeEventBusParameters: { EndpointId: 'abc.veo' } } })).toThrow(
      'EndpointId names a global endpoint',
    );
    expect(() => read({ TargetParameters: { InputTemplate: '{"a": <detail>}' } })).toThrow(
      'InputTemplate placeholder <detail> is neither a JSON path',
    );
  });

  it('reads a state machine or function target with its InvocationType, REQUEST_RESPONSE by default (API_PipeTargetStateMachineParameters)', () => {
    const machine = 'arn:aws:states:us-east-1:123456789012:stateMachine:saga';
    const fn = 'arn:aws:lambda:us-east-1:123456789012:function:f';
    expect(read({ Target: machine }).target).toEqual({ kind: 'stateMachine', arn: machine, invocationType: 'REQUEST_RESPONSE' });
    expect(
      read({ Target: machine, TargetParameters: { StepFunctionStateMachineParameters: { InvocationType: 'FIRE_AND_FORGET' } } }).target,
    ).toEqual({ kind: 'stateMachine', arn: machine, invocationType: 'FIRE_AND_FORGET' });
    expect(read({ Target: fn, TargetParameters: { LambdaFunctionParameters: { InvocationType: 'FIRE_AND_FORGET' } } }).target).toEqual({
      kind: 'lambda',
      arn: fn,
      invocationType: 'FIRE_AND_FORGET',
    });
    expect(() => read({ Target: fn, TargetParameters: { LambdaFunctionParameters: { InvocationType: 'Event' } } })).toThrow(
      'InvocationType must be REQUEST_RESPONSE or FIRE_AND_FORGET, not "Event".',
    );
  });

  it('keeps what does not run locally, with why: another source, another target, an enrichment', () => {
    expect(read({ Source: 'arn:aws:sqs:us-east-1:123456789012:q' }).unsupportedSource).toBe(
      "its source arn:aws:sqs:us-east-1:123456789012:q is not a DynamoDB stream; the local runtime's pipes read DynamoDB streams only",
    );
    expect(read({ Target: 'arn:aws:sqs:us-east-1:123456789012:q' }).target).toEqual({
      kind: 'unsupported',
      arn: 'arn:aws:sqs:us-east-1:123456789012:q',
      why: 'targets of service "sqs" do not run locally; the local runtime\'s pipes deliver to event buses, Lambda functions and Step Functions state machines',
    });
    expect(read({ Enrichment: 'arn:aws:lambda:us-east-1:123456789012:function:f' }).enrichmentArn).toBe(
      'arn:aws:lambda:us-east-1:123456789012:function:f',
    );
  });
});
