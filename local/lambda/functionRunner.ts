/**
 * Runs one Lambda function's invocations in child processes (handlerHostProcess.mjs), each child one
 * execution environment: kept warm between invocations, one invocation at a time, a new one started
 * when all are busy (up to `maxEnvironments`, then invocations wait). A crash, an error no handler
 * caught or a timeout ends its child only, never the server; the next invocation starts a fresh one.
 * Errors are answered as Lambda's Invoke API reports them (FunctionError "Unhandled", the payload
 * `{ errorType, errorMessage }`), with the runtime's own types for its failures:
 * `Sandbox.Timedout` ("Task timed out after 3.00 seconds"), `Runtime.ExitError`.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { LambdaFunctionDefinition } from './functionDefinitions.ts';

/** A function error as the Invoke API's payload carries it. */
export interface FunctionError {
  errorType: string;
  errorMessage: string;
  trace?: string[];
}

export interface InvocationResult {
  requestId: string;
  /** The handler's answer (null for none); the error payload when `functionError` is set. */
  payload: unknown;
  functionError?: FunctionError;
}

export interface FunctionRunnerOptions {
  region: string;
  accountId: string;
  /** One line per console line of the function, and START/END/REPORT lines, for the dev log. */
  onLog?: (line: string) => void;
  /** Variables every function gets besides its own (the local endpoints AWS SDK clients should call). */
  extraEnvironment?: Record<string, string>;
  /** Execution environments run at once; further invocations wait. Default 4. */
  maxEnvironments?: number;
}

const HOST = fileURLToPath(new URL('./handlerHostProcess.mjs', import.meta.url));
/** Lambda's init phase limit (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html). */
const INIT_LIMIT_MS = 10_000;

type Message = { ready: true } | { requestId: string; payload?: unknown; error?: FunctionError; fatal?: boolean };

/** One child process: one execution environment of the function. */
class ExecutionEnvironment {
  private answer: ((message: { payload?: unknown; error?: FunctionError }) => void) | undefined;
  readonly ready: Promise<void>;
  exited = false;

  constructor(
    private readonly child: ChildProcess,
    log: (line: string) => void,
  ) {
    for (const stream of [child.stdout, child.stderr]) {
      if (stream) createInterface({ input: stream }).on('line', log);
    }
    this.ready = new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`init did not finish within ${INIT_LIMIT_MS / 1000} s`)), INIT_LIMIT_MS);
      child.on('message', (message: Message) => {
        if ('ready' in message) {
          clearTimeout(timer);
          resolve();
        } else this.answer?.(message);
      });
      child.on('exit', (code, signal) => {
        clearTimeout(timer);
        this.exited = true;
        const status = signal ? `signal: ${signal === 'SIGKILL' ? 'killed' : signal}` : `exit status ${code ?? 0}`;
        reject(new Error(`Runtime exited with error: ${status}`));
        this.answer?.({ error: { errorType: 'Runtime.ExitError', errorMessage: `Error: Runtime exited with error: ${status}` } });
      });
    });
    this.ready.catch(() => undefined);
  }

  /** Runs one invocation; answers with the handler's payload or error (the first answer wins). */
  run(invocation: { requestId: string; event: unknown; deadline: number; invokedFunctionArn: string }) {
    return new Promise<{ payload?: unknown; error?: FunctionError }>((resolve) => {
      this.answer = (message) => {
        this.answer = undefined;
        resolve(message);
      };
      this.child.send(invocation);
    });
  }

  /** Killed or exited: never handed another invocation (the exit event comes later than the kill). */
  get gone(): boolean {
    return this.exited || this.killed;
  }

  private killed = false;

  kill(): void {
    this.killed = true;
    if (!this.exited) this.child.kill('SIGKILL');
  }
}

/**
 * The warm pool of one function.
 *
 * @example
 * const runner = new FunctionRunner(definition, { region: 'us-east-1', accountId: '123456789012', onLog: console.log });
 * const { payload, functionError } = await runner.invoke({ hello: 'world' });
 * await runner.stop();
 */
export class FunctionRunner {
  private readonly idle: ExecutionEnvironment[] = [];
  private readonly all = new Set<ExecutionEnvironment>();
  private readonly waiting: (() => void)[] = [];
  private stopped = false;

  constructor(
    readonly definition: LambdaFunctionDefinition,
    private readonly options: FunctionRunnerOptions,
  ) {}

