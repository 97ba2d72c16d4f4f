/** What the read-model queries share: a page of one partition, and its limit. Valid APPSYNC_JS. */
import { util, type DynamoDBQueryRequest } from '@aws-appsync/utils';
import { READ_MODEL_PK } from './readModelTable';

export const DEFAULT_PAGE = 50;
export const MAX_PAGE = 100;

/** A page of the partition `pk`, sort keys ascending; refuses a limit outside 1..MAX_PAGE. */
export function partitionPage(pk: string, limit: number | null | undefined, nextToken: string | null | undefined): DynamoDBQueryRequest {
  const size = limit ?? DEFAULT_PAGE;
  if (!(size >= 1 && size <= MAX_PAGE)) {
    util.error(`limit (${size}) must be from 1 to ${MAX_PAGE}.`, 'ValidationError');
  }
  return {
    operation: 'Query',
    query: {
      expression: '#pk = :pk',
      expressionNames: { '#pk': READ_MODEL_PK },
      expressionValues: util.dynamodb.toMapValues({ ':pk': pk }),
    },
    limit: size,
    ...(nextToken ? { nextToken } : {}),
  };
}

/** Refuses when the read models could not be read. */
export function failIfReadModelError(error: { message: string } | null | undefined): void {
  if (error) {
    util.error(`Could not read the read models; retry the request. (${error.message})`, 'ReadModelUnavailable');
  }
}
