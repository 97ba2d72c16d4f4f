// Input, InputPath and InputTransformer, table-tested against the examples of
// "Amazon EventBridge input transformation"
// (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html: the
// "Input transform examples" table, "Predefined variables", "Common issues with transforming input")
// and the InputTransformer API reference (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_InputTransformer.html).
import { describe, expect, it } from 'vitest';
import { transformInput, validateTargetInput, type EventEnvelope, type TargetInputConfig } from '../../../local/eventbridge/index.ts';
import { ec2SampleEvent } from '../../fixtures/ec2SampleEvent.ts';

/** The page's example Amazon EC2 event. */
const event: EventEnvelope = ec2SampleEvent;
const context = {
  ruleName: 'example',
  ruleArn: 'arn:aws:events:us-east-2:123456789012:rule/example',
  ingestionTime: '2015-11-11T21:29:55.000Z',
};
const InputPathsMap = { timestamp: '$.time', instance: '$.detail.instance-id', state: '$.detail.state' };
const transform = (InputTemplate: string, paths: Record<string, string> = InputPathsMap): string =>
  transformInput({ InputTransformer: { InputPathsMap: paths, InputTemplate } }, event, context);

describe('InputTransformer: the documented examples', () => {
  it.each([
    { name: 'Simple string', template: '"instance <instance> is in <state>"', output: '"instance i-0123456789 is in RUNNING"' },
    {
      name: 'String with escaped quotes',
      template: '"instance \\"<instance>\\" is in <state>"',
      output: '"instance \\"i-0123456789\\" is in RUNNING"',
    },
    {
      name: 'Including reserved variables in a string',
      template: '"<aws.events.rule-name> triggered"',
      output: '"example triggered"',
    },
    { name: 'plain text template (API reference)', template: '<instance> is in state <state>', output: 'i-0123456789 is in state RUNNING' },
  ])('$name', ({ template, output }) => {
    expect(transform(template)).toBe(output);
  });

  it.each([
    {
      name: 'Simple JSON',
      template: '{\n  "instance" : <instance>,\n  "state": <state>\n}',
      output: { instance: 'i-0123456789', state: 'RUNNING' },
    },
    {
      name: 'JSON with strings and variables',
      template: '{\n "instance" : <instance>,\n "state": "<state>",\n "instanceStatus": "instance \\"<instance>\\" is in <state>"\n}',
      output: { instance: 'i-0123456789', state: 'RUNNING', instanceStatus: 'instance "i-0123456789" is in RUNNING' },
    },
    {
      name: 'JSON with a mix of variables and static information',
      template: '{\n  "instance" : <instance>,\n  "state": [ 9, <state>, true ],\n  "Transformed" : "Yes"\n}',
      output: { instance: 'i-0123456789', state: [9, 'RUNNING', true], Transformed: 'Yes' },
    },
    {
      name: 'JSON with variables in quotes or out (API reference)',
      template: '{"myInstance": <instance>,"myStatus": "<instance> is in state \\"<state>\\""}',
      output: { myInstance: 'i-0123456789', myStatus: 'i-0123456789 is in state "RUNNING"' },
    },
  ])('$name', ({ template, output }) => {
    expect(JSON.parse(transform(template))).toEqual(output);
  });

  it('Including reserved variables in JSON: rule ARN, rule name, and the event without detail', () => {
    const output = JSON.parse(
      transform(
        '{\n  "instance" : <instance>,\n  "state": <state>,\n  "ruleArn" : <aws.events.rule-arn>,\n  "ruleName" : <aws.events.rule-name>,\n  "originalEvent" : <aws.events.event>\n}',
      ),
    );
    const { detail: _detail, 'detail-type': detailType, ...rest } = event;
    // detail-type comes as detailType, as AWS is recorded to send it (LocalStack's AWS-validated snapshot).
    expect(output).toEqual({
      instance: 'i-0123456789',
      state: 'RUNNING',
      ruleArn: context.ruleArn,
      ruleName: 'example',
      originalEvent: { ...rest, detailType },
    });
  });

  it('<aws.events.event.json> is the whole event, detail included', () => {
    expect(JSON.parse(transform('{"e": <aws.events.event.json>}', {}))).toEqual({ e: event });
  });

  it('<aws.events.event.ingestion-time> is when the bus received the event', () => {
    expect(JSON.parse(transform('{"at": <aws.events.event.ingestion-time>}', {}))).toEqual({ at: context.ingestionTime });
  });
});

