/**
 * What makes the local Scheduler's schedules durable across a restart of the local runtime: one JSON file
 * per schedule (`<dir>/<name>.json`), written when it is created, rewritten when a retry of its target is
 * timed or when it completes and stays (ActionAfterCompletion NONE), removed when it is deleted (by
 * DeleteSchedule, or by itself after running with ActionAfterCompletion DELETE). On AWS a schedule is a
 * resource of the account, "the main resource you create, configure, and manage using Amazon EventBridge
 * Scheduler" (https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule.html): nothing the
 * caller does with its own process removes it. Locally the process may stop at any time, so the schedules
 * are written down as Lambda's asynchronous queue is (local/lambda/asyncInvocationJournal.ts).
 *
 * Written to a temporary name and renamed (atomic on one file system), so a crash mid-write leaves the
 * previous version whole. A file that cannot be read back is moved to `<dir>/set-aside/` and reported,
 * never dropped.
 *
 * @example
 * const journal = new ScheduleJournal('.local/data/scheduler');
 * journal.write({ Name: 'timeout-1', ...schedule, nextAttempt: 1, dueAt: fireAt, completed: false });
 * const { schedules, setAside } = journal.read(); // after a restart
 */
import { FileJournal, type SetAsideEntry } from '../fileJournal.ts';

/** A schedule's target as CreateSchedule took it (EventBridge bus targets only, locally). */
export interface ScheduleTarget {
  Arn: string;
  RoleArn: string;
  Input?: string;
  EventBridgeParameters?: { Source: string; DetailType: string };
  RetryPolicy?: { MaximumRetryAttempts?: number; MaximumEventAgeInSeconds?: number };
}

/** A schedule as written down. Times are epoch milliseconds, except `createdAt` (ISO 8601, as the console shows it). */
export interface JournaledSchedule {
  Name: string;
  Arn: string;
  ScheduleExpression: string;
  ActionAfterCompletion: 'DELETE' | 'NONE';
  ClientToken?: string;
  Target: ScheduleTarget;
  State: 'ENABLED' | 'DISABLED';
  /** When the `at()` expression says it fires. */
  fireAt: number;
  createdAt: string;
  /** The number of the attempt to make next (1: not fired yet). */
  nextAttempt: number;
  /** When that attempt is due (`fireAt` for the first, the retry's time after). */
  dueAt: number;
  /** It ran (or gave up) and stays, as a one-time schedule with ActionAfterCompletion NONE does: kept, never fired again. */
  completed: boolean;
}

/** A file of the journal that could not be read back: where it was moved and why. */
export type SetAsideSchedule = SetAsideEntry;
export { SET_ASIDE_DIR } from '../fileJournal.ts';

export class ScheduleJournal {
  private readonly files: FileJournal<JournaledSchedule>;

  constructor(readonly dir: string) {
    this.files = new FileJournal(dir, whatIsWrong);
  }

  /** Writes (or rewrites) one schedule before CreateSchedule answers; nothing once closed. */
  write(schedule: JournaledSchedule): void {
    this.files.write(nameOf(schedule.Name), schedule);
  }

  /** The schedule is deleted: its entry goes. */
  remove(name: string): void {
    this.files.remove(nameOf(name));
  }

  close(): void {
    this.files.close();
  }

  /** Every schedule written down and not deleted, oldest first, and the files set aside (`FileJournal.read`). */
  read(): { schedules: JournaledSchedule[]; setAside: SetAsideSchedule[] } {
    const { entries, setAside } = this.files.read();
    return { schedules: entries.sort((a, b) => a.createdAt.localeCompare(b.createdAt)), setAside };
  }
}

/** Schedule names are [0-9a-zA-Z-_.]{1,64} (checked by CreateSchedule); `..` alone is kept out of the path. */
function nameOf(name: string): string {
  return name.replace(/^\.+$/, (dots) => '_'.repeat(dots.length));
}

/** Why a parsed file is no schedule, or undefined when it is one. */
function whatIsWrong(entry: unknown): string | undefined {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return 'not a JSON object';
  const fields = entry as Record<string, unknown>;
  for (const key of ['Name', 'Arn', 'ScheduleExpression', 'createdAt'] as const)
    if (typeof fields[key] !== 'string' || fields[key] === '') return `${key} is not a string`;
  for (const key of ['fireAt', 'dueAt'] as const) if (!Number.isFinite(fields[key])) return `${key} is not a time`;
  if (!Number.isInteger(fields.nextAttempt) || (fields.nextAttempt as number) < 1) return 'nextAttempt is not a whole number from 1';
  if (fields.ActionAfterCompletion !== 'DELETE' && fields.ActionAfterCompletion !== 'NONE')
    return 'ActionAfterCompletion is not DELETE or NONE';
  if (fields.State !== 'ENABLED' && fields.State !== 'DISABLED') return 'State is not ENABLED or DISABLED';
  if (typeof fields.completed !== 'boolean') return 'completed is not a boolean';
  const target = fields.Target as Record<string, unknown> | undefined;
  if (typeof target !== 'object' || target === null || typeof target.Arn !== 'string' || typeof target.RoleArn !== 'string')
    return 'Target has no Arn and RoleArn';
  return undefined;
}
