/**
 * One DynamoDB Local per test worker, lent to the test files it runs one after another, instead of
 * a Java started and stopped per file: its start is 3–5 s of CPU on a quiet 2-core machine (14 s
 * under load), and most integration files need one. Each file gets it with no tables: the tables of
 * the file before are deleted, so a file sees only what it wrote, as with its own instance.
 *
 * A file that crashes or restarts DynamoDB Local (fault injection) or keeps its data on disk
 * (`persistDir`) starts its own: useLocalStack lends this one only when neither is asked. Should a
 * file kill it anyway, the next lease starts a new one. Java ends with the worker (DynamoDbLocal's
 * watchdog, test/integration/dynamodb/dynamoDbLocal.test.ts).
 *
 * @example
 * const stack = await LocalStack.start({ cdkOut, dynamoDb: leaseDynamoDbForStack() });
 * await stack.stop(); // stops everything but the lent DynamoDB Local
 */
import { DeleteTableCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDbLocal } from '../../local/index.ts';

let running: { instance: DynamoDbLocal; alive: boolean } | undefined;

/**
 * The worker's DynamoDB Local with no tables. Do not stop it when the file ends (the next file uses
 * it); a test may still stop or kill it as a fault, and the next lease then starts a new one.
 */
export async function leaseDynamoDb(): Promise<DynamoDbLocal> {
  if (!running?.alive) {
    const instance = await DynamoDbLocal.start();
    const started = { instance, alive: true };
    void instance.exited.then(() => (started.alive = false));
    running = started;
  }
  await deleteEveryTable(running.instance);
  return running.instance;
}

/**
 * The same, for LocalStack.start, whose stop() stops its DynamoDB Local: there it does nothing. The
 * rest is the instance's own (endpoint, javaPid, exited, createClient), so crashDynamoDb still kills it.
 */
export async function leaseDynamoDbForStack(): Promise<DynamoDbLocal> {
  return Object.assign(Object.create(await leaseDynamoDb()) as DynamoDbLocal, { stop: () => Promise.resolve() });
}

async function deleteEveryTable(dynamoDb: DynamoDbLocal): Promise<void> {
  const client = dynamoDb.createClient();
  try {
    // ListTables pages by 100: delete what it lists until it lists nothing.
    for (;;) {
      const names = (await client.send(new ListTablesCommand({}))).TableNames ?? [];
      if (names.length === 0) return;
      await Promise.all(names.map((TableName) => client.send(new DeleteTableCommand({ TableName }))));
    }
  } finally {
    client.destroy();
  }
}
