/**
 * A test client in a process of its own (TypeScript through tsx, IPC to the test), so that what it
 * does costs the server under test nothing but the requests it sends.
 *
 * @example
 * const child = await forkClient(path.join(import.meta.dirname, 'latencyProbe.ts'), [url, apiKey]);
 */
import { fork, type ChildProcess } from 'node:child_process';
import os from 'node:os';

/**
 * Fork `entry` and wait for its first message (it sends one when it is ready). `niceness` lowers its CPU
 * priority (0 to 19): a client that stands for another machine should not take this machine's CPU from the server.
 */
export async function forkClient(entry: string, args: string[], options: { niceness?: number } = {}): Promise<ChildProcess> {
  const child = fork(entry, args, { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  if (options.niceness) os.setPriority(child.pid!, options.niceness);
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${entry} exited (${code}) before it was ready.`)));
  });
  return child;
}
