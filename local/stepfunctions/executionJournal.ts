/**
 * What makes local Standard executions durable across a restart of the runtime: one append-only
 * JSON-lines file per state machine (`<dir>/<machine name>.jsonl`), written at each transition.
 * AWS Step Functions never loses an execution: a Standard execution runs until it ends, whatever
 * happens to the caller (https://docs.aws.amazon.com/step-functions/latest/dg/choosing-workflow-type.html:
 * "exactly-once workflow execution", durable up to a year). Locally the process may stop at any time, so
 * each execution's start, every history event, a checkpoint at each top-level state it enters (the
 * state's input and the workflow variables), each task token it hands out and its end are written
 * down; `read` gives back, per execution, what is needed to list it, show its history and resume it.
 *
 * @example
 * const journal = new ExecutionJournal('.local/data/stepfunctions');
 * journal.write('saga', { kind: 'started', executionArn, stateMachineArn, name, input: '{}', startDate: Date.now() });
 * const executions = ExecutionJournal.read('.local/data/stepfunctions');
 */
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { STATES_ERRORS } from './errors.ts';
import type { Execution, StateMachine } from './executionRecords.ts';
import type { ExecutionHistory, HistoryEvent } from './history.ts';
import type { ExecutionOutcome } from './executionModel.ts';

export type JournalRecord =
  | { kind: 'started'; executionArn: string; stateMachineArn: string; name: string; input: string; startDate: number }
  | { kind: 'event'; executionArn: string; event: HistoryEvent }
  | { kind: 'entered'; executionArn: string; state: string; input: unknown; variables: Record<string, unknown> }
  | { kind: 'token'; executionArn: string; state: string; token: string }
  | ({ kind: 'ended'; executionArn: string; stopDate: number } & ExecutionOutcome);

/** One execution as its journal tells it. */
export interface JournaledExecution {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  input: string;
  startDate: Date;
  events: HistoryEvent[];
  /** The last top-level state it entered, with its input and the variables then: where it resumes. */
  checkpoint: { state: string; input: unknown; variables: Record<string, unknown> } | undefined;
  /** Tokens handed out since that checkpoint (the task in flight), and all the ones before it. */
  liveTokens: { state: string; token: string }[];
  pastTokens: string[];
  ended: ({ stopDate: Date } & ExecutionOutcome) | undefined;
}

export class ExecutionJournal {
  private open = true;

  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  /** Appends one record to the machine's file; nothing once closed (a stopping runtime records no aborts). */
  write(machineName: string, record: JournalRecord): void {
    if (!this.open) return;
    // Synchronous on purpose: a transition is written before the execution moves on, so a crash loses at most the one in flight.
    appendFileSync(path.join(this.dir, `${machineName}.jsonl`), `${JSON.stringify(record)}\n`);
  }

  close(): void {
    this.open = false;
  }

  /** Every execution written under `dir`, in the order they started. A torn last line (a crash mid-write) is skipped. */
  static read(dir: string): JournaledExecution[] {
    if (!existsSync(dir)) return [];
    const executions = new Map<string, JournaledExecution>();
    for (const file of readdirSync(dir).filter((name) => name.endsWith('.jsonl'))) {
      for (const line of readFileSync(path.join(dir, file), 'utf8').split('\n')) {
        if (line.trim() === '') continue;
        let record: JournalRecord;
        try {
          record = JSON.parse(line) as JournalRecord;
        } catch {
          continue;
        }
        apply(executions, record);
      }
    }
    return [...executions.values()].sort((a, b) => a.startDate.getTime() - b.startDate.getTime());
  }
}

function apply(executions: Map<string, JournaledExecution>, record: JournalRecord): void {
  if (record.kind === 'started') {
    executions.set(record.executionArn, {
      executionArn: record.executionArn,
      stateMachineArn: record.stateMachineArn,
      name: record.name,
      input: record.input,
      startDate: new Date(record.startDate),
      events: [],
      checkpoint: undefined,
      liveTokens: [],
      pastTokens: [],
      ended: undefined,
    });
    return;
  }
  const execution = executions.get(record.executionArn);
  if (!execution) return;
  switch (record.kind) {
    case 'event':
      execution.events.push({ ...record.event, timestamp: new Date(record.event.timestamp) });
      return;
    case 'entered':
      execution.checkpoint = { state: record.state, input: record.input, variables: record.variables };
      execution.pastTokens.push(...execution.liveTokens.map((live) => live.token));
      execution.liveTokens = [];
      return;
    case 'token':
      execution.liveTokens.push({ state: record.state, token: record.token });
      return;
    case 'ended': {
      const { kind: _kind, executionArn: _arn, stopDate, ...outcome } = record;
      execution.ended = { ...outcome, stopDate: new Date(stopDate) };
      return;
    }
  }
}

/** The outcome of an execution found running in the journal that cannot resume: its machine or its state is gone. */
export function notResumable(
  journaled: JournaledExecution,
  machine: StateMachine | undefined,
  stopDate: Date,
): { stopDate: Date } & ExecutionOutcome {
  const why = machine
    ? `its state ${journaled.checkpoint?.state ?? '(none entered yet)'} is not in the state machine's definition any more`
    : `its state machine ${journaled.stateMachineArn} is not in the template any more`;
  return {
    status: 'FAILED',
    error: STATES_ERRORS.Runtime,
    cause: `The local runtime restarted and could not resume this execution: ${why}.`,
    stopDate,
  };
}

/** The record of an execution that ended before the restart (or could not resume), as the API lists and describes it. */
export function endedExecution(
  started: { executionArn: string; stateMachineArn: string; name: string; inputText: string; startDate: Date },
  history: ExecutionHistory,
  ended: { stopDate: Date } & ExecutionOutcome,
): Execution {
  const { stopDate, ...outcome } = ended;
  return {
    executionArn: started.executionArn,
    stateMachineArn: started.stateMachineArn,
    name: started.name,
    inputText: started.inputText,
    startDate: started.startDate,
    status: outcome.status,
    stopDate,
    output: outcome.output,
    error: outcome.error,
    cause: outcome.cause,
    history,
    done: Promise.resolve(outcome),
    stop: () => undefined,
  };
}
