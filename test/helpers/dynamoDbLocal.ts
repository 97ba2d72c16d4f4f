/**
 * A DynamoDB Local for one test file, with no tables: the worker's (sharedDynamoDb.ts), or, with
 * start options (a port, persistDir, JVM options), its own, started in beforeAll and stopped in afterAll.
 * Give it template resources to have their tables created too.
 *
 * @example
 * const local = useDynamoDbLocal({ resources: template.Resources });
 * it('reads', async () => {
 *   await local.client.send(new GetItemCommand({ TableName: local.tables.EventStoreTable9A84AAAA, Key: key }));
 * });
 */
import { afterAll, beforeAll } from 'vitest';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbLocal, createTablesFromTemplate, type DynamoDbLocalOptions, type TemplateResource } from '../../local/index.ts';
import { leaseDynamoDb } from './sharedDynamoDb.ts';

export interface DynamoDbLocalFixture {
  readonly db: DynamoDbLocal;
  readonly client: DynamoDBClient;
  /** Logical id → table name of the tables made from `resources` (empty without). */
  readonly tables: Readonly<Record<string, string>>;
}

export function useDynamoDbLocal(
  options: DynamoDbLocalOptions & { resources?: Readonly<Record<string, TemplateResource>> } = {},
): DynamoDbLocalFixture {
  const { resources, ...startOptions } = options;
  let db: DynamoDbLocal | undefined;
  let leased = false;
  let client: DynamoDBClient | undefined;
  let tables: Record<string, string> = {};
  beforeAll(async () => {
    leased = Object.keys(startOptions).length === 0;
    db = leased ? await leaseDynamoDb() : await DynamoDbLocal.start(startOptions);
    client = db.createClient();
    if (resources) {
      tables = await createTablesFromTemplate(client, resources);
    }
  });
  afterAll(async () => {
    client?.destroy();
    if (!leased) await db?.stop();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) {
      throw new Error('DynamoDB Local is not started yet: use it inside a test or a hook');
    }
    return value;
  };
  return {
    get db() {
      return started(db);
    },
    get client() {
      return started(client);
    },
    get tables() {
      return tables;
    },
  };
}
