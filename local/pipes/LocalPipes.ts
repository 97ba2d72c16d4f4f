/**
 * The template's pipes, running against DynamoDB Local and the local bus. A pipe starts only if its
 * role may read its stream (`dynamodb:DescribeStream`, `GetRecords`, `GetShardIterator`, `ListStreams`,
 * the permissions eb-pipes-dynamodb.html lists) and the stream exists; otherwise it is listed as
 * `START_FAILED` with the reason, as AWS shows a pipe's `StateReason`. What runs nowhere locally (a
 * source other than a DynamoDB stream, an enrichment, a target other than an event bus) is said at
 * start and refused per batch, the records kept as failed, never dropped in silence.
 *
 * @example
 * const pipes = new LocalPipes({ dynamoDbEndpoint, bus, region: 'us-east-1', onEvent: console.log });
 * await pipes.start(pipesFromTemplate(stack.resources, naming), stack.roles);
 * await pipes.caughtUp();
 * pipes.failedBatches(); // what each pipe's dead-letter queue would hold
 * await pipes.stop();
 */
import { DynamoDbStreamReader } from '../dynamodb/streams.ts';
import type { LocalEventBus } from '../eventbridge/index.ts';
import { isAllowedByRole } from '../iamPolicy.ts';
import type { IamRoleModel } from '../template/cloudAssembly.ts';
import { deliverToEventBus } from './eventBusTarget.ts';
import { deliverToInvocationTarget, invocationTargetRefusal, type InvocationServices } from './invocationTargets.ts';
import type { PipeDefinition } from './pipeDefinition.ts';
import { StreamPipe, type FailedPipeBatch, type PipeBatchLog, type PipeTiming } from './streamPipe.ts';

export interface LocalPipesOptions {
  dynamoDbEndpoint: string;
  bus: LocalEventBus;
  /** For Step Functions and Lambda targets; a pipe to one that is not given fails its batches `NotRunLocally`. */
  services?: InvocationServices;
  region: string;
  timing?: PipeTiming;
  onBatch?: (log: PipeBatchLog) => void;
  onEvent?: (line: string) => void;
}

export interface PipeState {
  name: string;
  arn: string;
  /** RUNNING; STOPPED (DesiredState); START_FAILED (see stateReason). */
  currentState: 'RUNNING' | 'STOPPED' | 'START_FAILED';
  stateReason?: string;
  source: string;
  target: string;
}

/** The stream permissions a pipe's role needs (eb-pipes-dynamodb.html, "Execution role permissions"). */
const STREAM_ACTIONS = ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams'];

export class LocalPipes {
  private readonly running: StreamPipe[] = [];
  private readonly readers: DynamoDbStreamReader[] = [];
  private states: PipeState[] = [];
  private readonly failed: FailedPipeBatch[] = [];
  private roles: Record<string, IamRoleModel> = {};

  constructor(private readonly options: LocalPipesOptions) {}

  /** Starts every pipe whose DesiredState is RUNNING, each acting as its role (`roles`: the template's, by ARN); the ones that cannot start are listed with why. */
  async start(definitions: PipeDefinition[], roles: Record<string, IamRoleModel>): Promise<void> {
    this.roles = roles;
    for (const definition of definitions) {
      const state: PipeState = {
        name: definition.name,
        arn: definition.arn,
        currentState: 'RUNNING',
        source: definition.source?.streamArn ?? '(not a DynamoDB stream)',
        target: definition.target.arn,
      };
      this.states.push(state);
      if (definition.desiredState === 'STOPPED') {
        state.currentState = 'STOPPED';
        continue;
      }
      const reason = await this.startPipe(definition);
      if (reason) {
        state.currentState = 'START_FAILED';
        state.stateReason = reason;
        this.options.onEvent?.(`pipe ${definition.name} not started: ${reason}`);
      }
    }
  }

  /** Stops every pipe (a batch in flight finishes its attempt) and closes their stream readers. */
  async stop(): Promise<void> {
    await Promise.all(this.running.splice(0).map((pipe) => pipe.stop()));
    for (const reader of this.readers.splice(0)) reader.close();
    this.states = [];
  }

