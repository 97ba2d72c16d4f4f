/**
 * Time for the interpreter: Wait states, retry intervals, timeouts and heartbeats all sleep on a
 * `Clock`, so tests can drive them without waiting. The runtime uses `realClock`.
 *
 * @example
 * const clock = new ManualClock({ autoAdvance: true }); // a 1-hour Wait state passes at once, timestamps move 1 hour
 * const machine = new StateMachineRunner(definition, { clock });
 */

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms`; rejects with the signal's reason when it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

function aborted(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('aborted');
}

/** setTimeout's limit (about 24.8 days); longer sleeps (a Task's default 99999999 s timeout) are chained. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Real time: `Date.now()` and `setTimeout`. */
export const realClock: Clock = {
  now: () => Date.now(),
  sleep(ms, signal) {
    if (ms > MAX_TIMER_MS) return realClock.sleep(MAX_TIMER_MS, signal).then(() => realClock.sleep(ms - MAX_TIMER_MS, signal));
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(aborted(signal));
      const timer = setTimeout(
        () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        Math.max(0, ms),
      );
      const onAbort = () => {
        clearTimeout(timer);
        reject(aborted(signal!));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  },
};

interface PendingSleep {
  dueAt: number;
  order: number;
  resolve: () => void;
}

/**
 * A clock that moves only when told: `advance(ms)` fires every sleep due by then, in time order.
 * With `autoAdvance`, whenever sleeps are pending and nothing else runs, it jumps to the next one,
 * so executions run at once while their timestamps show the waits.
 */
export class ManualClock implements Clock {
  private current: number;
  private readonly pending: PendingSleep[] = [];
  private counter = 0;
  private autoScheduled = false;

  constructor(options: { start?: number | Date; autoAdvance?: boolean } = {}) {
    this.current = options.start === undefined ? Date.parse('2026-01-01T00:00:00.000Z') : new Date(options.start).getTime();
    this.autoAdvance = options.autoAdvance ?? false;
  }

  private readonly autoAdvance: boolean;

  now(): number {
    return this.current;
  }

  /** How many sleeps are waiting. */
  get pendingCount(): number {
    return this.pending.length;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(aborted(signal));
      const entry: PendingSleep = { dueAt: this.current + Math.max(0, ms), order: (this.counter += 1), resolve: () => resolve() };
      this.pending.push(entry);
      signal?.addEventListener(
        'abort',
        () => {
          const index = this.pending.indexOf(entry);
          if (index >= 0) this.pending.splice(index, 1);
          reject(aborted(signal));
        },
        { once: true },
      );
      this.scheduleAuto();
    });
  }

  /** Move time forward by `ms`, firing due sleeps in order and letting each woken task run before the next. */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    for (;;) {
      const next = this.earliest();
      if (!next || next.dueAt > target) break;
      this.fire(next);
      await settle();
    }
    this.current = Math.max(this.current, target);
  }

  private earliest(): PendingSleep | undefined {
    return this.pending.reduce<PendingSleep | undefined>(
      (best, entry) => (!best || entry.dueAt < best.dueAt || (entry.dueAt === best.dueAt && entry.order < best.order) ? entry : best),
      undefined,
    );
  }

  private fire(entry: PendingSleep): void {
    this.pending.splice(this.pending.indexOf(entry), 1);
    this.current = Math.max(this.current, entry.dueAt);
    entry.resolve();
  }

  private scheduleAuto(): void {
    if (!this.autoAdvance || this.autoScheduled) return;
    this.autoScheduled = true;
    // setImmediate runs after pending promise work, so a sleep that is about to be cancelled is not fired first.
    setImmediate(() => {
      this.autoScheduled = false;
      const next = this.earliest();
      if (!next) return;
      this.fire(next);
      if (this.pending.length > 0) this.scheduleAuto();
    });
  }
}

function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
