/**
 * The template loader: a synthesized template read into what the local
 * runtime serves, intrinsics resolved to local names and ARNs, and what it
 * cannot serve refused by name.
 */
import { describe, expect, it } from 'vitest';
import { readStackTemplate } from '../../../local/template/cloudAssembly.ts';
import { IntrinsicResolver } from '../../../local/template/intrinsics.ts';

const account = { accountId: '123456789012', region: 'us-east-1', stackName: 'Core' };

function apiTemplate(resolver: Record<string, unknown> = {}) {
  return {
    Resources: {
      Api: {
        Type: 'AWS::AppSync::GraphQLApi',
        Properties: {
          Name: 'core-api',
          AuthenticationType: 'API_KEY',
          AdditionalAuthenticationProviders: [{ AuthenticationType: 'AWS_IAM' }],
          EnvironmentVariables: { TABLE: { Ref: 'Table' } },
        },
      },
      Schema: {
        Type: 'AWS::AppSync::GraphQLSchema',
        Properties: { ApiId: { 'Fn::GetAtt': ['Api', 'ApiId'] }, Definition: 'type Query { hello: String }' },
      },
      Key: { Type: 'AWS::AppSync::ApiKey', Properties: { ApiId: { 'Fn::GetAtt': ['Api', 'ApiId'] } } },
      Table: { Type: 'AWS::DynamoDB::Table', Properties: { KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }] } },
      Source: {
        Type: 'AWS::AppSync::DataSource',
        Properties: {
          ApiId: { 'Fn::GetAtt': ['Api', 'ApiId'] },
          Name: 'table',
          Type: 'AMAZON_DYNAMODB',
          DynamoDBConfig: { TableName: { Ref: 'Table' }, AwsRegion: { Ref: 'AWS::Region' } },
        },
      },
      Step: {
        Type: 'AWS::AppSync::FunctionConfiguration',
        Properties: {
          ApiId: { 'Fn::GetAtt': ['Api', 'ApiId'] },
          Name: 'step',
          DataSourceName: { 'Fn::GetAtt': ['Source', 'Name'] },
          Runtime: { Name: 'APPSYNC_JS', RuntimeVersion: '1.0.0' },
          Code: 'export function request(){} export function response(){}',
        },
      },
      Resolver: {
        Type: 'AWS::AppSync::Resolver',
        Properties: {
          ApiId: { 'Fn::GetAtt': ['Api', 'ApiId'] },
          TypeName: 'Query',
          FieldName: 'hello',
          Kind: 'PIPELINE',
          PipelineConfig: { Functions: [{ 'Fn::GetAtt': ['Step', 'FunctionId'] }] },
          Runtime: { Name: 'APPSYNC_JS', RuntimeVersion: '1.0.0' },
          Code: 'export function request(){} export function response(){}',
          ...resolver,
        },
      },
      Logs: { Type: 'AWS::Logs::LogGroup', Properties: {} },
    },
  };
}

