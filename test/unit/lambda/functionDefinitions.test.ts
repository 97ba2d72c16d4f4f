/**
 * Which functions of a template the local runtime runs: Node.js ones (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html);
 * others refused by name at start; custom-resource providers skipped and listed. And what a Step Functions
 * Lambda task reports when the function does not exist (`Lambda.ResourceNotFoundException`,
 * https://docs.aws.amazon.com/step-functions/latest/dg/connect-lambda.html).
 */
import { describe, expect, it } from 'vitest';
import { lambdaFunctionsOf } from '../../../local/lambda/functionDefinitions.ts';
import { LocalLambda } from '../../../local/lambda/LocalLambda.ts';
import { lambdaIntegration } from '../../../local/stepfunctions/integrations/lambda.ts';
import { parseTaskResource } from '../../../local/stepfunctions/integrations/types.ts';
import { AssemblyAssets } from '../../../local/template/assets.ts';
import { readStackTemplate } from '../../../local/template/cloudAssembly.ts';

const inline = (runtime: string, extra: Record<string, unknown> = {}) => ({
  Type: 'AWS::Lambda::Function',
  Properties: { Runtime: runtime, Handler: 'index.handler', Code: { ZipFile: 'exports.handler = async () => 1;' }, ...extra },
});

function functionsOf(resources: Record<string, unknown>) {
  return lambdaFunctionsOf(readStackTemplate({ Resources: resources } as never, 'S'), AssemblyAssets.none());
}

describe('the functions of a template', () => {
  it('runs a Node.js function with inline code, its Timeout, MemorySize and environment (intrinsics resolved)', () => {
    const { functions } = functionsOf({
      Table: { Type: 'AWS::DynamoDB::Table', Properties: { TableName: 'notes' } },
      Fn: inline('nodejs22.x', { Timeout: 10, MemorySize: 256, Environment: { Variables: { TABLE: { Ref: 'Table' } } } }),
    });
    expect(functions).toEqual([
      expect.objectContaining({
        name: 'S-Fn',
        arn: 'arn:aws:lambda:us-east-1:123456789012:function:S-Fn',
        timeoutSeconds: 10,
        memoryMB: 256,
        environment: { TABLE: 'notes' },
      }),
    ]);
  });

  it('defaults to a 3 s timeout and 128 MB, as Lambda does', () => {
    expect(functionsOf({ Fn: inline('nodejs20.x') }).functions[0]).toMatchObject({ timeoutSeconds: 3, memoryMB: 128 });
  });

  it('refuses a function of another runtime by name', () => {
    expect(() => functionsOf({ Py: inline('python3.12') })).toThrow(
      'Lambda function Py (S-Py) uses the runtime python3.12; the local runtime runs Node.js functions only',
    );
  });

  it('skips and lists the provider of a custom resource, whatever its runtime', () => {
    const { functions, skipped } = functionsOf({
      Provider: inline('python3.12'),
      Thing: { Type: 'Custom::Thing', Properties: { ServiceToken: { 'Fn::GetAtt': ['Provider', 'Arn'] } } },
    });
    expect(functions).toEqual([]);
    expect(skipped).toEqual([
      { logicalId: 'Provider', name: 'S-Provider', why: 'runs the custom resource Thing (Custom::Thing) at deploy time on AWS only' },
    ]);
  });
});

describe('a Step Functions Lambda task', () => {
  it('fails with Lambda.ResourceNotFoundException for a function the template does not have', async () => {
    const lambda = new LocalLambda([], { region: 'us-east-1', accountId: '123456789012' });
    const task = lambdaIntegration((request) => lambda.invoke(request));
    await expect(
      task({
        resource: parseTaskResource('arn:aws:states:::lambda:invoke'),
        parameters: { FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:missing', Payload: {} },
        stateName: 'Fn',
        executionArn: 'e',
        stateMachineArn: 'm',
        roleArn: undefined,
        signal: new AbortController().signal,
      }),
    ).rejects.toMatchObject({
      error: 'Lambda.ResourceNotFoundException',
      cause: expect.stringContaining('Function not found: arn:aws:lambda:'),
    });
  });
});
