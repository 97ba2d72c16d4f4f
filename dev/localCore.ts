/**
 * This app's core on the local runtime, with what it needs beside it: the
 * payment provider's stand-in, its URL and key passed to the stack's
 * parameters. `npm start`, the tests, the benchmarks and the examples start
 * the core through here; `stop()` stops both.
 *
 * @example
 * const core = await startLocalCore({ cdkOut: 'cdk.out', port: 0 });
 * console.log(core.stack.graphqlUrl, core.provider.url);
 * await core.stop();
 */
import { LocalStack, type LocalStackOptions } from '../local/index.ts';
import { readCloudAssembly, type CloudAssemblyModel } from '../local/index.ts';
import { PaymentProviderStandIn, type PaymentProviderOptions } from './paymentProvider.ts';
import { GRAPHIQL_SUBSCRIPTION, LOCAL_PROVIDER_KEY, providerParameters } from './coreParameters.ts';

export { GRAPHIQL_SUBSCRIPTION, LOCAL_PROVIDER_KEY, providerParameters };

export interface LocalCore {
  stack: LocalStack;
  provider: PaymentProviderStandIn;
  stop(): Promise<void>;
}

export async function startLocalCore(
  options: LocalStackOptions,
  provider: Omit<PaymentProviderOptions, 'apiKey'> = {},
): Promise<LocalCore> {
  const standIn = await PaymentProviderStandIn.start({ ...provider, apiKey: LOCAL_PROVIDER_KEY });
  try {
    const stack = await LocalStack.start({
      graphiqlSubscription: GRAPHIQL_SUBSCRIPTION,
      ...options,
      parameters: { ...providerParameters(standIn), ...options.parameters },
    });
    return {
      stack,
      provider: standIn,
      async stop() {
        await stack.stop();
        await standIn.stop();
      },
    };
  } catch (error) {
    await standIn.stop();
    throw error;
  }
}

/**
 * This app's cloud assembly as the local runtime reads it, for code that serves its resolvers without
 * a whole stack (the resolver suites, a bench). Payments are then sent to `provider`: by default the
 * discard port, where they fail as an unreachable provider would.
 *
 * @example
 * const api = readCoreAssembly('cdk.out').apis[0];
 */
export function readCoreAssembly(cdkOut: string, provider: { url: string } = { url: 'http://127.0.0.1:9' }): CloudAssemblyModel {
  return readCloudAssembly(cdkOut, { parameters: providerParameters(provider) });
}
