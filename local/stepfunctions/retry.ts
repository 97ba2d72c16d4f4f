/**
 * Retriers ("Retrying after an error", https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html):
 * the first retrier whose ErrorEquals matches decides; each retrier counts its own attempts across the
 * state's visit. Delay = IntervalSeconds × BackoffRate^(retries so far), capped by MaxDelaySeconds;
 * JitterStrategy FULL draws it uniformly between 0 and that delay.
 */
import type { Retrier } from './definition.ts';
import { errorMatches } from './errors.ts';

export class RetryState {
  private readonly attempts = new Map<number, number>();

  constructor(
    private readonly retriers: readonly Retrier[],
    private readonly random: () => number = Math.random,
  ) {}

  /** The delay before the next attempt in ms, or undefined when the error is not to be retried (again). */
  nextDelayMs(error: string): number | undefined {
    const index = this.retriers.findIndex((retrier) => errorMatches(retrier.ErrorEquals, error));
    if (index < 0) return undefined;
    const retrier = this.retriers[index]!;
    const done = this.attempts.get(index) ?? 0;
    if (done >= (retrier.MaxAttempts ?? 3)) return undefined;
    this.attempts.set(index, done + 1);
    let seconds = (retrier.IntervalSeconds ?? 1) * (retrier.BackoffRate ?? 2) ** done;
    if (retrier.MaxDelaySeconds !== undefined) seconds = Math.min(seconds, retrier.MaxDelaySeconds);
    if (retrier.JitterStrategy === 'FULL') seconds *= this.random();
    return Math.round(seconds * 1000);
  }

  /** Retries made so far over all retriers: `$$.State.RetryCount`. */
  get count(): number {
    let total = 0;
    for (const value of this.attempts.values()) total += value;
    return total;
  }
}
