import type { CurrentEvaluation } from './evaluation.ts';
import { toHostData } from '../sandbox/hostData.ts';

/**
 * The `extensions` module of APPSYNC_JS: what a handler asks AppSync to do besides returning a
 * value. The engine records each request in the evaluation state; the server acts on them
 * (subscription filters, cache eviction).
 *
 * @example
 * const extensions = createExtensionsModule(() => state);
 * extensions.setSubscriptionFilter(util.transform.toSubscriptionFilter({ id: { eq: '1' } }));
 * state.subscriptionFilter; // the filter, as plain data
 */
export function createExtensionsModule(current: CurrentEvaluation) {
  return {
    setSubscriptionFilter(filter: unknown): void {
      current().subscriptionFilter = toHostData(filter);
    },
    setSubscriptionInvalidationFilter(filter: unknown): void {
      current().subscriptionInvalidationFilter = toHostData(filter);
    },
    invalidateSubscriptions(invalidation: unknown): void {
      current().invalidateSubscriptions.push(toHostData(invalidation));
    },
    evictFromApiCache(typeName: unknown, fieldName: unknown, keyValuePair: unknown): void {
      current().evictFromApiCache.push({ typeName, fieldName, keyValuePair: toHostData(keyValuePair) });
    },
  };
}
