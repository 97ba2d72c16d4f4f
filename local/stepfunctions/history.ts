/**
 * Execution history as GetExecutionHistory returns it: events numbered from 1, each with its type
 * (AWS's names: ExecutionStarted, TaskStateEntered, TaskScheduled, MapIterationStarted …), its timestamp,
 * the id of the event before it in the same branch (`previousEventId`) and one details object named after
 * the type (`stateEnteredEventDetails`, `taskFailedEventDetails` …), as the API reference's HistoryEvent lists them.
 */

export interface HistoryEvent {
  timestamp: Date;
  type: string;
  id: number;
  previousEventId: number;
  [details: string]: unknown;
}

/** Where a branch of the execution is: the id of its last event. Parallel branches and Map iterations each have one. */
export interface HistoryCursor {
  last: number;
}

const DETAILS_KEY: Record<string, string> = {
  ExecutionStarted: 'executionStartedEventDetails',
  ExecutionSucceeded: 'executionSucceededEventDetails',
  ExecutionFailed: 'executionFailedEventDetails',
  ExecutionTimedOut: 'executionTimedOutEventDetails',
  ExecutionAborted: 'executionAbortedEventDetails',
  TaskScheduled: 'taskScheduledEventDetails',
  TaskStarted: 'taskStartedEventDetails',
  TaskSubmitted: 'taskSubmittedEventDetails',
  TaskSucceeded: 'taskSucceededEventDetails',
  TaskFailed: 'taskFailedEventDetails',
  TaskTimedOut: 'taskTimedOutEventDetails',
  MapStateStarted: 'mapStateStartedEventDetails',
  MapIterationStarted: 'mapIterationStartedEventDetails',
  MapIterationSucceeded: 'mapIterationSucceededEventDetails',
  MapIterationFailed: 'mapIterationFailedEventDetails',
  MapIterationAborted: 'mapIterationAbortedEventDetails',
  EvaluationFailed: 'evaluationFailedEventDetails',
};

function detailsKeyOf(type: string): string | undefined {
  if (type.endsWith('StateEntered')) return 'stateEnteredEventDetails';
  if (type.endsWith('StateExited')) return 'stateExitedEventDetails';
  return DETAILS_KEY[type];
}

export class ExecutionHistory {
  readonly events: HistoryEvent[] = [];
  /** Told of each event as it is recorded (the execution journal writes it down). */
  onAdd: ((event: HistoryEvent) => void) | undefined;

  constructor(private readonly now: () => number) {}

  /** Records an event after the cursor's last one and moves the cursor to it; returns its id. */
  add(cursor: HistoryCursor, type: string, details?: Record<string, unknown>): number {
    const id = this.events.length + 1;
    const event: HistoryEvent = { timestamp: new Date(this.now()), type, id, previousEventId: cursor.last };
    const key = detailsKeyOf(type);
    if (details && key) event[key] = details;
    this.events.push(event);
    cursor.last = id;
    this.onAdd?.(event);
    return id;
  }
}

/** JSON text of a payload, as history events and API responses carry it. */
export function payloadText(value: unknown): string {
  return JSON.stringify(value ?? null);
}
