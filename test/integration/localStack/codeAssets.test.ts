/**
 * A CDK app whose resolvers, pipeline functions and schema are file assets
 * (`appsync.Code.fromAsset`, as AWS's CDK docs write it; test/fixtures/codeAssetApp), served from its
 * synthesized assembly: the pipeline runs its asset functions against DynamoDB Local, and its Lambda function runs.
 */
import { describe, expect, it } from 'vitest';
import { useLocalStack } from '../../helpers/localStack.ts';

describe('an app with code assets', () => {
  const local = useLocalStack({ cdkOut: 'test/fixtures/codeAssetApp/assembly' });

  it('answers a pipeline mutation and a unit query whose code is in asset files', async () => {
    expect(await local.graphql('mutation { saveNote(id: "n1", text: "hello") { id text stampedBy } }')).toEqual({
      data: { saveNote: { id: 'n1', text: 'hello', stampedBy: 'code-asset-app' } },
    });
    expect(await local.graphql('{ note(id: "n1") { id text stampedBy } }')).toEqual({
      data: { note: { id: 'n1', text: 'hello', stampedBy: 'code-asset-app' } },
    });
  });

  it('runs the Lambda function whose code is a directory asset (an ES module, index.mjs)', async () => {
    expect(local.stack.assembly.stacks[0]?.ignored.map((resource) => resource.type)).not.toContain('AWS::Lambda::Function');
    expect(await local.stack.lambda.invoke({ functionName: 'CodeAssets-Handler886CB40B', payload: {} })).toMatchObject({
      statusCode: 200,
      payload: { ok: true },
    });
  });
});
