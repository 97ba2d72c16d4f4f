import { describe, expect, it } from 'vitest';
import { PendingWork } from '../../local/pendingWork.ts';

const settled = async (promise: Promise<void>): Promise<boolean> => {
  let done = false;
  void promise.then(() => (done = true));
  await new Promise((resolve) => setImmediate(resolve));
  return done;
};

describe('PendingWork (what the bus and the Lambda queue answer idle() with)', () => {
  it('is idle at once when nothing is under way', async () => {
    expect(await settled(new PendingWork().idle())).toBe(true);
  });

  it('lets idle() go only when the last piece of work ends', async () => {
    const work = new PendingWork();
    work.begin();
    work.begin();
    const idle = work.idle();
    work.end();
    expect(await settled(idle)).toBe(false);
    work.end();
    expect(await settled(idle)).toBe(true);
  });

  it('lets every waiter go at close(), and answers idle() at once afterwards', async () => {
    const work = new PendingWork();
    work.begin();
    const waiting = work.idle();
    work.close();
    expect(await settled(waiting)).toBe(true);
    work.begin();
    expect(await settled(work.idle())).toBe(true);
  });
});
