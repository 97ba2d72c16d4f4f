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
  decideForAppend: { dataSource: 'none', perAggregate: true },
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
   * A command of an aggregate delivered `direct` (infra/Aggregate.ts): the command's first steps,
   * then the store's own append steps in the same request, so the mutation answers SAVED or
   * REJECTED itself. No timeout (nothing is in flight once the mutation answers), no publish (the
   * table's stream and the outbox pipe publish what was stored), no fold after the append (the
   * answer carries no state). Ten functions with one read step: AppSync's most per pipeline.
   */
  direct: [
    'loadStreamTail',
    'loadStreamFromStart',
    COMMAND_READS,
    'decideForAppend',
    'appendEvent',
    'readAnswers',
    'recordAnswer',
    'readAnswers',
    'answerTaskAtCommand',
    'answerTaskAtStore',
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

/** How an aggregate's commands reach its store: through the bus and save<X>Event (answer PENDING), or appended by the command itself (answer SAVED/REJECTED). */
export type Delivery = 'bus' | 'direct';

/** The command pipeline of each delivery. */
export const COMMAND_PIPELINES = { bus: 'command', direct: 'direct' } as const satisfies Record<Delivery, keyof typeof PIPELINES>;

/** AppSync runs at most 10 functions in one pipeline resolver (AWS: "AWS AppSync endpoints and quotas"). */
export const MAX_PIPELINE_FUNCTIONS = 10;

/** The generic resolvers every aggregate gets (`functions/eventStore/fields/<file>.ts`), each with its pipeline. */
export const AGGREGATE_FIELDS = {
  saveMutation: { file: 'saveEvent', pipeline: 'store' },
  /** A unit resolver on NONE: the outbox's stored event as a SAVED message to on<X>Saved (direct delivery's rule calls it). */
  publishSavedMutation: { file: 'publishSaved', pipeline: null },
  getQuery: { file: 'getState', pipeline: 'state' },
  historyQuery: { file: 'getHistory', pipeline: 'history' },
  /** A unit resolver on NONE: it only sets the subscription's filter. */
  savedSubscription: { file: 'onSaved', pipeline: null },
} satisfies Record<string, { file: string; pipeline: keyof typeof PIPELINES | null }>;
