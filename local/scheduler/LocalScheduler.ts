/**
 * EventBridge Scheduler, locally: the REST API AppSync's signed HTTP data
 * source calls (CreateSchedule, GetSchedule, DeleteSchedule, ListSchedules)
 * and one-time `at(...)` schedules that fire on time, put their target's
 * input on the local bus as the target's role, retry per RetryPolicy, and
 * delete themselves after running when ActionAfterCompletion is DELETE.
 *
 * Local limits: one-time `at()` schedules only (rate/cron refused with a
 * ValidationException), UTC only, EventBridge bus targets only.
 *
 * @example
 * const scheduler = new LocalScheduler({ bus, roles, accountId, region });
 * scheduler.handle({ method: 'POST', resourcePath: '/schedules/x', params: { body: JSON.stringify(schedule) } });
 */
import type { LocalEventBus } from '../eventbridge/index.ts';
import { ScheduleJournal, type JournaledSchedule, type ScheduleTarget } from './scheduleJournal.ts';
import { isAllowedByRole } from '../iamPolicy.ts';
import type { IamRoleModel } from '../template/cloudAssembly.ts';

export interface AppSyncHttpRequest {
  method?: string;
  resourcePath?: string;
  params?: { query?: Record<string, unknown>; headers?: Record<string, string>; body?: unknown };
}

/** What AppSync puts in `ctx.result` for an HTTP data source. */
export interface AppSyncHttpResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

interface Schedule {
  Name: string;
  Arn: string;
  ScheduleExpression: string;
  ActionAfterCompletion: 'DELETE' | 'NONE';
  ClientToken: string | undefined;
  Target: ScheduleTarget;
  fireAt: number;
  createdAt: string;
  timer: NodeJS.Timeout | undefined;
  State: 'ENABLED' | 'DISABLED';
  /** Ran (or gave up) and stays, with ActionAfterCompletion NONE. */
  completed: boolean;
}

/** A schedule as the local console shows it: pending, or ended (deleted, fired, given up) and kept in a short record. */
export interface ScheduleRecord {
  Name: string;
  Arn: string;
  State: string;
  ScheduleExpression: string;
  /** When it fires (UTC, ISO 8601). */
  fireAt: string;
  createdAt: string;
  Target: { Arn: string; DetailType: string | undefined; Input: string | undefined };
  /** How it ended; absent while pending. */
  ended?: { how: 'deleted' | 'fired' | 'gave up'; at: string; attempts?: number; error?: string };
}

/** Ended schedules kept for the console, newest last. */
const ENDED_KEPT = 300;

export interface LocalSchedulerOptions {
  bus: LocalEventBus;
  roles: Record<string, IamRoleModel>;
  accountId: string;
  region: string;
  /** First retry delay; doubles per retry. Default 200 ms (AWS waits longer). */
  retryBaseDelayMs?: number;
  /**
   * Keep the schedules on disk here (the local stack's `<persistDir>/scheduler`): a scheduler started
   * again on it re-arms the pending ones (`resumeJournaled`). Default in memory.
   */
  journalDir?: string;
  onEvent?: (line: string) => void;
}

const NAME = /^[0-9a-zA-Z\-_.]{1,64}$/;
const AT_EXPRESSION = /^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$/;

class SchedulerError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class LocalScheduler {
  private readonly schedules = new Map<string, Schedule>();
  private readonly ended: ScheduleRecord[] = [];
  private closed = false;
  private readonly journal: ScheduleJournal | undefined;

  constructor(private readonly options: LocalSchedulerOptions) {
    this.journal = options.journalDir ? new ScheduleJournal(options.journalDir) : undefined;
  }

