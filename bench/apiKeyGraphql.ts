/**
 * A GraphQL caller for a local stack with its API key, for benchmarks that read state between their
 * measurements: the data, or an error carrying the GraphQL errors.
 *
 * @example
 * const graphql = apiKeyGraphql(stack);
 * const { getBooking } = await graphql<{ getBooking: { status: string } }>('query ($id: ID!) { getBooking(id: $id) { status } }', { id });
 */
export function apiKeyGraphql(stack: {
  graphqlUrl: string;
  apiKey: string;
}): <T>(query: string, variables?: Record<string, unknown>) => Promise<T> {
  return async <T>(query: string, variables: Record<string, unknown> = {}): Promise<T> => {
    const response = await fetch(stack.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': stack.apiKey },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data: T; errors?: unknown[] };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data;
  };
}
