/**
 * Task tokens of `.waitForTaskToken` tasks: handed out when the task starts, redeemed once by
 * SendTaskSuccess or SendTaskFailure, kept alive by SendTaskHeartbeat. Errors as the API reference
 * names them: `InvalidToken` for a token that was never issued (or is malformed), `TaskTimedOut` for a
 * token whose task is no longer waiting (finished, timed out, or its execution stopped).
 */
import { randomBytes } from 'node:crypto';
import { StatesError } from './errors.ts';
import { StepFunctionsApiError } from './apiErrors.ts';

interface Waiting {
  resolve: (output: unknown) => void;
  reject: (error: unknown) => void;
  onHeartbeat: () => void;
}

interface Issued {
  executionArn: string;
  stateName: string;
  waiting: Waiting | undefined;
  /** Set once SendTaskSuccess/Failure arrived before the task started waiting. */
  early: { output: unknown } | { error: StatesError } | undefined;
  done: boolean;
}

const taskKey = (info: { executionArn: string; stateName: string }) => `${info.executionArn}\u0000${info.stateName}`;

export class TaskTokens {
  private readonly issued = new Map<string, Issued>();
  /** The newest token of each execution's state: what a token handed out before a restart now answers. */
  private readonly newest = new Map<string, string>();
  /** Tokens handed out before a restart to a task that was in flight: they answer that state's task now (it was sent again). */
  private readonly carried = new Map<string, string>();

  issue(info: { executionArn: string; stateName: string }): string {
    // AWS's tokens are long opaque strings; this one is opaque too, and unguessable.
    const token = `AQ${randomBytes(48).toString('base64url')}`;
    this.issued.set(token, { ...info, waiting: undefined, early: undefined, done: false });
    this.newest.set(taskKey(info), token);
    return token;
  }

  /**
   * A token handed out before the runtime restarted (read from the execution journal). One of the task
   * that was in flight (`inFlight`) answers that state's task as it runs again; any other is closed
   * (`TaskTimedOut`, as AWS answers for a task no longer waiting), not `InvalidToken`.
   */
  restore(token: string, info: { executionArn: string; stateName: string }, inFlight: boolean): void {
    if (inFlight) this.carried.set(token, taskKey(info));
    else this.issued.set(token, { ...info, waiting: undefined, early: undefined, done: true });
  }

  /** The task waits: resolves on success, rejects on failure or when `signal` aborts. */
  wait(token: string, signal: AbortSignal, onHeartbeat: () => void): Promise<unknown> {
    const entry = this.issued.get(token);
    if (!entry) return Promise.reject(new Error(`Task token ${token.slice(0, 12)}… was never issued.`));
    if (entry.early) {
      entry.done = true;
      return 'output' in entry.early ? Promise.resolve(entry.early.output) : Promise.reject(entry.early.error);
    }
    return new Promise((resolve, reject) => {
      const onAbort = () => entry.waiting?.reject(signal.reason);
      const finish = () => {
        entry.done = true;
        entry.waiting = undefined;
        // An execution waits for many tokens one after another (a saga): each answered wait lets go of the execution's signal.
        signal.removeEventListener('abort', onAbort);
      };
      entry.waiting = {
        resolve: (output) => {
          finish();
          resolve(output);
        },
        reject: (error) => {
          finish();
          reject(error);
        },
        onHeartbeat,
      };
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  private live(token: string): Issued {
    const carried = this.carried.get(token);
    if (carried !== undefined) {
      const newest = this.newest.get(carried);
      if (newest === undefined) throw new StepFunctionsApiError('TaskTimedOut', 'Task Timed Out');
      return this.live(newest);
    }
    const entry = this.issued.get(token);
    if (!entry) throw new StepFunctionsApiError('InvalidToken', 'Invalid token');
    if (entry.done || entry.early) throw new StepFunctionsApiError('TaskTimedOut', 'Task Timed Out');
    return entry;
  }

  success(token: string, output: unknown): void {
    const entry = this.live(token);
    if (entry.waiting) entry.waiting.resolve(output);
    else entry.early = { output };
  }

  failure(token: string, error: string | undefined, cause: string | undefined): void {
    const entry = this.live(token);
    const failure = new StatesError(error ?? '', cause ?? '');
    if (entry.waiting) entry.waiting.reject(failure);
    else entry.early = { error: failure };
  }

  heartbeat(token: string): void {
    this.live(token).waiting?.onHeartbeat();
  }
}