  list(): PipeState[] {
    return this.states.map((state) => ({ ...state }));
  }

  /** Resolves once every running pipe has handled everything its stream held when this was called. */
  async caughtUp(): Promise<void> {
    await Promise.all(this.running.map((pipe) => pipe.caughtUp()));
  }

  failedBatches(): FailedPipeBatch[] {
    return [...this.failed];
  }

  clearFailedBatches(): void {
    this.failed.length = 0;
  }

  /** Why the pipe cannot start, or undefined once it runs. */
  private async startPipe(definition: PipeDefinition): Promise<string | undefined> {
    const { source } = definition;
    if (!source) return definition.unsupportedSource;
    const role = definition.roleArn ? this.roles[definition.roleArn] : undefined;
    const missing = STREAM_ACTIONS.filter((action) => !isAllowedByRole(role, action, source.streamArn));
    if (missing.length > 0) {
      return `Pipes does not have required permissions to perform DynamoDB stream operations (${missing.join(', ')}) on ${source.streamArn} as role ${definition.roleArn ?? '(none)'}.`;
    }
    const { target } = definition;
    const services = this.options.services ?? {};
    const targetRefusal =
      target.kind === 'stateMachine' || target.kind === 'lambda' ? invocationTargetRefusal(services, target) : undefined;
    if (targetRefusal) return targetRefusal;
    let reader: DynamoDbStreamReader;
    try {
      reader = await DynamoDbStreamReader.forTable(this.options.dynamoDbEndpoint, source.tableName, source.startingPosition);
    } catch (error) {
      return `Stream not found: ${(error as Error).message}`;
    }
    this.readers.push(reader);
    const refusal = definition.enrichmentArn
      ? { code: 'NotRunLocally', message: `the pipe's enrichment ${definition.enrichmentArn} does not run locally` }
      : target.kind === 'unsupported'
        ? { code: 'NotRunLocally', message: target.why }
        : undefined;
    if (refusal) this.options.onEvent?.(`pipe ${definition.name}: ${refusal.message}; every batch is kept as failed`);
    const pipe = new StreamPipe(definition, {
      reader,
      region: this.options.region,
      timing: this.options.timing,
      onBatch: this.options.onBatch,
      onFailed: (batch) => this.failed.push(batch),
      onReadError: (error, retryInMs) =>
        this.options.onEvent?.(`pipe ${definition.name}: reading its stream failed (${error.message}); reading again in ${retryInMs} ms`),
      ...(refusal ? { refusal } : {}),
      deliver: (events) => {
        const options = {
          role,
          roleArn: definition.roleArn,
          inputTemplate: definition.inputTemplate,
          template: { pipeName: definition.name, pipeArn: definition.arn, sourceArn: source.streamArn, targetArn: target.arn },
        };
        if (target.kind === 'eventBus') return deliverToEventBus(this.options.bus, target, events, options);
        if (target.kind === 'unsupported')
          return { failed: events.map((_event, index) => index), error: { code: 'NotRunLocally', message: target.why } };
        return deliverToInvocationTarget(services, target, events, options);
      },
    });
    pipe.start();
    this.running.push(pipe);
    return undefined;
  }
}

/** One line of the dev server's log for a batch. */
export function formatPipeBatchLog(log: Omit<PipeBatchLog, 'events'>): string {
  const what = `${log.records} record(s) → ${log.targetArn} (attempt ${log.attempt}, ${Math.round(log.durationMs)} ms)`;
  if (log.outcome === 'delivered') return `pipe ${log.pipeName} delivered ${what}`;
  const error = log.error ? `${log.error.code}: ${log.error.message}` : 'error';
  if (log.outcome === 'retrying') return `pipe ${log.pipeName} retrying ${what} - ${error}; next attempt in ${log.nextAttemptInMs ?? 0} ms`;
  return `pipe ${log.pipeName} FAILED ${what} - ${error}; kept as failed`;
}
