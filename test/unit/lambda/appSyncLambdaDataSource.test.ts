/**
 * AppSync's Lambda data source at its edges (https://docs.aws.amazon.com/appsync/latest/devguide/resolver-reference-lambda-js.html):
 * requests it cannot send, a BatchInvoke answer that does not match its batch, a function the template lacks.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { appSyncLambdaDataSource } from '../../../local/lambda/appSyncLambdaDataSource.ts';
import { LocalLambda } from '../../../local/lambda/LocalLambda.ts';

const ARN = 'arn:aws:lambda:us-east-1:123456789012:function:S-Batch';
const codeDirectory = mkdtempSync(path.join(tmpdir(), 'lambda-datasource-'));
// Answers one item fewer than it was given.
writeFileSync(path.join(codeDirectory, 'index.js'), 'exports.handler = async (event) => event.slice(1);');
const lambda = new LocalLambda(
  [
    {
      logicalId: 'Batch',
      name: 'S-Batch',
      arn: ARN,
      runtime: 'nodejs20.x',
      handler: 'index.handler',
      codeDirectory,
      environment: {},
      timeoutSeconds: 3,
      memoryMB: 128,
    },
  ],
  { region: 'us-east-1', accountId: '123456789012' },
);
afterAll(() => lambda.stop());

const api = {
  resolvers: [{ typeName: 'Note', fieldName: 'author', kind: 'UNIT' as const, code: '', functionIds: [], maxBatchSize: 10 }],
  functions: {},
};
const call = { dataSourceName: 'batch', typeName: 'Note', fieldName: 'author', identity: null };

describe('the AWS_LAMBDA data source', () => {
  it('fails every caller of a BatchInvoke whose answer is not one result per item', async () => {
    const source = appSyncLambdaDataSource(lambda, ARN, api);
    const answers = await Promise.all([1, 2, 3].map((id) => source.invoke({ operation: 'BatchInvoke', payload: { id } }, call)));
    for (const answer of answers) {
      expect(answer.error).toEqual({
        type: 'Lambda:Unhandled',
        message: expect.stringContaining('answered a BatchInvoke of 3 item(s) with a list of 2'),
      });
    }
  });

  it('refuses a request without operation Invoke or BatchInvoke', async () => {
    const source = appSyncLambdaDataSource(lambda, ARN, api);
    expect(await source.invoke({ operation: 'Call', payload: {} }, call)).toEqual({
      error: { type: 'Lambda:InvalidRequest', message: expect.stringContaining('needs operation "Invoke" or "BatchInvoke" (got "Call")') },
    });
  });

  it('is refused at start when the template has no such function', () => {
    expect(() => appSyncLambdaDataSource(lambda, 'arn:aws:lambda:us-east-1:123456789012:function:other', api)).toThrow(
      'Function not found: arn:aws:lambda:us-east-1:123456789012:function:other (the local runtime runs S-Batch',
    );
  });
});
