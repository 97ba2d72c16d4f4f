/**
 * Reading unique-constraint claims at command time (one consistent
 * BatchGetItem), for the read steps of aggregates whose rules depend on who
 * holds a value: a night of a room, a room number, an email. The store's
 * transaction still guarantees the constraint when two commands race.
 * Valid APPSYNC_JS.
 */
import { util, type DynamoDBBatchGetItemRequest } from '@aws-appsync/utils';
import { CONSTRAINT_VERSION, PARTITION_KEY, SORT_KEY, type ConstraintItem } from './storedEvent';

/** The BatchGetItem of the claims on `keys` (at most 100, DynamoDB's limit per batch). */
export function claimsRequest(table: string, keys: string[]): DynamoDBBatchGetItemRequest {
  return {
    operation: 'BatchGetItem',
    tables: {
      [table]: {
        keys: keys.map((key) => util.dynamodb.toMapValues({ [PARTITION_KEY]: key, [SORT_KEY]: CONSTRAINT_VERSION })),
        consistentRead: true,
      },
    },
  };
}

/** The claims a BatchGetItem found (keys nobody holds are left out); refuses the request when the read failed or was throttled. */
export function claimsFound(
  table: string,
  error: { message: string } | null | undefined,
  result: { data: Record<string, (ConstraintItem | null)[]>; unprocessedKeys?: Record<string, unknown> } | null,
): ConstraintItem[] {
  if (error) {
    util.error(`Could not read the store's claims; retry the request. (${error.message})`, 'EventStoreUnavailable');
  }
  if (Object.keys(result?.unprocessedKeys?.[table] ?? {}).length > 0) {
    util.error("The store's claims could not be read in full (throttled). Retry the request.", 'EventStoreUnavailable');
  }
  return (result?.data[table] ?? []).filter((claim) => claim !== null) as ConstraintItem[];
}
