/**
 * Template parameters and conditions, against CloudFormation's documented behaviour:
 * [params]     https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html
 * [conditions] https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-conditions.html
 * [novalue]    https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/pseudo-parameter-reference.html (AWS::NoValue)
 * Recorded messages: botocore#2598 (must have values), amplify-cli#6224 (AllowedValues),
 * quickstart-pivotal-cloudfoundry#9 (pattern), aws-config-engine-for-compliance-as-code#12
 * (ConstraintDescription), cloudformation-coverage-roadmap#930 (MinLength).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readStackTemplate } from '../../../local/template/cloudAssembly.ts';
import { IntrinsicResolver } from '../../../local/template/intrinsics.ts';
import {
  noEchoMasker,
  parametersForStack,
  refuseUnknownParameters,
  resolveStackParameters,
  type ParameterDeclaration,
} from '../../../local/template/parameters.ts';
import { takeParametersOption } from '../../../local/bin/parametersOption.ts';

const account = { accountId: '123456789012', region: 'us-east-1', stackName: 'Core' };
const ref = (declared: Record<string, ParameterDeclaration>, given: Record<string, string>, name: string) =>
  new IntrinsicResolver({}, account, { parameters: resolveStackParameters(declared, given, 'Core') }).resolve({ Ref: name }, 'X');

describe('a parameter’s value', () => {
  it('is the value given, else the Default [params]', () => {
    const declared = { Stage: { Type: 'String', Default: 'dev' } };
    expect(ref(declared, {}, 'Stage')).toBe('dev');
    expect(ref(declared, { Stage: 'prod' }, 'Stage')).toBe('prod');
  });

  it('of a Number parameter is a string when referenced [params: Number]', () => {
    expect(ref({ Port: { Type: 'Number', Default: 8888 } }, {}, 'Port')).toBe('8888');
  });

  it('of a CommaDelimitedList is a list of space-trimmed strings: "test,dev,prod" → ["test","dev","prod"] [params]', () => {
    expect(ref({ Envs: { Type: 'CommaDelimitedList' } }, { Envs: 'test, dev ,prod' }, 'Envs')).toEqual(['test', 'dev', 'prod']);
  });

  it('of a List<Number> is a list of strings: "80,20" → ["80","20"] [params]', () => {
    expect(ref({ Ports: { Type: 'List<Number>' } }, { Ports: '80,20' }, 'Ports')).toEqual(['80', '20']);
  });

  it('reaches Fn::Sub and Fn::Join as any Ref does', () => {
    const intrinsics = new IntrinsicResolver({}, account, {
      parameters: resolveStackParameters(
        { Host: { Type: 'String', Default: 'pay.example' }, Envs: { Type: 'CommaDelimitedList', Default: 'a,b' } },
        {},
        'Core',
      ),
    });
    expect(intrinsics.resolve({ 'Fn::Sub': 'https://${Host}/${AWS::Region}' })).toBe('https://pay.example/us-east-1');
    expect(intrinsics.resolve({ 'Fn::Join': ['+', { Ref: 'Envs' }] })).toBe('a+b');
  });
});

describe('a parameter refused at start', () => {
  it('has neither a value nor a Default: named, with how to pass it [botocore#2598: "Parameters: [X] must have values"]', () => {
    expect(() => resolveStackParameters({ ProviderKey: { Type: 'String', NoEcho: true }, Other: { Type: 'String' } }, {}, 'Core')).toThrow(
      'Parameters: [ProviderKey, Other] must have values. Pass them with `npm start -- --parameters ProviderKey=VALUE Other=VALUE`',
    );
  });

  it('is not one of its AllowedValues [amplify-cli#6224: "Parameter \'X\' must be one of AllowedValues"]', () => {
    expect(() => resolveStackParameters({ Stage: { Type: 'String', AllowedValues: ['dev', 'prod'] } }, { Stage: 'test' }, 'Core')).toThrow(
      "Parameter 'Stage' must be one of AllowedValues: dev, prod (got 'test')",
    );
  });

  it('does not match its AllowedPattern as a whole [quickstart-pivotal-cloudfoundry#9: "Parameter \'X\' must match pattern P"]', () => {
    const declared = { Code: { Type: 'String', AllowedPattern: '[a-z]+' } };
    expect(() => resolveStackParameters(declared, { Code: 'abc1' }, 'Core')).toThrow(
      "Parameter 'Code' must match pattern [a-z]+ (got 'abc1')",
    );
    expect(resolveStackParameters(declared, { Code: 'abc' }, 'Core').valueOf('Code', 'X')).toBe('abc');
  });

  it('says its ConstraintDescription instead of the rule [aws-config-engine-for-compliance-as-code#12: "Parameter X failed to satisfy constraint: …"]', () => {
    const declared = { Url: { Type: 'String', AllowedPattern: 'https://[^ ]+', ConstraintDescription: 'must be an https:// URL' } };
    expect(() => resolveStackParameters(declared, { Url: 'http://x' }, 'Core')).toThrow(
      "Parameter Url failed to satisfy constraint: must be an https:// URL (got 'http://x')",
    );
  });

  it('is shorter than MinLength or longer than MaxLength [cloudformation-coverage-roadmap#930: "must contain at least N characters"]', () => {
    const declared = { Name: { Type: 'String', MinLength: 3, MaxLength: 5 } };
    expect(() => resolveStackParameters(declared, { Name: 'ab' }, 'Core')).toThrow(
      "Parameter 'Name' must contain at least 3 characters (got 'ab')",
    );
    expect(() => resolveStackParameters(declared, { Name: 'abcdef' }, 'Core')).toThrow(
      "Parameter 'Name' must contain at most 5 characters (got 'abcdef')",
    );
  });

  it('is a Number parameter given no number, or one outside MinValue/MaxValue [params: Number]', () => {
    const declared = { Size: { Type: 'Number', MinValue: 1, MaxValue: 10 } };
    expect(() => resolveStackParameters(declared, { Size: 'big' }, 'Core')).toThrow("Parameter 'Size' must be a number (got 'big')");
    expect(() => resolveStackParameters(declared, { Size: '0' }, 'Core')).toThrow("Parameter 'Size' must be a number not less than 1");
    expect(() => resolveStackParameters(declared, { Size: '11' }, 'Core')).toThrow("Parameter 'Size' must be a number not greater than 10");
    expect(() => resolveStackParameters({ Ports: { Type: 'List<Number>' } }, { Ports: '80,http' }, 'Core')).toThrow(
      "Parameter 'Ports' must be a list of numbers",
    );
  });

  it('never quotes a NoEcho value back', () => {
    let message = '';
    try {
      resolveStackParameters({ Key: { Type: 'String', NoEcho: true, MinLength: 8 } }, { Key: 'short' }, 'Core');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain("Parameter 'Key' must contain at least 8 characters");
    expect(message).not.toContain('short');
  });

  it('lists every problem of the stack at once', () => {
    const declared = { A: { Type: 'String' }, B: { Type: 'String', AllowedValues: ['x'] }, C: { Type: 'Number' } };
    expect(() => resolveStackParameters(declared, { B: 'y', C: 'z' }, 'Core')).toThrow(
      /Stack Core cannot start with its parameters:\n {2}- Parameters: \[A\] must have values.*\n {2}- Parameter 'B' must be one of AllowedValues.*\n {2}- Parameter 'C' must be a number/,
    );
  });

  it('has a type CloudFormation does not know', () => {
    expect(() => resolveStackParameters({ X: { Type: 'Text' } }, {}, 'Core')).toThrow('Unrecognized parameter type: Text (parameter X)');
  });
});

describe('an SSM parameter type', () => {
  const declared = { BootstrapVersion: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/cdk-bootstrap/hnb659fds/version' } };

  it('is skipped while nothing the runtime reads uses it (CDK’s BootstrapVersion, used only by Rules)', () => {
    expect(resolveStackParameters(declared, {}, 'Core').parameters).toEqual([]);
  });

  it('is refused by name where a resource uses it: there is no Parameter Store locally', () => {
    expect(() => ref(declared, {}, 'BootstrapVersion')).toThrow(
      'Template value at X uses parameter BootstrapVersion of stack Core: its type AWS::SSM::Parameter::Value<String> takes its value from Systems Manager Parameter Store',
    );
  });
});

describe('values given on the command line', () => {
  it('are read in cdk deploy’s shapes: pairs after one --parameters, repeated, inline, values holding "="', () => {
    expect(
      takeParametersOption(['--port', '0', '--parameters', 'Url=https://x?a=b', 'Core:Key=k', '--parameters=Stage=dev', '--quiet']),
    ).toEqual({
      parameters: { Url: 'https://x?a=b', 'Core:Key': 'k', Stage: 'dev' },
      rest: ['--port', '0', '--quiet'],
    });
  });

  it('refuses a pair without a name or an empty --parameters', () => {
    expect(() => takeParametersOption(['--parameters', '=x'])).toThrow('--parameters takes Name=Value pairs');
    expect(() => takeParametersOption(['--parameters', '--quiet'])).toThrow('--parameters needs at least one Name=Value pair');
  });

  it('apply to every stack, a Stack: prefix to one stack only and first', () => {
    expect(parametersForStack({ Stage: 'dev', 'Core:Stage': 'prod', 'Other:Key': 'k' }, 'Core')).toEqual({ Stage: 'prod' });
    expect(parametersForStack({ Stage: 'dev', 'Core:Stage': 'prod' }, 'Other')).toEqual({ Stage: 'dev' });
  });

  it('naming a parameter no stack declares are refused ["Parameters: [X] do not exist in the template"]', () => {
    expect(() => refuseUnknownParameters({ Stgae: 'dev', 'Core:Stage': 'x' }, { Core: ['Stage'] })).toThrow(
      'Parameters: [Stgae] do not exist in the template. Declared parameters by stack: Core: Stage.',
    );
    expect(() => refuseUnknownParameters({ 'Other:Stage': 'x' }, { Core: ['Stage'] })).toThrow('Parameters: [Other:Stage] do not exist');
  });
});

describe('NoEcho values', () => {
  const parameters = resolveStackParameters(
    { Key: { Type: 'String', NoEcho: true }, Url: { Type: 'String', Default: 'https://x' } },
    { Key: 's3cr3t-key' },
    'Core',
  );

  it('are masked where the stack is described, as DescribeStacks masks them [params: NoEcho]', () => {
    expect(parameters.describe()).toEqual([
      { ParameterKey: 'Key', ParameterValue: '*****' },
      { ParameterKey: 'Url', ParameterValue: 'https://x' },
    ]);
  });

  it('are masked in any log line', () => {
    expect(noEchoMasker(parameters.secrets())('provider refused s3cr3t-key twice: s3cr3t-key')).toBe('provider refused ***** twice: *****');
  });
});

describe('conditions [conditions]', () => {
  const declared = { Stage: { Type: 'String', Default: 'dev' }, Region: { Type: 'String', Default: 'eu-west-1' } };
  const resolver = (given: Record<string, string>, conditions: Record<string, unknown>, resources = {}) =>
    new IntrinsicResolver(resources, account, { parameters: resolveStackParameters(declared, given, 'Core'), conditions });
  const isProd = { 'Fn::Equals': [{ Ref: 'Stage' }, 'prod'] };

  it.each([
    [{ Stage: 'prod' }, { C: isProd }, true],
    [{}, { C: isProd }, false],
    [{}, { C: { 'Fn::Not': [isProd] } }, true],
    [{ Stage: 'prod' }, { P: isProd, C: { 'Fn::And': [{ Condition: 'P' }, { 'Fn::Equals': [{ Ref: 'Region' }, 'eu-west-1'] }] } }, true],
    [{}, { P: isProd, C: { 'Fn::And': [{ Condition: 'P' }, { 'Fn::Equals': [{ Ref: 'Region' }, 'eu-west-1'] }] } }, false],
    [{}, { P: isProd, C: { 'Fn::Or': [{ Condition: 'P' }, { 'Fn::Equals': ['a', 'a'] }] } }, true],
    [{}, { C: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] } }, true],
  ])('with %j, %j holds: %s', (given, conditions, expected) => {
    expect(resolver(given, conditions).conditions.holds('C', 'X')).toBe(expected);
  });

  it('Fn::If takes the branch of its condition; AWS::NoValue removes the property or list item [novalue]', () => {
    const intrinsics = resolver({}, { IsProd: isProd });
    const value = {
      Mode: { 'Fn::If': ['IsProd', 'live', 'sandbox'] },
      Description: { 'Fn::If': ['IsProd', 'production', { Ref: 'AWS::NoValue' }] },
      Names: ['a', { 'Fn::If': ['IsProd', 'b', { Ref: 'AWS::NoValue' }] }],
    };
    expect(intrinsics.resolve(value)).toEqual({ Mode: 'sandbox', Names: ['a'] });
    expect(resolver({ Stage: 'prod' }, { IsProd: isProd }).resolve(value)).toEqual({
      Mode: 'live',
      Description: 'production',
      Names: ['a', 'b'],
    });
  });

  it('refuses a condition that depends on itself, a wrong number of operands and an undefined name', () => {
    expect(() => resolver({}, { A: { Condition: 'B' }, B: { 'Fn::Not': [{ Condition: 'A' }] } }).conditions.holds('A', 'X')).toThrow(
      'condition A depends on itself',
    );
    expect(() => resolver({}, { C: { 'Fn::And': [isProd] } }).conditions.holds('C', 'X')).toThrow(
      'Fn::And at Conditions.C takes a list of 2 to 10 element(s)',
    );
    expect(() => resolver({}, {}).resolve({ 'Fn::If': ['Nope', 1, 2] }, 'Api.Name')).toThrow(
      'Template value at Api.Name uses condition Nope, which the template',
    );
  });

  it('a resource whose condition is false is not created, and a Ref to it outside Fn::If is refused', () => {
    const template = {
      Parameters: declared,
      Conditions: { IsProd: isProd },
      Resources: {
        Audit: { Type: 'AWS::DynamoDB::Table', Condition: 'IsProd', Properties: { KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }] } },
        Bus: { Type: 'AWS::Events::EventBus', Properties: { Name: { 'Fn::If': ['IsProd', { Ref: 'Audit' }, 'no-audit'] } } },
      },
    };
    const dev = readStackTemplate(template, 'Core');
    expect(dev.tables).toEqual([]);
    expect(dev.ignored).toEqual([{ logicalId: 'Audit', type: 'AWS::DynamoDB::Table', why: 'not created: its condition IsProd is false' }]);
    expect(dev.resources.Bus?.Properties.Name).toBe('no-audit');
    expect(readStackTemplate(template, 'Core', { parameters: { Stage: 'prod' } }).tables.map((table) => table.tableName)).toEqual([
      'Core-Audit',
    ]);

    const unguarded = {
      ...template,
      Resources: { ...template.Resources, Bus: { Type: 'AWS::Events::EventBus', Properties: { Name: { Ref: 'Audit' } } } },
    };
    expect(() => readStackTemplate(unguarded, 'Core')).toThrow('refers to Audit, which is not created: its condition IsProd is false');
  });
});

describe('a synthesized CDK app with parameters and a condition (test/fixtures/parameterizedApp)', () => {
  const template = JSON.parse(readFileSync('test/fixtures/parameterizedApp/assembly/Parameterized.template.json', 'utf8'));

  it('gives the API’s environment the parameters’ values and the condition’s branch', () => {
    const stack = readStackTemplate(template, 'Parameterized', { parameters: { ProviderKey: 'k-12345678' } });
    expect(stack.apis[0]?.environment).toEqual({
      PROVIDER_URL: 'https://sandbox.pay.example',
      PROVIDER_KEY: 'k-12345678',
      STAGE: 'dev',
      MODE: 'sandbox',
      REGIONS: 'eu-west-1,us-east-1',
    });
  });
});
