/**
 * Sends new documents and large request bodies to the document-check worker, one job at a time, each
 * within a time budget: a job still running when its budget ends is refused, and the worker is
 * replaced. So however a request is built, the event loop never parses or validates it, and the
 * worker is never held longer than the budget by one request.
 *
 * @example
 * const checker = new DocumentChecker({ schema: model.schema, defaultAuthentication: 'API_KEY', limits: { documentTokens: 150_000, overlapComparisons: 1_000_000, variableValues: 10_000 } }, 10_000);
 * const check = await checker.checkDocument('{ __typename }'); // { ok: true, repeats: [] }
 * await checker.close();
 */
import { Worker } from 'node:worker_threads';
import type { DocumentCheck } from './documentCheck.ts';
import type { RequestBodyRead } from './requestBody.ts';

/** What the worker is started with. */
export interface CheckSetup {
  /** The schema as the template defines it (AppSync's scalars and directives are added by the simulator's builder). */
  schema: string;
  /** The API's default authentication mode (the simulator's auth directives need it to build the schema). */
  defaultAuthentication: string;
  limits: { documentTokens: number; overlapComparisons: number; variableValues: number };
}

export type CheckJob = { kind: 'document'; query: string } | { kind: 'body'; raw: string | Uint8Array };

interface PendingJob {
  id: number;
  job: CheckJob;
  resolve: (result: DocumentCheck | RequestBodyRead) => void;
  reject: (error: Error) => void;
}

export class DocumentChecker {
  private worker: { thread: Worker; ready: boolean } | undefined;
  private readonly queue: PendingJob[] = [];
  private running: { pending: PendingJob; timer: NodeJS.Timeout } | undefined;
  /** Concurrent checks of the same text share one job (a flood of one new document costs one validation). */
  private readonly documentsInCheck = new Map<string, Promise<DocumentCheck>>();
  private nextId = 0;
  private closed = false;

  constructor(
    private readonly setup: CheckSetup,
    private readonly budgetMs: number,
  ) {
    // Started at once: loading the schema builder takes a moment, better spent before the first request.
    this.worker = this.spawn();
  }

  /** Tokens, syntax and validation of `query`; a refusal when it takes longer than the budget. */
  checkDocument(query: string): Promise<DocumentCheck> {
    let check = this.documentsInCheck.get(query);
    if (!check) {
      check = this.run({ kind: 'document', query }) as Promise<DocumentCheck>;
      this.documentsInCheck.set(query, check);
      void check.finally(() => this.documentsInCheck.delete(query)).catch(() => undefined);
    }
    return check;
  }

  /** JSON.parse of a request body (its bytes are moved to the worker, not copied), with its variables counted. */
  readBody(raw: string | Uint8Array): Promise<RequestBodyRead> {
    return this.run({ kind: 'body', raw }) as Promise<RequestBodyRead>;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const pending of this.queue.splice(0)) pending.reject(new Error('The local server is stopping.'));
    if (this.running) {
      clearTimeout(this.running.timer);
      this.running.pending.reject(new Error('The local server is stopping.'));
      this.running = undefined;
    }
    const worker = this.worker;
    this.worker = undefined;
    await worker?.thread.terminate();
  }

  private run(job: CheckJob): Promise<DocumentCheck | RequestBodyRead> {
    if (this.closed) return Promise.reject(new Error('The local server is stopping.'));
    return new Promise((resolve, reject) => {
      this.queue.push({ id: (this.nextId += 1), job, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    if (this.running || this.closed) return;
    if (this.queue.length === 0) return;
    this.worker ??= this.spawn();
    if (!this.worker.ready) return;
    const pending = this.queue.shift()!;
    const timer = setTimeout(() => this.overBudget(), this.budgetMs);
    this.running = { pending, timer };
    this.worker.thread.postMessage({ id: pending.id, job: pending.job }, transferable(pending.job));
  }

  private finish(id: number, settle: (pending: PendingJob) => void): void {
    if (!this.running || this.running.pending.id !== id) return;
    clearTimeout(this.running.timer);
    const { pending } = this.running;
    this.running = undefined;
    settle(pending);
    this.dispatch();
  }

  /** The running job took its whole budget: stop the worker mid-job (the only way to stop synchronous work) and refuse it. */
  private overBudget(): void {
    const running = this.running;
    if (!running) return;
    const worker = this.worker;
    this.worker = undefined;
    void worker?.thread.terminate();
    this.finish(running.pending.id, (pending) => {
      if (pending.job.kind === 'document') pending.resolve(tooSlowToValidate(this.budgetMs));
      else pending.reject(new Error(`Reading a request body took more than ${this.budgetMs} ms.`));
    });
  }

  private spawn(): { thread: Worker; ready: boolean } {
    const thread = new Worker(new URL('./documentCheckWorker.mjs', import.meta.url), { workerData: this.setup });
    const worker = { thread, ready: false };
    // Never keeps the process alive by itself: a server that stops, or a test that ends, ends it.
    thread.unref();
    thread.on('message', (message: { ready: true } | { id: number; result: DocumentCheck | RequestBodyRead }) => {
      if ('ready' in message) {
        worker.ready = true;
        this.dispatch();
      } else {
        this.finish(message.id, (pending) => pending.resolve(message.result));
      }
    });
    const failed = (error: Error) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      if (this.running) this.finish(this.running.pending.id, (pending) => pending.reject(error));
      // A worker that cannot start fails every job waiting for it, rather than being started again and again.
      else for (const pending of this.queue.splice(0)) pending.reject(error);
    };
    thread.on('error', failed);
    thread.on('exit', (code) => failed(new Error(`The document-check worker stopped (exit code ${code}).`)));
    return worker;
  }
}

/** A body's bytes move to the worker when they are all of their buffer (a received body is); otherwise they are copied. */
function transferable(job: CheckJob): ArrayBuffer[] {
  if (job.kind !== 'body' || typeof job.raw === 'string') return [];
  const { buffer, byteOffset, byteLength } = job.raw;
  return buffer instanceof ArrayBuffer && byteOffset === 0 && byteLength === buffer.byteLength ? [buffer] : [];
}

function tooSlowToValidate(budgetMs: number): DocumentCheck {
  return {
    ok: false,
    errors: [
      {
        message: `Validation error: the document took more than ${budgetMs} ms to validate, longer than the local server allows one request. Split the operation.`,
        errorType: 'ValidationError',
        path: null,
      },
    ],
  };
}
