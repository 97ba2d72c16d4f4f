/**
 * The event store's pipelines, declared once: which steps run, in which
 * order, on which data source. infra builds the AppSync resolvers from this,
 * the tests check the template against it, and the README's diagram follows
 * it. Each step's inputs and outputs are in stash.ts.
 */

/** Where a step's request goes: the event-store table, the bus, the Scheduler API, the Step Functions API (task tokens), or nowhere (NONE). */
export type StepDataSource = 'table' | 'bus' | 'scheduler' | 'states' | 'none';

export interface StepDeclaration {
  dataSource: StepDataSource;
  /** Bundled once per aggregate, with its decider (the `@aggregate` alias); otherwise one AppSync function serves every aggregate. */
  perAggregate: boolean;
}

/** Every generic step: `functions/eventStore/<name>.ts`. */
export const STEPS = {
  loadStreamTail: { dataSource: 'table', perAggregate: false },
  loadStreamFromStart: { dataSource: 'table', perAggregate: false },
  decideCommand: { dataSource: 'none', perAggregate: true },
  scheduleTimeout: { dataSource: 'scheduler', perAggregate: false },
  publishEvents: { dataSource: 'bus', perAggregate: false },
  appendEvent: { dataSource: 'table', perAggregate: false },
  readAnswers: { dataSource: 'table', perAggregate: false },
  recordAnswer: { dataSource: 'table', perAggregate: false },
  cancelTimeout: { dataSource: 'scheduler', perAggregate: false },
  answerTaskAtCommand: { dataSource: 'states', perAggregate: false },
  answerTaskAtStore: { dataSource: 'states', perAggregate: false },
} satisfies Record<string, StepDeclaration>;

export type StepName = keyof typeof STEPS;

/** Stands, in the command pipeline, for the aggregate's own read steps of that command (e.g. checkRoomNights). */
export const COMMAND_READS = 'commandReads';

export const PIPELINES = {
  /**
   * A command (resolver: validate, stashCommand): load the stream (the tail from the newest
   * snapshot, or from the start when that has none), the command's own reads, decide, schedule
   * the timeout before publishing (so no published event lacks one), publish; when a Step Functions
   * execution waits for the command (a task token), answer it what the command side knows (a
   * refusal, or a command already stored).
   */
  command: [
    'loadStreamTail',
    'loadStreamFromStart',
    COMMAND_READS,
    'decideCommand',
    'scheduleTimeout',
    'publishEvents',
    'answerTaskAtCommand',
  ],
  /**
   * save<Aggregate>Event (the bus rule): append; when the slot or a claim was taken, read what
   * holds it and the command's recorded answer; write down a first REJECTED/TIMED_OUT (and read
   * again if that lost a race); fold the stream for a SAVED answer; delete the timeout schedule;
   * answer the task token of a Step Functions execution waiting for the outcome, if the event carries one.
   */
  store: [
    'appendEvent',
    'readAnswers',
    'recordAnswer',
    'readAnswers',
    'loadStreamTail',
    'loadStreamFromStart',
    'cancelTimeout',
    'answerTaskAtStore',
  ],
  /** get<Aggregate>(id): the newest snapshot and the events after it, or the whole stream. */
  state: ['loadStreamTail', 'loadStreamFromStart'],
  /** get<Aggregate>History(id): every event from the start. */
  history: ['loadStreamFromStart'],
} satisfies Record<string, (StepName | typeof COMMAND_READS)[]>;

/** The generic resolvers every aggregate gets (`functions/eventStore/fields/<file>.ts`), each with its pipeline. */
export const AGGREGATE_FIELDS = {
  saveMutation: { file: 'saveEvent', pipeline: 'store' },
  getQuery: { file: 'getState', pipeline: 'state' },
  historyQuery: { file: 'getHistory', pipeline: 'history' },
  /** A unit resolver on NONE: it only sets the subscription's filter. */
  savedSubscription: { file: 'onSaved', pipeline: null },
} satisfies Record<string, { file: string; pipeline: keyof typeof PIPELINES | null }>;