describe('the intrinsic resolver', () => {
  const resources = {
    Bus: { Type: 'AWS::Events::EventBus', Properties: { Name: 'core-bus' } },
    Role: { Type: 'AWS::IAM::Role', Properties: {} },
    Api: { Type: 'AWS::AppSync::GraphQLApi', Properties: {} },
  };
  const intrinsics = new IntrinsicResolver(resources, account);

  it.each([
    [{ Ref: 'Bus' }, 'core-bus'],
    [{ 'Fn::GetAtt': ['Bus', 'Arn'] }, 'arn:aws:events:us-east-1:123456789012:event-bus/core-bus'],
    [{ 'Fn::GetAtt': ['Role', 'Arn'] }, 'arn:aws:iam::123456789012:role/Core-Role'],
    [
      { 'Fn::Join': ['', ['https://scheduler.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }]] },
      'https://scheduler.us-east-1.amazonaws.com',
    ],
    [{ 'Fn::Sub': 'arn:${AWS::Partition}:x:${AWS::Region}:${AWS::AccountId}:${Bus}' }, 'arn:aws:x:us-east-1:123456789012:core-bus'],
    [{ 'Fn::Select': [1, { 'Fn::Split': ['/', 'a/b/c'] }] }, 'b'],
  ])('resolves %j to %j', (value, expected) => {
    expect(intrinsics.resolve(value)).toBe(expected);
  });

  it('gives the API an id and its ARN the same id', () => {
    const id = intrinsics.resolve({ 'Fn::GetAtt': ['Api', 'ApiId'] }) as string;
    expect(id).toHaveLength(26);
    expect(intrinsics.resolve({ 'Fn::GetAtt': ['Api', 'GraphQLEndpointArn'] })).toBe(`arn:aws:appsync:us-east-1:123456789012:apis/${id}`);
  });

  it('gives a table’s StreamArn and a pipe’s Arn in AWS’s forms', () => {
    const streams = new IntrinsicResolver(
      {
        Table: { Type: 'AWS::DynamoDB::Table', Properties: { TableName: 'orders' } },
        Pipe: { Type: 'AWS::Pipes::Pipe', Properties: { Name: 'outbox' } },
      },
      account,
    );
    expect(streams.resolve({ 'Fn::GetAtt': ['Table', 'StreamArn'] })).toBe(
      'arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/1970-01-01T00:00:00.000',
    );
    expect(streams.resolve({ 'Fn::GetAtt': ['Pipe', 'Arn'] })).toBe('arn:aws:pipes:us-east-1:123456789012:pipe/outbox');
    expect(streams.resolve({ Ref: 'Pipe' })).toBe('outbox');
  });

  it('refuses an intrinsic it does not resolve, naming where it stands', () => {
    expect(() => intrinsics.resolve({ 'Fn::ImportValue': 'x' }, 'Api.Name')).toThrow('Template value at Api.Name uses Fn::ImportValue');
  });

  it('refuses a reference to a resource the template lacks', () => {
    expect(() => intrinsics.resolve({ Ref: 'Nope' }, 'X')).toThrow('refers to Nope, which the template does not define');
  });
});

describe('reading a stack template', () => {
  it('finds the API with its schema, auth modes, environment, data sources, functions and resolvers', () => {
    const stack = readStackTemplate(apiTemplate(), 'Core');
    const [api] = stack.apis;
    expect(api).toMatchObject({
      name: 'core-api',
      schema: 'type Query { hello: String }',
      defaultAuthentication: 'API_KEY',
      additionalAuthentications: ['AWS_IAM'],
      hasApiKey: true,
      environment: { TABLE: 'Core-Table' },
      dataSources: { table: { name: 'table', type: 'AMAZON_DYNAMODB', tableName: 'Core-Table' } },
      functions: { Step: { name: 'step', dataSourceName: 'table' } },
      resolvers: [{ typeName: 'Query', fieldName: 'hello', kind: 'PIPELINE', functionIds: ['Step'] }],
    });
    expect(stack.tables.map((table) => table.tableName)).toEqual(['Core-Table']);
    expect(stack.ignored).toEqual([{ logicalId: 'Logs', type: 'AWS::Logs::LogGroup', why: 'logs go to the console locally' }]);
  });

  it('refuses a VTL resolver: the local runtime runs APPSYNC_JS only', () => {
    const template = apiTemplate({ Runtime: undefined, RequestMappingTemplate: '{}', Code: undefined, Kind: 'UNIT' });
    expect(() => readStackTemplate(template, 'Core')).toThrow(
      'resolver Query.hello is a VTL resolver; the local runtime runs APPSYNC_JS resolvers only.',
    );
  });

  it('refuses code kept in S3, saying how to inline it', () => {
    const template = apiTemplate({ Code: undefined, CodeS3Location: 's3://bucket/key' });
    expect(() => readStackTemplate(template, 'Core')).toThrow('use appsync.Code.fromInline');
  });
});