  /** Answer one Scheduler REST call, as AppSync's HTTP data source receives it. */
  handle(request: AppSyncHttpRequest): AppSyncHttpResult {
    try {
      const path = (request.resourcePath ?? '').replace(/\/+$/, '');
      const method = (request.method ?? 'GET').toUpperCase();
      if (path === '/schedules' && method === 'GET') return ok({ Schedules: this.list() });
      const match = /^\/schedules\/([^/]+)$/.exec(path);
      if (!match) throw new SchedulerError(404, 'ResourceNotFoundException', `No Scheduler operation at ${method} ${path}.`);
      const name = decodeURIComponent(match[1]!);
      if (method === 'POST') return ok({ ScheduleArn: this.create(name, parseBody(request.params?.body)) });
      if (method === 'GET') return ok(this.describe(name));
      if (method === 'DELETE') {
        this.delete(name);
        return ok({});
      }
      throw new SchedulerError(400, 'ValidationException', `${method} is not a Scheduler operation on /schedules/{Name}.`);
    } catch (error) {
      if (!(error instanceof SchedulerError)) throw error;
      return {
        statusCode: error.statusCode,
        headers: { 'content-type': 'application/json', 'x-amzn-errortype': error.code },
        body: JSON.stringify({ Message: error.message }),
      };
    }
  }

  list(): { Name: string; Arn: string; State: string; ScheduleExpression: string }[] {
    return [...this.schedules.values()].map(({ Name, Arn, State, ScheduleExpression }) => ({ Name, Arn, State, ScheduleExpression }));
  }

  /** Pending schedules, then the last ones that ended (newest first), with their targets, for the local console. */
  records(): ScheduleRecord[] {
    return [...[...this.schedules.values()].map((schedule) => recordOf(schedule)), ...[...this.ended].reverse()];
  }

  private end(schedule: Schedule, ended: NonNullable<ScheduleRecord['ended']>): void {
    this.ended.push(recordOf(schedule, ended));
    if (this.ended.length > ENDED_KEPT) this.ended.shift();
  }

  /** Cancel every pending schedule and retry (with a journal, they stay written down for the next start). */
  close(): void {
    this.closed = true;
    this.journal?.close();
    for (const schedule of this.schedules.values()) clearTimeout(schedule.timer);
    this.schedules.clear();
  }

  private create(name: string, body: Record<string, unknown>): string {
    if (!NAME.test(name)) throw new SchedulerError(400, 'ValidationException', `Schedule name ${name} must be 1 to 64 of [0-9a-zA-Z-_.].`);
    const arn = `arn:aws:scheduler:${this.options.region}:${this.options.accountId}:schedule/default/${name}`;
    const existing = this.schedules.get(name);
    const clientToken = typeof body.ClientToken === 'string' ? body.ClientToken : undefined;
    if (existing) {
      if (clientToken !== undefined && existing.ClientToken === clientToken) return existing.Arn;
      throw new SchedulerError(409, 'ConflictException', `Schedule ${name} already exists.`);
    }
    const expression = String(body.ScheduleExpression ?? '');
    const at = AT_EXPRESSION.exec(expression);
    if (!at)
      throw new SchedulerError(
        400,
        'ValidationException',
        `Only one-time schedules, at(yyyy-mm-ddThh:mm:ss), run locally; got "${expression}".`,
      );
    const zone = body.ScheduleExpressionTimezone ?? 'UTC';
    if (zone !== 'UTC')
      throw new SchedulerError(400, 'ValidationException', `The local scheduler runs UTC schedules only; got ${String(zone)}.`);
    if ((body.FlexibleTimeWindow as { Mode?: string } | undefined)?.Mode === undefined)
      throw new SchedulerError(400, 'ValidationException', 'FlexibleTimeWindow is required.');
    const target = body.Target as ScheduleTarget | undefined;
    if (!target?.Arn || !target.RoleArn)
      throw new SchedulerError(400, 'ValidationException', 'Target.Arn and Target.RoleArn are required.');
    if (!target.Arn.includes(':event-bus/'))
      throw new SchedulerError(400, 'ValidationException', `The local scheduler targets EventBridge buses only; got ${target.Arn}.`);
    if (!target.EventBridgeParameters?.Source || !target.EventBridgeParameters.DetailType) {
      throw new SchedulerError(400, 'ValidationException', 'An EventBridge target needs EventBridgeParameters.Source and DetailType.');
    }
    const fireAt = Date.parse(`${at[1]}Z`);
    const schedule: Schedule = {
      Name: name,
      Arn: arn,
      ScheduleExpression: expression,
      ActionAfterCompletion: body.ActionAfterCompletion === 'DELETE' ? 'DELETE' : 'NONE',
      ClientToken: clientToken,
      Target: target,
      fireAt,
      createdAt: new Date().toISOString(),
      timer: undefined,
      State: body.State === 'DISABLED' ? 'DISABLED' : 'ENABLED',
      completed: false,
    };
    // On disk before CreateSchedule answers: a schedule the caller was told exists survives a stop.
    this.persist(schedule, 1, fireAt);
    // A deadline already past fires at once.
    if (schedule.State === 'ENABLED') this.arm(schedule, 1, fireAt);
    this.schedules.set(name, schedule);
    return arn;
  }

