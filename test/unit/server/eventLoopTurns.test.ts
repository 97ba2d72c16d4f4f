/**
 * The event loop's turns: one waiter per turn, I/O between two, owners served round-robin; and the message
 * allowance of a real-time connection (a burst, then a rate).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { EventLoopTurns } from '../../../local/server/eventLoopTurns.ts';
import { MessageAllowance } from '../../../local/server/messageAllowance.ts';

describe('event-loop turns', () => {
  it('serves owners round-robin: a thousand waiters of one owner delay another owner’s by one turn', async () => {
    const turns = new EventLoopTurns();
    const order: string[] = [];
    const flood = Array.from({ length: 1_000 }, (_, index) => turns.next('flood').then(() => order.push(`flood ${index}`)));
    await sleep(0);
    const servedBefore = order.length;
    const other = turns.next('other').then(() => order.push('other'));
    await Promise.all([...flood, other]);
    expect(servedBefore).toBeLessThan(1_000);
    expect(order.indexOf('other') - servedBefore).toBeLessThanOrEqual(1);
    expect(order.filter((entry) => entry.startsWith('flood'))).toEqual(Array.from({ length: 1_000 }, (_, index) => `flood ${index}`));
  });

  it('resumes one waiter per turn: other work queued meanwhile runs between two', async () => {
    const turns = new EventLoopTurns();
    const order: string[] = [];
    const waiting = [turns.next('a').then(() => order.push('first')), turns.next('a').then(() => order.push('second'))];
    // Queued after the first waiter's turn, before the second's.
    setImmediate(() => order.push('other work'));
    await Promise.all(waiting);
    expect(order).toEqual(['first', 'other work', 'second']);
  });
});

describe('message allowance', () => {
  it('allows a burst, then refuses until the rate has earned another message', async () => {
    const allowance = new MessageAllowance(3, 100);
    expect([allowance.take(), allowance.take(), allowance.take(), allowance.take()]).toEqual([true, true, true, false]);
    expect(allowance.msUntilNext()).toBeGreaterThan(0);
    expect(allowance.msUntilNext()).toBeLessThanOrEqual(10);
    await sleep(allowance.msUntilNext() + 5);
    expect(allowance.take()).toBe(true);
  });
});
