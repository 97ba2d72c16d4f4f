/**
 * The console's views as JSON, each read from the runtime's own records at the moment it is asked:
 * the event streams (DynamoDB Local), the bus's recent and failed deliveries with Lambda's asynchronous
 * invocations (waiting in its queue, recently ended, and records that could not reach their destination:
 * SQS, SNS, S3 do not run here), the scheduler's schedules,
 * the state machines' executions (with a graph of one), the pipes and their recent batches.
 */
import type { LocalEventBus } from '../eventbridge/index.ts';
import type { LocalLambda } from '../lambda/index.ts';
import type { LocalPipes } from '../pipes/index.ts';
import type { LocalScheduler } from '../scheduler/LocalScheduler.ts';
import type { LocalStepFunctions } from '../stepfunctions/index.ts';
import type { EventStreams } from './eventStreams.ts';
import { executionGraph, type GraphHistoryEvent } from './executionGraph.ts';
import type { RecentRecords } from './recentRecords.ts';

/** What the console reads. `pipes` is a getter: the stack replaces its pipes on a reload. */
export interface ConsoleSources {
  streams: EventStreams;
  recent: RecentRecords;
  bus: Pick<LocalEventBus, 'failedDeliveries'>;
  scheduler: Pick<LocalScheduler, 'records'>;
  stepFunctions: LocalStepFunctions;
  pipes: () => Pick<LocalPipes, 'list' | 'failedBatches'>;
  /**
   * The functions served now (a getter: a reload replaces them), for their asynchronous invocations: those in
   * Lambda's queue (waiting for an attempt or a retry), those recently ended, and records that could not be delivered.
   */
  lambda?: () => Pick<LocalLambda, 'undeliveredRecords' | 'pendingAsyncInvocations' | 'endedAsyncInvocations'>;
}

/** The executions listed, newest first. */
export const EXECUTIONS_LISTED = 200;

export interface ExecutionSummary {
  executionArn: string;
  stateMachineName: string;
  name: string;
  status: string;
  startDate: string;
  stopDate: string | undefined;
  input: string;
  error: string | undefined;
  cause: string | undefined;
}

export class ConsoleViews {
  constructor(private readonly sources: ConsoleSources) {}

  streams() {
    return this.sources.streams.list().then((tables) => ({ tables }));
  }

  async stream(tableName: string, streamId: string) {
    const read = await this.sources.streams.read(tableName, streamId);
    return read && { tableName, streamId, ...read.keys, events: read.events };
  }

  deliveries() {
    return {
      deliveries: this.sources.recent.deliveries(),
      failed: [...this.sources.bus.failedDeliveries()].reverse(),
      // Only where Lambda functions are served: a console without them answers what it always did.
      ...(this.sources.lambda ? this.lambdaInvocations(this.sources.lambda()) : {}),
    };
  }

  /** Lambda's asynchronous queue: events waiting (next due first), the last that ended and undelivered records (newest first). */
  private lambdaInvocations(lambda: ReturnType<NonNullable<ConsoleSources['lambda']>>) {
    return {
      lambdaPending: lambda.pendingAsyncInvocations(),
      lambdaEnded: [...lambda.endedAsyncInvocations()].reverse(),
      lambdaRecords: [...lambda.undeliveredRecords()].reverse(),
    };
  }

  schedules() {
    return { schedules: this.sources.scheduler.records() };
  }

  executions(): { executions: ExecutionSummary[] } {
    const { stepFunctions } = this.sources;
    const all = stepFunctions
      .listStateMachines()
      .stateMachines.flatMap((machine) =>
        stepFunctions
          .listExecutions({ stateMachineArn: machine.stateMachineArn, maxResults: EXECUTIONS_LISTED })
          .executions.map((listed) => this.summary(String(listed.executionArn), machine.name)),
      );
    all.sort((a, b) => b.startDate.localeCompare(a.startDate));
    return { executions: all.slice(0, EXECUTIONS_LISTED) };
  }

  /** One execution: its description, its history and its graph; undefined when no execution has that ARN. */
  execution(executionArn: string) {
    const { stepFunctions } = this.sources;
    const machine = stepFunctions
      .listStateMachines()
      .stateMachines.find((candidate) => executionArn.startsWith(`${candidate.stateMachineArn.replace(':stateMachine:', ':execution:')}:`));
    if (!machine) return undefined;
    let summary: ExecutionSummary;
    try {
      summary = this.summary(executionArn, machine.name);
    } catch {
      return undefined; // ExecutionDoesNotExist: the page asked for one of an earlier run
    }
    const described = stepFunctions.describeStateMachine({ stateMachineArn: machine.stateMachineArn });
    const definition = JSON.parse(String(described.definition)) as Parameters<typeof executionGraph>[0];
    const history = stepFunctions.historyOf(executionArn) as GraphHistoryEvent[];
    return { execution: summary, history, graph: executionGraph(definition, history, summary.status) };
  }

  private summary(executionArn: string, stateMachineName: string): ExecutionSummary {
    const described = this.sources.stepFunctions.describeExecution({ executionArn });
    return {
      executionArn,
      stateMachineName,
      name: String(described.name),
      status: String(described.status),
      startDate: isoOf(described.startDate)!,
      stopDate: isoOf(described.stopDate),
      input: String(described.input ?? ''),
      error: described.error as string | undefined,
      cause: described.cause as string | undefined,
    };
  }

  pipes() {
    const pipes = this.sources.pipes();
    return { pipes: pipes.list(), batches: this.sources.recent.pipeBatches(), failed: [...pipes.failedBatches()].reverse() };
  }
}

/** Step Functions' API dates are epoch seconds (fractional); the console shows ISO 8601. */
function isoOf(seconds: unknown): string | undefined {
  return typeof seconds === 'number' ? new Date(seconds * 1000).toISOString() : undefined;
}