  /**
   * After a restart on the same `journalDir`: every schedule written there and not deleted is back (GetSchedule,
   * ListSchedules, DeleteSchedule see it), and each enabled one not yet completed is armed again for its next
   * attempt: at its time if that is still ahead, at once if it passed while the runtime was down (on AWS the
   * service never stops, so the schedule would have fired; firing late is the nearest a stopped runtime can
   * come), a retry with the attempt count and the age it had (MaximumEventAgeInSeconds counts from the
   * schedule's time, the time down included). An entry that cannot be read is moved to `set-aside/` and
   * reported, never dropped. Returns how many were armed again.
   *
   * @example
   * const scheduler = new LocalScheduler({ bus, roles, accountId, region, journalDir: '.local/data/scheduler' });
   * scheduler.resumeJournaled(); // 1
   */
  resumeJournaled(): number {
    if (!this.journal || this.closed) return 0;
    const { schedules, setAside } = this.journal.read();
    for (const { file, reason } of setAside)
      this.options.onEvent?.(`scheduler: a journaled schedule cannot be read (${reason}); moved to ${file}, not re-armed`);
    let armed = 0;
    for (const journaled of schedules) {
      if (this.schedules.has(journaled.Name)) continue;
      const { nextAttempt, dueAt, ClientToken, ...kept } = journaled;
      const schedule: Schedule = { ...kept, ClientToken, timer: undefined };
      this.schedules.set(schedule.Name, schedule);
      if (schedule.State !== 'ENABLED' || schedule.completed) continue;
      armed += 1;
      const inMs = Math.max(0, dueAt - Date.now());
      this.options.onEvent?.(
        `scheduler ${schedule.Name} re-armed after a restart: attempt ${nextAttempt} ${inMs === 0 ? 'now (its time passed while stopped)' : `in ${inMs} ms`}`,
      );
      this.arm(schedule, nextAttempt, dueAt);
    }
    return armed;
  }

  /** Times the schedule's attempt `attempt` for `dueAt` (at once if past). */
  private arm(schedule: Schedule, attempt: number, dueAt: number): void {
    clearTimeout(schedule.timer);
    schedule.timer = setTimeout(
      () => {
        schedule.timer = undefined;
        this.fire(schedule, attempt);
      },
      Math.max(0, dueAt - Date.now()),
    );
    schedule.timer.unref();
  }

  /** Writes the schedule down (with a journal) as it now stands: its next attempt and when, or completed. */
  private persist(schedule: Schedule, nextAttempt: number, dueAt: number): void {
    if (!this.journal) return;
    const { timer: _timer, ClientToken, ...kept } = schedule;
    const entry: JournaledSchedule = { ...kept, ...(ClientToken === undefined ? {} : { ClientToken }), nextAttempt, dueAt };
    this.journal.write(entry);
  }

  /** The attempt ended the run (fired, or gave up): deleted after completion, or kept as completed. */
  private complete(schedule: Schedule, ended: NonNullable<ScheduleRecord['ended']>): void {
    if (schedule.ActionAfterCompletion === 'DELETE') {
      this.schedules.delete(schedule.Name);
      this.journal?.remove(schedule.Name);
      this.end(schedule, ended);
      return;
    }
    schedule.completed = true;
    this.persist(schedule, ended.attempts ?? 1, Date.now());
  }

