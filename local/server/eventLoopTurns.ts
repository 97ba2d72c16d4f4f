/**
 * One task per turn of the event loop, shared fairly between the clients that wait.
 *
 * Why: work that a request fans out (its resolvers, one delivery per subscriber, a flood of handshakes)
 * arrives in the same turn, and everything queued in one turn runs back to back: 1 000 aliased resolver
 * fields started together held the loop for 350 ms, 100 renders of one publication likewise, and
 * `setImmediate` alone does not help (all immediates queued in a turn run in the next one). Here each
 * waiter resumes in a turn of its own, with the loop's I/O between two turns; and waiters are served
 * round-robin by owner (a request, a connection), so one client's thousand waiting tasks delay
 * another client's task by one turn each, not by a thousand.
 *
 * @example
 * await eventLoopTurns.next(request); // then do one bounded piece of work for `request`
 */
export class EventLoopTurns {
  /** Waiters by owner, in the order owners first asked; an owner leaves when it has none. */
  private readonly waiting = new Map<unknown, (() => void)[]>();
  private scheduled = false;

  /** Resolves in a turn of the event loop of its own, after `owner`'s earlier waiters, taking turns with other owners. */
  next(owner: unknown): Promise<void> {
    return new Promise((resolve) => {
      const queue = this.waiting.get(owner);
      if (queue) queue.push(resolve);
      else this.waiting.set(owner, [resolve]);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // An immediate scheduled from an immediate runs in the next turn, after that turn's I/O.
    setImmediate(() => {
      this.scheduled = false;
      const [owner, queue] = this.waiting.entries().next().value!;
      // Round-robin: the owner served goes to the back of the line.
      this.waiting.delete(owner);
      const resolve = queue.shift()!;
      if (queue.length > 0) this.waiting.set(owner, queue);
      resolve();
      if (this.waiting.size > 0) this.schedule();
    });
  }
}

/** The event loop is the process's: one line for the whole local server. */
export const eventLoopTurns = new EventLoopTurns();