  /**
   * Invoke the function once and wait for its answer; the function's own errors are answers, not throws.
   * `requestId` is given by retries of an asynchronous invocation, which keep their first one as on AWS.
   */
  async invoke(event: unknown, invokedFunctionArn = this.definition.arn, requestId: string = randomUUID()): Promise<InvocationResult> {
    if (this.stopped) throw new Error(`Lambda function ${this.definition.name} is stopped.`);
    const environment = await this.acquire();
    const log = (line: string) => this.options.onLog?.(`lambda ${this.definition.name}: ${line}`);
    const timeoutMs = this.definition.timeoutSeconds * 1000;
    const started = performance.now();
    log(`START RequestId: ${requestId} Version: $LATEST`);
    let timer: NodeJS.Timeout | undefined;
    try {
      await environment.ready;
      const timedOut = new Promise<{ payload?: unknown; error?: FunctionError }>((resolve) => {
        timer = setTimeout(() => {
          const seconds = this.definition.timeoutSeconds.toFixed(2);
          log(`${new Date().toISOString()} ${requestId} Task timed out after ${seconds} seconds`);
          environment.kill();
          resolve({
            error: {
              errorType: 'Sandbox.Timedout',
              errorMessage: `RequestId: ${requestId} Error: Task timed out after ${seconds} seconds`,
            },
          });
        }, timeoutMs);
      });
      const answer = await Promise.race([
        environment.run({ requestId, event, deadline: Date.now() + timeoutMs, invokedFunctionArn }),
        timedOut,
      ]);
      if (answer.error?.errorType === 'Runtime.ExitError')
        answer.error.errorMessage = `RequestId: ${requestId} ${answer.error.errorMessage}`;
      return answer.error
        ? { requestId, payload: answer.error, functionError: answer.error }
        : { requestId, payload: answer.payload ?? null };
    } catch (error) {
      environment.kill();
      const functionError = { errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${requestId} Error: ${(error as Error).message}` };
      return { requestId, payload: functionError, functionError };
    } finally {
      clearTimeout(timer);
      log(`END RequestId: ${requestId}`);
      log(
        `REPORT RequestId: ${requestId}\tDuration: ${(performance.now() - started).toFixed(2)} ms\tMemory Size: ${this.definition.memoryMB} MB`,
      );
      this.release(environment);
    }
  }

  /** Ends every execution environment of the function. */
  stop(): void {
    this.stopped = true;
    for (const environment of this.all) environment.kill();
    this.all.clear();
    this.idle.length = 0;
  }

  private async acquire(): Promise<ExecutionEnvironment> {
    for (;;) {
      const warm = this.idle.pop();
      if (warm && !warm.gone) return warm;
      if (warm) continue;
      if (this.all.size < (this.options.maxEnvironments ?? 4)) return this.start();
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  private release(environment: ExecutionEnvironment): void {
    if (environment.gone || this.stopped) this.all.delete(environment);
    else this.idle.push(environment);
    this.waiting.shift()?.();
  }

  private start(): ExecutionEnvironment {
    const { definition, options } = this;
    const child = fork(HOST, [], {
      cwd: definition.codeDirectory,
      env: this.environmentVariables(),
      // The function's memory as the heap limit; none of this process's loaders or flags.
      execArgv: [`--max-old-space-size=${definition.memoryMB}`],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const environment = new ExecutionEnvironment(child, (line) => options.onLog?.(`lambda ${definition.name}: ${line}`));
    child.on('exit', () => this.all.delete(environment));
    this.all.add(environment);
    return environment;
  }

  /** Lambda's defined runtime variables (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html), then the function's own. */
  private environmentVariables(): Record<string, string> {
    const { definition, options } = this;
    const logGroupName = `/aws/lambda/${definition.name}`;
    const reserved = {
      _HANDLER: definition.handler,
      AWS_REGION: options.region,
      AWS_DEFAULT_REGION: options.region,
      AWS_EXECUTION_ENV: `AWS_Lambda_${definition.runtime}`,
      AWS_LAMBDA_FUNCTION_NAME: definition.name,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(definition.memoryMB),
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_LOG_GROUP_NAME: logGroupName,
      AWS_LAMBDA_LOG_STREAM_NAME: `${new Date().toISOString().slice(0, 10).replaceAll('-', '/')}/[$LATEST]${randomUUID().replaceAll('-', '')}`,
      LAMBDA_TASK_ROOT: definition.codeDirectory,
      TZ: ':UTC',
    };
    return {
      PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
      ...options.extraEnvironment,
      ...definition.environment,
      ...reserved,
    };
  }
}
