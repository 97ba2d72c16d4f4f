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

export class TaskTokens {
  private readonly issued = new Map<string, Issued>();

  issue(info: { executionArn: string; stateName: string }): string {
    // AWS's tokens are long opaque strings; this one is opaque too, and unguessable.
    const token = `AQ${randomBytes(48).toString('base64url')}`;
    this.issued.set(token, { ...info, waiting: undefined, early: undefined, done: false });
    return token;
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