  private describe(name: string): Record<string, unknown> {
    const schedule = this.schedules.get(name);
    if (!schedule) throw new SchedulerError(404, 'ResourceNotFoundException', `Schedule ${name} does not exist.`);
    const { Name, Arn, ScheduleExpression, ActionAfterCompletion, Target, State } = schedule;
    return { Name, Arn, ScheduleExpression, ScheduleExpressionTimezone: 'UTC', ActionAfterCompletion, Target, State, GroupName: 'default' };
  }

  private delete(name: string): void {
    const schedule = this.schedules.get(name);
    if (!schedule) throw new SchedulerError(404, 'ResourceNotFoundException', `Schedule ${name} does not exist.`);
    clearTimeout(schedule.timer);
    this.schedules.delete(name);
    this.journal?.remove(name);
    this.end(schedule, { how: 'deleted', at: new Date().toISOString() });
  }

  private fire(schedule: Schedule, attempt: number): void {
    if (this.closed) return;
    const { Target } = schedule;
    const outcome = this.putOnBus(Target);
    const maxAttempts = 1 + (Target.RetryPolicy?.MaximumRetryAttempts ?? 185);
    const tooOld = Date.now() - schedule.fireAt > (Target.RetryPolicy?.MaximumEventAgeInSeconds ?? 86_400) * 1000;
    if (outcome === undefined) {
      this.options.onEvent?.(`scheduler ${schedule.Name} fired → ${Target.EventBridgeParameters!.DetailType} (attempt ${attempt})`);
      this.complete(schedule, { how: 'fired', at: new Date().toISOString(), attempts: attempt });
      return;
    }
    if (attempt >= maxAttempts || tooOld) {
      this.options.onEvent?.(`scheduler ${schedule.Name} gave up after ${attempt} attempt(s): ${outcome}`);
      this.complete(schedule, { how: 'gave up', at: new Date().toISOString(), attempts: attempt, error: outcome });
      return;
    }
    const delay = (this.options.retryBaseDelayMs ?? 200) * 2 ** (attempt - 1);
    this.options.onEvent?.(`scheduler ${schedule.Name} attempt ${attempt} failed (${outcome}); retrying in ${delay} ms`);
    // Written down with its attempt count, so a restart goes on with the retries rather than starting over.
    this.persist(schedule, attempt + 1, Date.now() + delay);
    this.arm(schedule, attempt + 1, Date.now() + delay);
  }

  /** Put the target's input on its bus as its role; undefined when it went through, else why not. */
  private putOnBus(target: ScheduleTarget): string | undefined {
    const role = this.options.roles[target.RoleArn];
    if (!isAllowedByRole(role, 'events:PutEvents', target.Arn)) {
      return `AccessDenied: role ${target.RoleArn} may not events:PutEvents on ${target.Arn}`;
    }
    try {
      const response = this.options.bus.putEvents({
        Entries: [
          {
            Source: target.EventBridgeParameters!.Source,
            DetailType: target.EventBridgeParameters!.DetailType,
            Detail: target.Input ?? '{}',
            EventBusName: target.Arn,
          },
        ],
      });
      const failed = response.Entries.find((entry) => 'ErrorCode' in entry);
      return failed && 'ErrorCode' in failed ? `${failed.ErrorCode}: ${failed.ErrorMessage}` : undefined;
    } catch (error) {
      return (error as Error).message;
    }
  }
}

function recordOf(schedule: Schedule, ended?: ScheduleRecord['ended']): ScheduleRecord {
  const { Name, Arn, State, ScheduleExpression, Target } = schedule;
  return {
    Name,
    Arn,
    State,
    ScheduleExpression,
    fireAt: new Date(schedule.fireAt).toISOString(),
    createdAt: schedule.createdAt,
    Target: { Arn: Target.Arn, DetailType: Target.EventBridgeParameters?.DetailType, Input: Target.Input },
    ...(ended ? { ended } : {}),
  };
}

function ok(body: unknown): AppSyncHttpResult {
  return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

function parseBody(body: unknown): Record<string, unknown> {
  if (body !== null && typeof body === 'object') return body as Record<string, unknown>;
  try {
    const parsed = JSON.parse(String(body ?? '')) as unknown;
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // fall through to the validation error
  }
  throw new SchedulerError(400, 'ValidationException', 'The request body must be a JSON object.');
}
