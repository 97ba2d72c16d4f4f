/**
 * What this app's local run passes to the stack: the payment provider's parameters and GraphiQL's
 * subscription. Apart from localCore.ts so `npm start` reads them without loading the runtime first.
 */

/** The subscription GraphiQL opens on for this app: a reservation's outcomes (`npm start` passes it too). */
export const GRAPHIQL_SUBSCRIPTION = 'onReservationSaved';

/** The key the stand-in provider accepts; any value works locally, it only has to match. */
export const LOCAL_PROVIDER_KEY = 'sk_local_standin';

/** The stack parameters that point the payment aggregate at a provider. */
export function providerParameters(provider: { url: string }): Record<string, string> {
  return { PaymentProviderUrl: provider.url, PaymentProviderApiKey: LOCAL_PROVIDER_KEY };
}
