/**
 * A template whose resolver code AWS would refuse (CreateResolver fails on a `++`) is refused at
 * start, naming the code's file, line and rule; and the DynamoDB Local the start launched beside
 * the engine's loading is stopped, not left running.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalStack } from '../../../local/index.ts';

const fixture = 'test/fixtures/parameterizedApp/assembly';
const templateFile = 'Parameterized.template.json';

/** The fixture's assembly with one resolver's code replaced. */
function assemblyWithCode(logicalId: string, code: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'refused-code-'));
  cpSync(fixture, dir, { recursive: true });
  const template = JSON.parse(readFileSync(path.join(dir, templateFile), 'utf8')) as {
    Resources: Record<string, { Properties: { Code?: string } }>;
  };
  template.Resources[logicalId]!.Properties.Code = code;
  writeFileSync(path.join(dir, templateFile), JSON.stringify(template));
  return dir;
}

/** DynamoDB Local watchdogs started by this process (the shared one of the worker included). */
function dynamoDbWatchdogs(): string[] {
  const children = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)], { encoding: 'utf8' });
  return children
    .split('\n')
    .filter((line) => line.includes('dynamodb-local-watchdog'))
    .map((line) => line.trim().split(/\s+/)[0]!);
}

describe('a template with resolver code AWS would refuse', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('is refused at start with the file, line and rule, and the DynamoDB Local it launched is stopped', async () => {
    const cdkOut = assemblyWithCode(
      'ApiConfig0CE50C04',
      'export function request(ctx) {\n  let i = 0;\n  i++;\n  return { payload: i };\n}\nexport function response(ctx) { return ctx.result; }',
    );
    dirs.push(cdkOut);
    const before = dynamoDbWatchdogs();
    await expect(
      LocalStack.start({ cdkOut, port: 0, tlsDir: '.local/tls', parameters: { ProviderKey: 'pk_live_9f3c1e77' } }),
    ).rejects.toThrow('Query.config.js:3:3: LINT_ERROR The operator ++ is not supported.');
    expect(dynamoDbWatchdogs()).toEqual(before);
  });
});
