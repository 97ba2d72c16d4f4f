/**
 * Pipes' InputTemplate and dynamic target parameters, against AWS's documented examples
 * ([transform] eb-pipes-input-transformation.html) and recorded answers
 * ([so-75587543] a DynamoDB list read by index, stackoverflow.com/q/75587543).
 */
import { describe, expect, it } from 'vitest';
import { checkInputTemplate, renderInputTemplate, targetParameter } from '../../../local/pipes/index.ts';
import { ec2SampleEvent } from '../../fixtures/ec2SampleEvent.ts';

const context = {
  pipeName: 'example',
  pipeArn: 'arn:aws:pipe:us-east-1:123456789012:pipe/example',
  sourceArn: 'arn:aws:sqs:us-east-1:123456789012:q',
  targetArn: 'arn:aws:events:us-east-1:123456789012:event-bus/b',
  ingestionTime: '2024-01-01T00:00:00.000Z',
};

/** [transform]'s sample event. */
const ec2Event = ec2SampleEvent;

const userRecord = {
  eventName: 'INSERT',
  dynamodb: { NewImage: { username: { S: 'testuser' }, roles: { L: [{ S: 'admin' }, { S: 'otherrole' }] } } },
};

describe('an InputTemplate', () => {
  it('gives [transform]’s example output: paths and reserved variables, the event itself as JSON', () => {
    const template =
      '{\n  "instance" : <$.detail.instance-id>,\n  "state": <$.detail.state>,\n  "pipeArn" : <aws.pipes.pipe-arn>,\n  "pipeName" : <aws.pipes.pipe-name>,\n  "originalEvent" : <aws.pipes.event.json>\n}';
    expect(JSON.parse(renderInputTemplate(template, ec2Event, context))).toEqual({
      instance: 'i-0123456789',
      state: 'RUNNING',
      pipeArn: 'arn:aws:pipe:us-east-1:123456789012:pipe/example',
      pipeName: 'example',
      originalEvent: ec2Event,
    });
  });

  it.each([
    ['a static string', 'Hello, sender', 'Hello, sender'],
    ['a JSON path', '<$.detail.state>', 'RUNNING'],
    ['a dynamic string', 'Hello, <$.detail.instance-id>', 'Hello, i-0123456789'],
    ['a quoted placeholder inside JSON', '{"state": "<$.detail.state>"}', '{"state": "RUNNING"}'],
  ])('renders %s as [transform] shows', (_name, template, expected) => {
    expect(renderInputTemplate(template, ec2Event, context)).toBe(expected);
  });

  it('puts a DynamoDB list as it is, and reads its items by index with dot notation [so-75587543]', () => {
    expect(
      JSON.parse(
        renderInputTemplate('{"username": <$.dynamodb.NewImage.username.S>, "roles": <$.dynamodb.NewImage.roles.L>}', userRecord, context),
      ),
    ).toEqual({
      username: 'testuser',
      roles: [{ S: 'admin' }, { S: 'otherrole' }],
    });
    expect(
      JSON.parse(
        renderInputTemplate('{"roles": [<$.dynamodb.NewImage.roles.L.0.S>,<$.dynamodb.NewImage.roles.L.1.S>]}', userRecord, context),
      ),
    ).toEqual({ roles: ['admin', 'otherrole'] });
  });

  it('gives null for a path that reaches nothing', () => {
    expect(renderInputTemplate('{"old": <$.dynamodb.OldImage>}', userRecord, context)).toBe('{"old": null}');
  });

  it('is refused when a placeholder is neither a JSON path nor a reserved variable', () => {
    expect(() => checkInputTemplate('{"x": <aws.pipes.nope>}', 'Pipe P')).toThrow(
      'Pipe P: InputTemplate placeholder <aws.pipes.nope> is neither a JSON path',
    );
    expect(() => checkInputTemplate('{"x": <$..bad>}', 'Pipe P')).toThrow('Pipe P: InputTemplate placeholder <$..bad>');
    expect(() => checkInputTemplate('{"x": <$.a.b>, "p": <aws.pipes.pipe-name>}', 'Pipe P')).not.toThrow();
  });
});

describe('a target parameter', () => {
  it('that is a JSON path as a whole is read from the event ("dynamic path parameters", eb-pipes-event-target.html)', () => {
    expect(targetParameter('$.dynamodb.NewImage.username.S', userRecord)).toBe('testuser');
    expect(targetParameter('$.dynamodb.NewImage.missing.S', userRecord)).toBeUndefined();
  });

  it('that is anything else is taken as it is', () => {
    expect(targetParameter('UserCreated', userRecord)).toBe('UserCreated');
    expect(targetParameter('user $.dynamodb.NewImage.username.S', userRecord)).toBe('user $.dynamodb.NewImage.username.S');
  });
});
