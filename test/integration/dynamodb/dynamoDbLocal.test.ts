import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DescribeTableCommand, DescribeTimeToLiveCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDbLocal, JAVA_MISSING_MESSAGE, createTablesFromTemplate, type TemplateResource } from '../../../local/index.ts';
import { AppSyncDynamoDbDataSource } from '../../../local/index.ts';
import { useDynamoDbLocal } from '../../helpers/dynamoDbLocal.ts';

const local = useDynamoDbLocal();
const scratch = mkdtempSync(path.join(tmpdir(), 'dynamodb-local-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return condition();
}

const resources: Record<string, TemplateResource> = {
  Reservations: {
    Type: 'AWS::DynamoDB::Table',
    Properties: {
      TableName: 'reservations',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'N' },
        { AttributeName: 'room', AttributeType: 'S' },
        { AttributeName: 'night', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byRoom',
          KeySchema: [
            { AttributeName: 'room', KeyType: 'HASH' },
            { AttributeName: 'night', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'KEYS_ONLY' },
          ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
        },
      ],
      LocalSecondaryIndexes: [
        {
          IndexName: 'byNight',
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'night', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      BillingMode: 'PROVISIONED',
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
    },
  },
  EventStoreTable9A84AAAA: {
    Type: 'AWS::DynamoDB::GlobalTable',
    Properties: {
      AttributeDefinitions: [
        { AttributeName: 'streamId', AttributeType: 'S' },
        { AttributeName: 'version', AttributeType: 'N' },
      ],
      KeySchema: [
        { AttributeName: 'streamId', KeyType: 'HASH' },
        { AttributeName: 'version', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      Replicas: [{ Region: { Ref: 'AWS::Region' }, DeletionProtectionEnabled: true }],
    },
  },
  T: {
    Type: 'AWS::DynamoDB::Table',
    Properties: {
      TableName: { Ref: 'SomeParameter' },
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    },
  },
  Bucket: { Type: 'AWS::S3::Bucket' },
};

describe('tables from a template', () => {
  it('creates Table and GlobalTable resources with keys, GSI, LSI and TTL, named by TableName or logical id', async () => {
    const names = await createTablesFromTemplate(local.client, resources);
    expect(names).toEqual({ Reservations: 'reservations', EventStoreTable9A84AAAA: 'EventStoreTable9A84AAAA', T: 'T__' });
    const { Table } = await local.client.send(new DescribeTableCommand({ TableName: 'reservations' }));
    expect(Table?.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(Table?.GlobalSecondaryIndexes?.map((index) => [index.IndexName, index.Projection?.ProjectionType])).toEqual([
      ['byRoom', 'KEYS_ONLY'],
    ]);
    expect(Table?.LocalSecondaryIndexes?.map((index) => index.IndexName)).toEqual(['byNight']);
    const ttl = await local.client.send(new DescribeTimeToLiveCommand({ TableName: 'reservations' }));
    expect(ttl.TimeToLiveDescription).toMatchObject({ AttributeName: 'expiresAt', TimeToLiveStatus: 'ENABLED' });
    const { TableNames } = await local.client.send(new ListTablesCommand({}));
    expect(TableNames).toEqual(expect.arrayContaining(['reservations', 'EventStoreTable9A84AAAA', 'T__']));
  });

  it('keeps tables that already exist, so a persisted database can be reopened', async () => {
    await createTablesFromTemplate(local.client, resources);
    expect(await createTablesFromTemplate(local.client, resources)).toEqual({
      Reservations: 'reservations',
      EventStoreTable9A84AAAA: 'EventStoreTable9A84AAAA',
      T: 'T__',
    });
  });
});

describe('startup errors', () => {
  it('refuses a taken port instead of talking to whatever listens there', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, resolve));
    const { port } = server.address() as net.AddressInfo;
    try {
      await expect(DynamoDbLocal.start({ port })).rejects.toThrow(new RegExp(`Port ${port} is taken`));
    } finally {
      server.close();
    }
  });

  it('names the missing jar', async () => {
    await expect(DynamoDbLocal.start({ jarDir: scratch })).rejects.toThrow(
      /DynamoDB Local jar not found: .*DynamoDBLocal\.jar.*npm install/,
    );
  });

  it('says how to install Java when java is missing', async () => {
    await expect(DynamoDbLocal.start({ javaPath: path.join(scratch, 'no-java-here') })).rejects.toThrow(JAVA_MISSING_MESSAGE);
  });
});

describe('persistence', () => {
  it('keeps data across a restart with persistDir', async () => {
    const persistDir = path.join(scratch, 'db');
    const first = await DynamoDbLocal.start({ persistDir });
    try {
      const client = first.createClient();
      await createTablesFromTemplate(client, { Kept: resources.EventStoreTable9A84AAAA! });
      client.destroy();
      const put = await new AppSyncDynamoDbDataSource({ endpoint: first.endpoint, tableName: 'Kept' }).invoke({
        operation: 'PutItem',
        key: { streamId: { S: 's' }, version: { N: 1 } },
        attributeValues: { note: { S: 'survives' } },
      });
      expect(put.error).toBeUndefined();
    } finally {
      await first.stop();
    }
    expect(isAlive(first.javaPid)).toBe(false);

    const second = await DynamoDbLocal.start({ persistDir });
    try {
      const got = await new AppSyncDynamoDbDataSource({ endpoint: second.endpoint, tableName: 'Kept' }).invoke({
        operation: 'GetItem',
        key: { streamId: { S: 's' }, version: { N: 1 } },
      });
      expect(got).toEqual({ result: { streamId: 's', version: 1, note: 'survives' } });
    } finally {
      await second.stop();
    }
  }, 90_000);
});

describe('no orphan Java', () => {
  const fixture = fileURLToPath(new URL('./fixtures/startDynamoDbLocalAndHang.ts', import.meta.url));

  // One after the other: three JVMs starting at once on two cores are slower than in turn.
  it.each(['SIGKILL', 'SIGINT', 'crash'] as const)(
    'kills Java when the parent process ends by %s',
    async (ending) => {
      const parent = spawn(process.execPath, ['--import', 'tsx', fixture, ...(ending === 'crash' ? ['crash'] : [])], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      parent.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      parent.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const ready = await waitUntil(() => /READY \d+/.test(stdout) || parent.exitCode !== null, 45_000);
      const javaPid = Number(/READY (\d+)/.exec(stdout)?.[1]);
      expect(ready && javaPid > 0, `child output: ${stdout} ${stderr}`).toBe(true);

      if (ending === 'crash') {
        expect(await waitUntil(() => parent.exitCode !== null, 10_000)).toBe(true);
        expect(stderr).toContain('the parent crashes');
      } else {
        expect(isAlive(javaPid)).toBe(true);
        parent.kill(ending);
      }
      expect(await waitUntil(() => !isAlive(javaPid), 10_000)).toBe(true);
    },
    60_000,
  );
});

describe('when DynamoDB Local hangs or is gone', () => {
  beforeAll(() => createTablesFromTemplate(local.client, resources));

  it('a hung DynamoDB (SIGSTOP) gives a timeout error, not an endless wait', async () => {
    const dataSource = new AppSyncDynamoDbDataSource({ endpoint: local.db.endpoint, tableName: 'reservations', requestTimeoutMs: 300 });
    const key = { pk: { S: 'p' }, sk: { N: 1 } };
    expect(await dataSource.invoke({ operation: 'GetItem', key })).toEqual({ result: null });
    process.kill(local.db.javaPid, 'SIGSTOP');
    try {
      const startedAt = Date.now();
      const response = await dataSource.invoke({ operation: 'GetItem', key });
      expect(Date.now() - startedAt).toBeLessThan(3_000);
      expect(response.error).toEqual({ type: 'DynamoDB:SdkClientException', message: expect.stringMatching(/did not answer in time/) });
    } finally {
      process.kill(local.db.javaPid, 'SIGCONT');
    }
  });

  it('reports a Java that dies on its own through exited, and stop() still resolves', async () => {
    const db = await DynamoDbLocal.start();
    process.kill(db.javaPid, 'SIGKILL');
    expect(await db.exited).not.toBe(0);
    await db.stop();
    expect(isAlive(db.javaPid)).toBe(false);
  }, 60_000);

  it('stop() ends Java, and a call afterwards fails fast with a clear error', async () => {
    const dataSource = new AppSyncDynamoDbDataSource({ endpoint: local.db.endpoint, tableName: 'reservations' });
    const key = { pk: { S: 'p' }, sk: { N: 1 } };
    expect(await dataSource.invoke({ operation: 'GetItem', key })).toEqual({ result: null });

    await local.db.stop();
    expect(isAlive(local.db.javaPid)).toBe(false);

    const startedAt = Date.now();
    const response = await dataSource.invoke({ operation: 'GetItem', key });
    expect(Date.now() - startedAt).toBeLessThan(3_000);
    expect(response.error).toEqual({
      type: 'DynamoDB:SdkClientException',
      message: `Unable to execute HTTP request: connection refused by DynamoDB at ${local.db.endpoint}. Is DynamoDB Local running?`,
    });
  });
});
