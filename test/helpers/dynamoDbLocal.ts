/**
 * One DynamoDB Local per test file: started in beforeAll on a free port, stopped in afterAll.
 *
 * @example
 * const local = useDynamoDbLocal();
 * it('reads', async () => { await local.client.send(new ListTablesCommand({})); });
 */
import { afterAll, beforeAll } from 'vitest';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbLocal, type DynamoDbLocalOptions } from '../../local/dynamodb/DynamoDbLocal.ts';

export interface DynamoDbLocalFixture {
  readonly db: DynamoDbLocal;
  readonly client: DynamoDBClient;
}

export function useDynamoDbLocal(options: DynamoDbLocalOptions = {}): DynamoDbLocalFixture {
  let db: DynamoDbLocal | undefined;
  let client: DynamoDBClient | undefined;
  beforeAll(async () => {
    db = await DynamoDbLocal.start(options);
    client = db.createClient();
  });
  afterAll(async () => {
    client?.destroy();
    await db?.stop();
  });
  return {
    get db() {
      if (!db) throw new Error('DynamoDB Local is not started yet: use it inside a test or hook');
      return db;
    },
    get client() {
      if (!client) throw new Error('DynamoDB Local is not started yet: use it inside a test or hook');
      return client;
    },
  };
}
