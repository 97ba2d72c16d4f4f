/**
 * The local stack for one test file: started in beforeAll from the template
 * synthesized by the global setup, on free ports, and stopped in afterAll
 * (its DynamoDB Local Java process included).
 *
 * @example
 * const local = useLocalStack();
 * it('answers', async () => { const body = await local.graphql('{ __typename }'); });
 */
import { afterAll, beforeAll, inject } from 'vitest';
import { LocalStack, type LocalStackOptions } from '../../local/index.ts';
import { startLocalCore, type LocalCore } from '../../dev/localCore.ts';
import type { PaymentProviderStandIn } from '../../dev/paymentProvider.ts';
import type { GraphQLResponse } from '../../local/index.ts';
import { leaseDynamoDbForStack } from './sharedDynamoDb.ts';

export interface LocalStackFixture {
  readonly stack: LocalStack;
  /** The payment provider's stand-in the stack's payments call. */
  readonly provider: PaymentProviderStandIn;
  /** POST a GraphQL request with the API key (or the headers given) and return status and body. */
  post(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: GraphQLResponse }>;
  /** POST with the API key and return the body. */
  graphql(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse>;
}

/** Another app's stack, without this app's stand-ins. */
async function startAlone(options: LocalStackOptions): Promise<LocalCore> {
  const stack = await LocalStack.start(options);
  return { stack, provider: undefined as never, stop: () => stack.stop() };
}

/**
 * `servesThisApp`: the assembly is this app's (or a variant of it, e.g. with a user pool), so it starts with
 * its payment provider's stand-in and the stack parameters that point at it; by default, only when `cdkOut`
 * is the one the global setup synthesized.
 */
export function useLocalStack(
  options: Partial<LocalStackOptions> & {
    servesThisApp?: boolean;
    providerSlowMs?: number;
    /** A variant of this app to serve, synthesized on demand (e.g. directAssembly); `cdkOut` is then not given. */
    assembly?: () => Promise<string>;
  } = {},
): LocalStackFixture {
  let core: LocalCore | undefined;
  beforeAll(
    async () => {
      process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
      const { servesThisApp, providerSlowMs, assembly, ...stackOptions } = options;
      const started = {
        cdkOut: assembly ? await assembly() : inject('cdkOut'),
        port: 0,
        tlsDir: '.local/tls',
        busRetry: { baseDelayMs: 20, maxDelayMs: 200 },
        ...stackOptions,
      };
      // The worker's DynamoDB Local, emptied, unless the file keeps data on disk or brings its own (sharedDynamoDb.ts).
      if (!started.persistDir && !started.dynamoDb) started.dynamoDb = leaseDynamoDbForStack();
      // This app's core comes with its payment provider's stand-in; another app's assembly is served as it is.
      const isThisApp = servesThisApp ?? (assembly !== undefined || started.cdkOut === inject('cdkOut'));
      core = isThisApp ? await startLocalCore(started, { slowMs: providerSlowMs ?? 25_000 }) : await startAlone(started);
      // A variant is synthesized first: tens of seconds more on a loaded machine.
    },
    options.assembly ? 240_000 : 90_000,
  );
  afterAll(async () => {
    await core?.stop();
  });
  const stack = () => core!.stack;
  const post = async (query: string, variables: Record<string, unknown> = {}, headers?: Record<string, string>) => {
    const response = await fetch(stack().graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(headers ?? { 'x-api-key': stack().apiKey }) },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, body: (await response.json()) as GraphQLResponse };
  };
  return {
    get stack() {
      return stack();
    },
    get provider() {
      return core!.provider;
    },
    post,
    graphql: async (query, variables) => (await post(query, variables)).body,
  };
}
