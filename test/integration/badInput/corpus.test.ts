/**
 * The bad-input corpus (test/fixtures/badRequests.ts) against the local stack:
 * every malformed or hostile request gets a clear error (AppSync's status and
 * an errors[0] with an errorType and a message), nothing from it reaches the
 * event store, and the server keeps serving: a normal command still works.
 */
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { ulid } from 'ulid';
import { describe, expect, it } from 'vitest';
import { useLocalStack } from '../../helpers/localStack.ts';
import { BAD_REQUESTS, CREATE, type Category } from '../../fixtures/badRequests.ts';

const local = useLocalStack();

async function storedItems(): Promise<Record<string, unknown>[]> {
  const client = local.stack.dynamoDb.createClient();
  try {
    const { Items = [] } = await client.send(new ScanCommand({ TableName: local.stack.tables[0], ConsistentRead: true }));
    return Items.map((item) => unmarshall(item));
  } finally {
    client.destroy();
  }
}

interface Answer {
  status: number;
  body: { data?: unknown; errors?: { errorType?: string | null; message?: string }[] };
}

/** No data, or only nulls for the root fields (a nullable field that failed). */
function holdsNothing(data: unknown): boolean {
  return data === undefined || data === null || (typeof data === 'object' && Object.values(data).every((value) => value === null));
}

async function send(body: string): Promise<Answer> {
  const response = await fetch(local.stack.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': local.stack.apiKey },
    body,
  });
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text) as Answer['body'] };
}

describe('the bad-input corpus', () => {
  it('holds at least 200 cases across every category', () => {
    expect(BAD_REQUESTS.length).toBeGreaterThanOrEqual(200);
    const categories: Category[] = [
      'malformed JSON',
      'non-object body',
      'missing or bad query',
      'syntax error',
      'unknown field or argument',
      'wrong variable type',
      'wrong literal type',
      'bad AWSDate',
      'crafted id',
      'unicode edge case',
      'oversized',
      'deep nesting',
      'aliases and repetition',
    ];
    expect(new Set(BAD_REQUESTS.map((request) => request.category))).toEqual(new Set(categories));
    expect(new Set(BAD_REQUESTS.map((request) => request.name)).size).toBe(BAD_REQUESTS.length);
  });

  it('starts from an empty event store', async () => {
    expect(await storedItems()).toEqual([]);
  });

  for (const request of BAD_REQUESTS) {
    it(`refuses ${request.category}: ${request.name} (${request.status} ${request.errorTypes.join('|')})`, async () => {
      const answer = await send(request.body);
      expect(answer.status).toBe(request.status);
      expect(holdsNothing(answer.body.data)).toBe(true);
      const first = answer.body.errors?.[0];
      expect(first).toMatchObject({
        message: expect.stringMatching(/\S/),
        errorType: expect.toSatisfy((type: unknown) => typeof type === 'string' && request.errorTypes.includes(type)),
      });
    });
  }

  it('stored nothing from the corpus, and still serves queries and commands', async () => {
    // Anything a case had published would be stored by the bus now.
    await local.stack.bus.idle();
    expect(await storedItems()).toEqual([]);

    // Still serving: a plain query, then a normal command that is stored.
    expect(await local.graphql('{ __typename }')).toEqual({ data: { __typename: 'Query' } });
    const id = ulid();
    const accepted = await local.graphql(CREATE, {
      input: { id, userId: 'after-corpus', roomId: 'after-corpus-room', dateStart: '2035-06-01', dateEnd: '2035-06-03' },
    });
    expect(accepted).toEqual({ data: { createReservation: { id, commandId: expect.any(String), status: 'PENDING' } } });
    await local.stack.bus.idle();
    const stored = await storedItems();
    expect(stored.length).toBeGreaterThan(0);
    expect(stored.every((item) => JSON.stringify(item).includes(id) || JSON.stringify(item).includes('after-corpus-room'))).toBe(true);
  });
});
