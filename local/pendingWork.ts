/**
 * Counts the work a local service still has under way (a bus delivery and its retries, an
 * asynchronous Lambda invocation and its retries) and lets a caller wait until none is left: what
 * their `idle()` answers, so tests and benchmarks wait for the work itself rather than a fixed time.
 *
 * @example
 * const work = new PendingWork();
 * work.begin(); setTimeout(() => work.end(), 10);
 * await work.idle(); // after the 10 ms
 */
export class PendingWork {
  private count = 0;
  private closed = false;
  private readonly waiters: (() => void)[] = [];

  /** One more piece of work under way. */
  begin(): void {
    this.count += 1;
  }

  /** One piece done: wakes the waiters when it was the last. */
  end(): void {
    this.count -= 1;
    if (this.count === 0) this.wake();
  }

  /** Resolves once nothing is under way (at once if nothing is, or after close()). */
  idle(): Promise<void> {
    if (this.count === 0 || this.closed) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** The service stopped: its work is dropped, and every waiter, present or future, is let go. */
  close(): void {
    this.closed = true;
    this.count = 0;
    this.wake();
  }

  private wake(): void {
    for (const resolve of this.waiters.splice(0)) resolve();
  }
}
