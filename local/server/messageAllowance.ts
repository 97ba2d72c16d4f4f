/**
 * How many messages a real-time connection may send: a burst, then a steady rate (a token bucket).
 * A flood beyond it is answered once with AppSync's throttling error and not processed, and the
 * connection is read no further until it has earned a message again, so one client's flood costs
 * the server little and holds no other client up.
 *
 * @example
 * const allowance = new MessageAllowance(200, 100);
 * if (!allowance.take()) setTimeout(resume, allowance.msUntilNext());
 */
export class MessageAllowance {
  private available: number;
  private updatedAt = performance.now();

  constructor(
    private readonly burst: number,
    private readonly perSecond: number,
  ) {
    this.available = burst;
  }

  /** Spend one message; false when none is left. */
  take(): boolean {
    this.refill();
    if (this.available < 1) return false;
    this.available -= 1;
    return true;
  }

  /** Milliseconds until one message is available again. */
  msUntilNext(): number {
    this.refill();
    return this.available >= 1 ? 0 : Math.ceil(((1 - this.available) / this.perSecond) * 1000);
  }

  private refill(): void {
    const now = performance.now();
    this.available = Math.min(this.burst, this.available + ((now - this.updatedAt) / 1000) * this.perSecond);
    this.updatedAt = now;
  }
}
