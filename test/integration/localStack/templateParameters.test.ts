/**
 * A CDK app with `CfnParameter`s and a `CfnCondition` (test/fixtures/parameterizedApp), served as
 * CloudFormation would create it: values from `LocalStackOptions.parameters` or `npm start --
 * --parameters`, else the defaults; the condition choosing a value and whether a table exists;
 * a parameter without value refused at start; NoEcho values never printed by `npm start`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { LocalStack } from '../../../local/index.ts';
import { leaseDynamoDbForStack } from '../../helpers/sharedDynamoDb.ts';

const cdkOut = 'test/fixtures/parameterizedApp/assembly';
const secret = 'pk_live_9f3c1e77';
const configQuery = '{ config { url stage mode keyLength regions } }';

async function graphql(
  stack: { graphqlUrl: string; apiKey: string },
  query: string,
): Promise<{ data?: Record<string, unknown>; errors?: unknown[] }> {
  const response = await fetch(stack.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': stack.apiKey },
    body: JSON.stringify({ query }),
  });
  return (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
}

describe('a stack started with parameters', () => {
  let stack: LocalStack | undefined;
  afterEach(async () => {
    await stack?.stop();
    stack = undefined;
  });

  it('resolves each Ref to the value given or to its Default, and the condition to its false branch', async () => {
    stack = await LocalStack.start({
      cdkOut,
      port: 0,
      tlsDir: '.local/tls',
      parameters: { ProviderKey: secret },
      dynamoDb: leaseDynamoDbForStack(),
    });
    expect(await graphql(stack, configQuery)).toEqual({
      data: {
        config: {
          url: 'https://sandbox.pay.example',
          stage: 'dev',
          mode: 'sandbox',
          keyLength: secret.length,
          regions: ['eu-west-1', 'us-east-1'],
        },
      },
    });
    expect(stack.tables).toEqual([]);
    expect(stack.parameters).toEqual([
      'Parameterized:ProviderUrl=https://sandbox.pay.example',
      'Parameterized:ProviderKey=*****',
      'Parameterized:Stage=dev',
      'Parameterized:Regions=eu-west-1,us-east-1',
    ]);
  });

  it('creates the conditional table and takes the true branch when the condition holds', async () => {
    stack = await LocalStack.start({
      cdkOut,
      port: 0,
      tlsDir: '.local/tls',
      parameters: { ProviderKey: secret, Stage: 'prod', 'Parameterized:ProviderUrl': 'https://live.pay.example' },
      dynamoDb: leaseDynamoDbForStack(),
    });
    expect(await graphql(stack, configQuery)).toMatchObject({
      data: { config: { url: 'https://live.pay.example', stage: 'prod', mode: 'live' } },
    });
    expect(stack.tables).toHaveLength(1);
  });

  it('is refused at start when a parameter has no value, naming it and how to pass it', async () => {
    await expect(LocalStack.start({ cdkOut, port: 0, tlsDir: '.local/tls' })).rejects.toThrow(
      'Parameters: [ProviderKey] must have values. Pass them with `npm start -- --parameters ProviderKey=VALUE`',
    );
  });

  it('is refused at start when a value breaks a constraint, without quoting a NoEcho value', async () => {
    const start = LocalStack.start({ cdkOut, port: 0, tlsDir: '.local/tls', parameters: { ProviderKey: 'short', Stage: 'qa' } });
    await expect(start).rejects.toThrow(
      /Parameter 'ProviderKey' must contain at least 8 characters\n {2}- Parameter 'Stage' must be one of AllowedValues: dev, prod \(got 'qa'\)$/,
    );
    await expect(start).rejects.not.toThrow('short');
  });
});

describe('npm start with --parameters', () => {
  let child: ChildProcess | undefined;
  afterAll(() => {
    child?.kill('SIGINT');
  });

  /** Runs the CLI and collects its output; `until` resolves when a line matches. */
  function startCli(args: string[]): { output: () => string; until: (pattern: RegExp) => Promise<string>; exited: Promise<number | null> } {
    const process_ = spawn(path.resolve('node_modules/.bin/tsx'), ['local/cli.ts', '--cdk-out', cdkOut, '--port', '0', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = process_;
    let text = '';
    const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
    const collect = (chunk: Buffer) => {
      text += String(chunk);
      for (const waiter of [...waiters]) {
        const line = text.split('\n').find((candidate) => waiter.pattern.test(candidate));
        if (line !== undefined) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(line);
        }
      }
    };
    process_.stdout.on('data', collect);
    process_.stderr.on('data', collect);
    return {
      output: () => text,
      until: (pattern) => new Promise((resolve) => waiters.push({ pattern, resolve })),
      exited: new Promise((resolve) => process_.on('exit', resolve)),
    };
  }

  it('prints the parameters in its summary and its delivery log with the NoEcho value masked', async () => {
    const cli = startCli(['--parameters', `ProviderKey=${secret}`, 'Stage=dev']);
    await cli.until(/Ctrl-C stops everything/);
    expect(cli.output()).toContain(
      'Parameters  Parameterized:ProviderUrl=https://sandbox.pay.example, Parameterized:ProviderKey=*****, Parameterized:Stage=dev',
    );
    const port = /GraphQL\s+http:\/\/localhost:(\d+)\/graphql/.exec(cli.output())![1];
    // The summary links the local console, served for this app too (any CDK app).
    expect(cli.output()).toMatch(new RegExp(`Console\\s+http://localhost:${port}/_local\\s`));
    expect((await fetch(`http://localhost:${port}/_local/api/streams`)).status).toBe(200);

    // The rule's target fails with a message that echoes the key: the delivery line must mask it.
    const failed = cli.until(/eventbridge FAILED/);
    expect(
      await graphql({ graphqlUrl: `http://localhost:${port}/graphql`, apiKey: 'da2-fakeApiId123456' }, 'mutation { check(id: "1") }'),
    ).toEqual({ data: { check: true } });
    expect(await failed).toContain('ProviderRefused: the provider refused key *****');
    // The console's dead-letter records mask it too.
    const deliveries = await (await fetch(`http://localhost:${port}/_local/api/deliveries`)).text();
    expect((JSON.parse(deliveries) as { failed: { errorMessage: string }[] }).failed[0]!.errorMessage).toContain(
      'the provider refused key *****',
    );
    expect(deliveries).not.toContain(secret);
    expect(cli.output()).not.toContain(secret);
    child!.kill('SIGINT');
    expect(await cli.exited).toBe(0);
  }, 60_000);

  it('exits 1 naming a parameter without value, and 2 on a malformed --parameters', async () => {
    const missing = startCli([]);
    expect(await missing.exited).toBe(1);
    expect(missing.output()).toContain(
      'Could not start: Stack Parameterized cannot start with its parameters:\n  - Parameters: [ProviderKey] must have values.',
    );
    const malformed = startCli(['--parameters', 'ProviderKey']);
    expect(await malformed.exited).toBe(2);
    expect(malformed.output()).toContain('--parameters takes Name=Value pairs (for example --parameters Stage=dev), not "ProviderKey".');
  }, 60_000);
});
