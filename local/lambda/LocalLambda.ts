/**
 * The template's Node.js Lambda functions, invoked by name or ARN as Lambda's Invoke API takes them
 * (https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html): `RequestResponse` waits for the
 * answer; `Event` is accepted at once (status 202, no payload) and runs in the background with Lambda's
 * asynchronous retries and destinations (asyncInvocation.ts). What AppSync data sources, EventBridge
 * targets and Step Functions tasks call.
 */
import {
  AsyncInvocationQueue,
  type AsyncInvocationOptions,
  type EndedAsyncInvocation,
  type PendingAsyncInvocation,
  type UndeliveredRecord,
} from './asyncInvocation.ts';
import { FunctionRunner, type FunctionRunnerOptions, type InvocationResult } from './functionRunner.ts';
import type { LambdaFunctionDefinition, SkippedFunction } from './functionDefinitions.ts';

export type InvocationType = 'RequestResponse' | 'Event';

/** A failure of the Invoke call itself (not of the function), named as the Lambda API names it. */
export class LambdaServiceError extends Error {
  constructor(
    readonly code: 'ResourceNotFoundException' | 'InvalidRequestContentException' | 'ServiceException',
    message: string,
  ) {
    super(message);
  }
}

export interface LambdaInvocation {
  /** A function name, a partial ARN (`123456789012:function:name`) or a full ARN, with or without `:$LATEST`. */
  functionName: string;
  payload: unknown;
  invocationType?: InvocationType;
}

/** The Invoke API's answer: `StatusCode` 200 (or 202 for `Event`), `FunctionError` "Unhandled" when the function failed. */
export interface LambdaInvokeResult extends Partial<InvocationResult> {
  statusCode: 200 | 202;
  payload: unknown;
}

/**
 * @example
 * const lambda = new LocalLambda(functions, { region: 'us-east-1', accountId: '123456789012' });
 * const { payload, functionError } = await lambda.invoke({ functionName: 'MyStack-Handler', payload: { id: 1 } });
 * await lambda.stop();
 */
export class LocalLambda {
  private readonly runners = new Map<string, FunctionRunner>();
  private readonly queue: AsyncInvocationQueue;

  constructor(
    functions: LambdaFunctionDefinition[],
    private readonly options: FunctionRunnerOptions & {
      /** Functions of the template that are not run (custom resources), for the start-up summary. */
      skipped?: SkippedFunction[];
      /**
       * Asynchronous invocations: the retry delays' scale (AWS's timing unless set), the bus EventBridge destinations
       * go to, and the directory that keeps the queue across restarts (`journalDir`; in memory unless set).
       */
      async?: Omit<AsyncInvocationOptions, 'onLog'>;
    },
  ) {
    for (const definition of functions) this.runners.set(definition.name, new FunctionRunner(definition, options));
    this.queue = new AsyncInvocationQueue((name) => this.runnerOf(name), { ...options.async, onLog: options.onLog });
  }

  /** The functions it runs, by name. */
  get functionNames(): string[] {
    return [...this.runners.keys()];
  }

  get skipped(): SkippedFunction[] {
    return this.options.skipped ?? [];
  }

  /** The function a name or ARN names; throws `ResourceNotFoundException` as Lambda does for an unknown one. */
  runnerOf(functionName: string): FunctionRunner {
    const match = /^(?:arn:aws[\w-]*:lambda:[a-z0-9-]+:)?(?:\d{12}:function:)?([A-Za-z0-9_-]+)(?::([A-Za-z0-9_$-]+))?$/.exec(functionName);
    const runner = match ? this.runners.get(match[1]!) : undefined;
    if (!runner || (match?.[2] !== undefined && match[2] !== '$LATEST')) {
      throw new LambdaServiceError(
        'ResourceNotFoundException',
        `Function not found: ${functionName} (the local runtime runs ${this.functionNames.join(', ') || 'no functions'}; versions and aliases other than $LATEST are not served)`,
      );
    }
    return runner;
  }

  /** Invoke a function: its result, or its error with `functionError`; an unknown function throws `LambdaServiceError`. */
  async invoke(invocation: LambdaInvocation): Promise<LambdaInvokeResult> {
    const runner = this.runnerOf(invocation.functionName);
    const arn = invocation.functionName.startsWith('arn:') ? invocation.functionName : runner.definition.arn;
    if (invocation.invocationType === 'Event') {
      // Accepted at once: Lambda's queue retries the function's errors and sends the outcome to its destinations.
      return { statusCode: 202, payload: null, requestId: this.queue.accept(runner, invocation.payload, arn) };
    }
    return { statusCode: 200, ...(await runner.invoke(invocation.payload, arn)) };
  }

  /** Records of asynchronous invocations that could not reach their destination or dead-letter queue (SQS, SNS, S3 do not run here). */
  undeliveredRecords(): UndeliveredRecord[] {
    return this.queue.undeliveredRecords();
  }

  /**
   * With `async.journalDir`: queue again the asynchronous invocations a previous run (or the LocalLambda a
   * reload replaced) left waiting there, once this one serves the functions; how many (asyncInvocation.ts).
   *
   * @example
   * const lambda = new LocalLambda(functions, { region, accountId, async: { journalDir: '.local/data/lambda' } });
   * lambda.resumeJournaledInvocations(); // 1: the retry a restart interrupted runs when it was due
   */
  resumeJournaledInvocations(): number {
    return this.queue.resumeJournaled();
  }

  /** Asynchronous invocations in Lambda's queue: waiting for their first attempt or a retry, or in one. */
  pendingAsyncInvocations(): PendingAsyncInvocation[] {
    return this.queue.pendingInvocations();
  }

  /** The last asynchronous invocations that ended (succeeded, or discarded after their retries or by age). */
  endedAsyncInvocations(): EndedAsyncInvocation[] {
    return this.queue.endedInvocations();
  }

  /** Resolves when every asynchronous invocation has ended: attempts, retries and destinations. */
  asyncIdle(): Promise<void> {
    return this.queue.idle();
  }

  /** End every execution environment, and drop queued asynchronous invocations (a journal keeps them to resume). */
  stop(): void {
    this.queue.close();
    for (const runner of this.runners.values()) runner.stop();
  }
}