describe('InputTransformer: quoting rules ("Common issues with transforming input")', () => {
  it('an object placed inside a string loses its inner quotes', () => {
    expect(transform('"Detail is <detail>"', { detail: '$.detail' })).toBe('"Detail is {instance-id:i-0123456789,state:RUNNING}"');
  });

  it('an object placed as a JSON value is inserted as JSON', () => {
    expect(JSON.parse(transform('{"detail": <detail>}', { detail: '$.detail' }))).toEqual({ detail: event.detail });
  });

  it('a string variable gets quotes outside a string, and none inside one', () => {
    expect(JSON.parse(transform('{"a": <state>, "b": "<state>"}'))).toEqual({ a: 'RUNNING', b: 'RUNNING' });
  });

  it('values are not escaped inside a string (so a quote in the value breaks the JSON, as on AWS)', () => {
    const quoted = { ...event, detail: { note: 'say "hi"' } };
    const output = transformInput(
      { InputTransformer: { InputPathsMap: { note: '$.detail.note' }, InputTemplate: '{"n": "<note>"}' } },
      quoted,
      context,
    );
    expect(output).toBe('{"n": "say "hi""}');
  });

  it('a variable whose path reaches nothing is null as a JSON value and empty inside a string', () => {
    expect(JSON.parse(transform('{"a": <gone>, "b": "x<gone>y"}', { gone: '$.detail.nope' }))).toEqual({ a: null, b: 'xy' });
  });

  it('numbers and booleans keep their JSON type', () => {
    const typed = { ...event, detail: { n: 3, ok: true } };
    const output = transformInput(
      { InputTransformer: { InputPathsMap: { n: '$.detail.n', ok: '$.detail.ok' }, InputTemplate: '{"n": <n>, "ok": <ok>, "s": "<n>"}' } },
      typed,
      context,
    );
    expect(JSON.parse(output)).toEqual({ n: 3, ok: true, s: '3' });
  });

  it('array indices and wildcards in paths', () => {
    expect(JSON.parse(transform('{"r": <r>, "all": <all>}', { r: '$.resources[0]', all: '$.detail.*' }))).toEqual({
      r: event.resources[0],
      all: ['i-0123456789', 'RUNNING'],
    });
  });
});

describe('Input, InputPath, and no input configuration', () => {
  it('Input is sent as it is', () => {
    expect(transformInput({ Input: '{"fixed":true}' }, event, context)).toBe('{"fixed":true}');
  });

  it('InputPath sends the selected part as JSON', () => {
    expect(JSON.parse(transformInput({ InputPath: '$.detail' }, event, context))).toEqual(event.detail);
  });

  it('with nothing configured the whole event is sent', () => {
    expect(JSON.parse(transformInput({}, event, context))).toEqual(event);
  });

  it('the transformer the project deploys wraps the detail as the mutation input', () => {
    const output = transformInput(
      { InputTransformer: { InputPathsMap: { detail: '$.detail' }, InputTemplate: '{"input":<detail>}' } },
      event,
      context,
    );
    expect(JSON.parse(output)).toEqual({ input: event.detail });
  });
});

describe('validateTargetInput refuses what PutTargets refuses', () => {
  it.each<{ name: string; config: TargetInputConfig; message: string | RegExp }>([
    {
      name: 'two input kinds',
      config: { Input: '{}', InputPath: '$.detail' },
      message: 'Only one of Input, InputPath, or InputTransformer must be provided for target target.',
    },
    {
      name: 'a placeholder that names no variable',
      config: { InputTransformer: { InputPathsMap: { a: '$.id' }, InputTemplate: '"<a> with not defined key <notdefinedkey>"' } },
      message: 'InputTemplate for target target contains invalid placeholder notdefinedkey.',
    },
    { name: 'Input that is not JSON', config: { Input: 'not json' }, message: /Input for target target must be valid JSON/ },
    { name: 'a path without $', config: { InputPath: 'detail' }, message: /must start with \$/ },
    { name: 'bracket notation', config: { InputPath: "$['detail']" }, message: /dot notation/ },
    {
      name: 'a key starting with aws.',
      config: { InputTransformer: { InputPathsMap: { 'aws.mine': '$.id' }, InputTemplate: '"x"' } },
      message: /reserved/,
    },
    {
      name: 'an empty template',
      config: { InputTransformer: { InputTemplate: '' } },
      message: /InputTemplate for target target is required/,
    },
  ])('$name', ({ config, message }) => {
    expect(() => validateTargetInput(config, 'target')).toThrow(message);
    expect(() => validateTargetInput(config, 'target')).toThrow(expect.objectContaining({ code: 'ValidationException' }));
  });
});
