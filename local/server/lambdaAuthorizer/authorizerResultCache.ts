/**
 * The authorizer's answers kept per token, as AppSync caches them: for the API's
 * `AuthorizerResultTtlInSeconds`, or the answer's own `ttlOverride`; 0 keeps nothing
 * (LambdaAuthorizerConfig, https://docs.aws.amazon.com/appsync/latest/APIReference/API_LambdaAuthorizerConfig.html).
 * Bounded in size: the oldest entry goes first (AWS documents no size; chosen so that a client sending endless
 * new tokens cannot grow the server without end).
 */

/** Chosen: distinct tokens kept at once. */
const MAX_ENTRIES = 10_000;

/**
 * @example
 * const cache = new AuthorizerResultCache<Decision>();
 * cache.put('token', decision, 300);
 * cache.get('token'); // decision, for 300 s
 */
export class AuthorizerResultCache<T> {
  private readonly entries = new Map<string, { value: T; expiresAt: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  get(token: string): T | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(token);
      return undefined;
    }
    return entry.value;
  }

  /** Keep `value` for `ttlSeconds`; 0 (or less) keeps nothing and forgets an earlier answer. */
  put(token: string, value: T, ttlSeconds: number): void {
    this.entries.delete(token);
    if (!(ttlSeconds > 0)) return;
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(token, { value, expiresAt: this.now() + ttlSeconds * 1000 });
  }

  get size(): number {
    return this.entries.size;
  }
}
