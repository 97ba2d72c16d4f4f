/**
 * Every limit the local AppSync server enforces, with where its value comes from.
 *
 * AppSync's quotas are taken as AWS states them: the AppSync quota table
 * (https://docs.aws.amazon.com/general/latest/gr/appsync.html, the same figures as the Service Quotas
 * catalogue for `appsync`) and the per-API limits of the template (`QueryDepthLimit`, `ResolverCountLimit`:
 * https://docs.aws.amazon.com/appsync/latest/devguide/configuration-limits.html). Where AWS documents no
 * limit, the value is chosen here so that no real client reaches it while one hostile request cannot hold
 * the server; each such value says "chosen".
 *
 * @example
 * const limits = serverLimits({ executionTimeoutMs: 500 }); // everything else as AppSync, or as chosen
 */

export interface ServerLimits {
  /** AppSync quota "Request execution time for mutations, queries, and subscriptions": 30 seconds. */
  executionTimeoutMs: number;
  /** AppSync quota "Subscriptions per connection": 100. */
  subscriptionsPerConnection: number;
  /** AppSync quota "Subscription payload size": 240 kilobytes; a larger publication reaches no subscriber. */
  subscriptionPayloadBytes: number;
  /** Chosen: AWS documents no request size in its quota table; 5 MB, as the local server had. */
  requestBytes: number;
  /** Chosen: AWS documents no whole-response size (only 5 MB per evaluated resolver template). */
  responseBytes: number;
  /**
   * Chosen: GraphQL tokens in one document. AWS documents none; graphql-java's parser (whose wording AppSync's
   * validation errors carry) stops at 15 000 by default, but AppSync runs operations of 10 001 aliased resolver fields
   * up to its resolver limit (this project tests it: 100 010 tokens), so the local bound is above that.
   */
  documentTokens: number;
  /** Chosen: JSON values (objects, arrays, scalars) in one request's variables. */
  variableValues: number;
  /**
   * Chosen: pairwise comparisons graphql-js 15's overlap rule may make on a document without exact repeats
   * (overlapComparisons.ts): a real document needs hundreds; a million take it about half a second.
   */
  overlapComparisons: number;
  /** Chosen: time a new document may take to parse and validate (off the event loop) before it is refused; a backstop, generous for a busy machine. */
  validationBudgetMs: number;
  /** Chosen: largest real-time message from a client (a larger frame closes the connection with 1009). */
  realtimeMessageBytes: number;
  /**
   * Chosen: real-time messages a connection may send at once, and how many more it earns per second. AppSync throttles
   * a client that subscribes too fast (LimitExceededError) at a rate it does not document; a load run of 160 commands a
   * second over one connection sends a few hundred.
   */
  realtimeMessageBurst: number;
  realtimeMessagesPerSecond: number;
  /** Chosen: bytes a real-time connection may leave unread before the server closes it (a client that never reads). */
  realtimeUnreadBytes: number;
  /** AppSync: "Lambda authorizers have a timeout of 10 seconds" (security-authz.html, AWS_LAMBDA authorization); later, the token is refused. */
  lambdaAuthorizerTimeoutMs: number;
}

const KB = 1024;
const MB = 1024 * KB;

/** The limits `npm start` serves with. */
export const DEFAULT_SERVER_LIMITS: Readonly<ServerLimits> = Object.freeze({
  executionTimeoutMs: 30_000,
  subscriptionsPerConnection: 100,
  subscriptionPayloadBytes: 240 * KB,
  requestBytes: 5 * MB,
  responseBytes: 5 * MB,
  documentTokens: 150_000,
  variableValues: 10_000,
  overlapComparisons: 1_000_000,
  validationBudgetMs: 10_000,
  realtimeMessageBytes: 256 * KB,
  realtimeMessageBurst: 1_000,
  realtimeMessagesPerSecond: 1_000,
  realtimeUnreadBytes: 8 * MB,
  lambdaAuthorizerTimeoutMs: 10_000,
});

/** The default limits with some replaced (tests shrink them to reach them quickly). */
export function serverLimits(overrides: Partial<ServerLimits> = {}): ServerLimits {
  return { ...DEFAULT_SERVER_LIMITS, ...overrides };
}
