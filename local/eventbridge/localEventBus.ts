/**
 * The local EventBridge: buses, rules and targets, PutEvents, and delivery with AWS's retry policy.
 * Deliveries run after `putEvents` returns (as on AWS); each attempt is reported through `onDelivery`;
 * an event whose retries are exhausted lands in the failed-deliveries list, the local stand-in
 * for the target's dead-letter queue.
 */
import { performance } from 'node:perf_hooks';
import { EventBridgeError } from './errors.ts';
import { transformInput, validateTargetInput } from './inputTransform.ts';
import { compileEventPattern } from './pattern/compilePattern.ts';
import { matchesCompiledPattern } from './pattern/matchPattern.ts';
import {
  busNameOf,
  envelopeOf,
  formatEventTime,
  validatePutEventsRequest,
  type EventEnvelope,
  type PutEventsRequest,
  type PutEventsResponse,
  type PutEventsResultEntry,
} from './putEvents.ts';
import type {
  Delivery,
  DeliveryLog,
  DeliveryResult,
  FailedDelivery,
  LocalEventBusOptions,
  PutRuleRequest,
  Rule,
  RuleSummary,
  Target,
} from './busModel.ts';
import { DEFAULT_MAX_AGE_SECONDS, DEFAULT_MAX_RETRIES, errorText, PermanentFailure, targetKindOf } from './targetDelivery.ts';
import { PendingWork } from '../pendingWork.ts';
import { DeliveryJournal, type JournaledDelivery } from './deliveryJournal.ts';

export * from './busModel.ts';
export { formatDeliveryLog, targetKindOf } from './targetDelivery.ts';

/**
 * A local EventBridge with AWS's API shapes: `createEventBus`, `putRule`, `putTargets`, `putEvents`,
 * plus the failed-deliveries list and `close()`.
 *
 * @example
 * const bus = new LocalEventBus({ invokers: { appsync: async ({ operation, variables }) => { await graphql(operation, variables); } } });
 * bus.createEventBus({ Name: 'core' });
 * bus.putRule({ Name: 'store', EventBusName: 'core', EventPattern: { source: ['app.reservation'] } });
 * bus.putTargets({ Rule: 'store', EventBusName: 'core', Targets: [{ Id: 't', Arn: apiArn, AppSyncParameters: { GraphQLOperation: op }, InputPath: '$.detail' }] });
 * bus.putEvents({ Entries: [{ Source: 'app.reservation', DetailType: 'ReservationRequested', Detail: '{}', EventBusName: 'core' }] });
 * await bus.idle(); // every delivery done, retries included
 * bus.close();
 */
export class LocalEventBus {
  readonly account: string;
  readonly region: string;
  private readonly buses = new Set<string>(['default']);
  private readonly rules = new Map<string, Rule>();
  private readonly failed: FailedDelivery[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly immediates = new Set<NodeJS.Immediate>();
  /** Deliveries under way, retries included: what idle() waits for. */
  private readonly work = new PendingWork();
  private closed = false;
  private readonly options: LocalEventBusOptions;
  private readonly journal: DeliveryJournal | undefined;
  private resumed = false;

  constructor(options: LocalEventBusOptions = {}) {
    this.options = options;
    this.journal = options.journalDir ? new DeliveryJournal(options.journalDir) : undefined;
    this.account = options.account ?? '000000000000';
    this.region = options.region ?? 'us-east-1';
  }

  private now(): Date {
    return this.options.now ? this.options.now() : new Date();
  }

  busArn(name: string): string {
    return `arn:aws:events:${this.region}:${this.account}:event-bus/${name}`;
  }

  private ruleArn(busName: string, ruleName: string): string {
    return `arn:aws:events:${this.region}:${this.account}:rule/${busName === 'default' ? '' : `${busName}/`}${ruleName}`;
  }

  private ruleKey(busName: string, ruleName: string): string {
    return `${busName}\u0000${ruleName}`;
  }

  private rule(name: string, eventBusName: string | undefined): Rule {
    const busName = busNameOf(eventBusName);
    const rule = this.rules.get(this.ruleKey(busName, name));
    if (!rule) throw new EventBridgeError('ResourceNotFoundException', `Rule ${name} does not exist on EventBus ${busName}.`);
    return rule;
  }

  createEventBus(request: { Name: string }): { EventBusArn: string } {
    if (!request?.Name) throw new EventBridgeError('ValidationException', 'Parameter Name is not valid.');
    this.buses.add(request.Name);
    return { EventBusArn: this.busArn(request.Name) };
  }

  listEventBuses(): { EventBuses: { Name: string; Arn: string }[] } {
    return { EventBuses: [...this.buses].map((Name) => ({ Name, Arn: this.busArn(Name) })) };
  }

  /** Creates or updates a rule; throws `InvalidEventPatternException` for a pattern AWS would refuse. */
  putRule(request: PutRuleRequest): { RuleArn: string } {
    const busName = busNameOf(request.EventBusName);
    if (!this.buses.has(busName)) throw new EventBridgeError('ResourceNotFoundException', `Event bus ${busName} does not exist.`);
    if (request.EventPattern === undefined && request.ScheduleExpression === undefined) {
      throw new EventBridgeError('ValidationException', 'Parameter(s) EventPattern or ScheduleExpression must be specified.');
    }
    const pattern = request.EventPattern === undefined ? undefined : compileEventPattern(request.EventPattern);
    const key = this.ruleKey(busName, request.Name);
    const existing = this.rules.get(key);
    const rule: Rule = {
      name: request.Name,
      busName,
      arn: this.ruleArn(busName, request.Name),
      patternText: pattern ? JSON.stringify(pattern.source) : undefined,
      pattern,
      state: request.State ?? 'ENABLED',
      description: request.Description,
      targets: existing?.targets ?? new Map(),
    };
    this.rules.set(key, rule);
    return { RuleArn: rule.arn };
  }

  enableRule(request: { Name: string; EventBusName?: string }): void {
    this.rule(request.Name, request.EventBusName).state = 'ENABLED';
  }

  disableRule(request: { Name: string; EventBusName?: string }): void {
    this.rule(request.Name, request.EventBusName).state = 'DISABLED';
  }

  deleteRule(request: { Name: string; EventBusName?: string }): void {
    const rule = this.rule(request.Name, request.EventBusName);
    this.rules.delete(this.ruleKey(rule.busName, rule.name));
  }

  listRules(request: { EventBusName?: string } = {}): { Rules: RuleSummary[] } {
    const busName = busNameOf(request.EventBusName);
    const Rules = [...this.rules.values()]
      .filter((rule) => rule.busName === busName)
      .map((rule) => ({
        Name: rule.name,
        Arn: rule.arn,
        EventBusName: rule.busName,
        State: rule.state,
        ...(rule.patternText === undefined ? {} : { EventPattern: rule.patternText }),
        ...(rule.description === undefined ? {} : { Description: rule.description }),
      }));
    return { Rules };
  }

  /** Adds or replaces targets (by Id). Throws `ValidationException` for a target AWS would refuse. */
  putTargets(request: { Rule: string; EventBusName?: string; Targets: Target[] }): { FailedEntryCount: number; FailedEntries: [] } {
    const rule = this.rule(request.Rule, request.EventBusName);
    for (const target of request.Targets) {
      const where = `rule ${rule.name} target ${target?.Id}`;
      if (!target?.Id || !/^[.\-_A-Za-z0-9]{1,64}$/.test(target.Id))
        throw new EventBridgeError('ValidationException', `${where}: Id must match [.\\-_A-Za-z0-9]{1,64}`);
      if (typeof target.Arn !== 'string' || target.Arn === '')
        throw new EventBridgeError('ValidationException', `${where}: Arn is required`);
      validateTargetInput(target, target.Id);
      const retries = target.RetryPolicy?.MaximumRetryAttempts;
      if (retries !== undefined && !(Number.isInteger(retries) && retries >= 0 && retries <= DEFAULT_MAX_RETRIES)) {
        throw new EventBridgeError(
          'ValidationException',
          `${where}: RetryPolicy.MaximumRetryAttempts must be an integer from 0 to ${DEFAULT_MAX_RETRIES}`,
        );
      }
      const age = target.RetryPolicy?.MaximumEventAgeInSeconds;
      if (age !== undefined && !(Number.isInteger(age) && age >= 60 && age <= DEFAULT_MAX_AGE_SECONDS)) {
        throw new EventBridgeError(
          'ValidationException',
          `${where}: RetryPolicy.MaximumEventAgeInSeconds must be an integer from 60 to ${DEFAULT_MAX_AGE_SECONDS}`,
        );
      }
      if (target.AppSyncParameters && typeof target.AppSyncParameters.GraphQLOperation !== 'string') {
        throw new EventBridgeError('ValidationException', `${where}: AppSyncParameters.GraphQLOperation is required`);
      }
    }
    for (const target of request.Targets) rule.targets.set(target.Id, target);
    return { FailedEntryCount: 0, FailedEntries: [] };
  }

  listTargetsByRule(request: { Rule: string; EventBusName?: string }): { Targets: Target[] } {
    return { Targets: [...this.rule(request.Rule, request.EventBusName).targets.values()] };
  }

  /**
   * AWS's PutEvents: validates each entry, builds its envelope and answers at once; matching rules'
   * targets are invoked afterwards. Throws `ValidationException` for a request AWS refuses whole.
   */
  putEvents(request: PutEventsRequest): PutEventsResponse {
    if (this.closed) throw new Error('LocalEventBus is closed');
    validatePutEventsRequest(request);
    const now = this.now();
    const Entries: PutEventsResultEntry[] = [];
    let FailedEntryCount = 0;
    for (const entry of request.Entries) {
      const built = envelopeOf(entry, { account: this.account, region: this.region, now, busExists: (name) => this.buses.has(name) });
      if ('ErrorCode' in built) {
        FailedEntryCount += 1;
        Entries.push(built);
        continue;
      }
      Entries.push({ EventId: built.event.id });
      this.route(built.event, built.busName, now.getTime());
    }
    return { FailedEntryCount, Entries };
  }

  private route(event: EventEnvelope, busName: string, ingestedAt: number): void {
    for (const rule of this.rules.values()) {
      if (rule.busName !== busName || rule.state === 'DISABLED' || !rule.pattern) continue;
      if (!matchesCompiledPattern(rule.pattern, event)) continue;
      for (const target of rule.targets.values()) {
        const delivery: Delivery = { event, ingestedAt, rule, target, kind: targetKindOf(target), attempt: 1, input: undefined };
        // On disk before PutEvents answers: an accepted entry is delivered even if the runtime stops first.
        this.persist(delivery, ingestedAt);
        this.work.begin();
        this.schedule(() => this.attempt(delivery), undefined);
      }
    }
  }

  /** First attempts run on the next turn (after putEvents has answered); retries after their delay. */
  private schedule(run: () => Promise<void>, delayMs: number | undefined): void {
    if (delayMs === undefined) {
      const immediate = setImmediate(() => {
        this.immediates.delete(immediate);
        void run();
      });
      this.immediates.add(immediate);
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void run();
    }, delayMs);
    this.timers.add(timer);
  }

  private async attempt(delivery: Delivery): Promise<void> {
    if (this.closed) return;
    const { rule, target, kind } = delivery;
    const maxRetries = target.RetryPolicy?.MaximumRetryAttempts ?? DEFAULT_MAX_RETRIES;
    const started = performance.now();
    let error: unknown;
    try {
      await this.invoke(delivery);
    } catch (thrown) {
      error = thrown;
    }
    if (this.closed) return;
    const durationMs = performance.now() - started;
    const log: DeliveryLog = {
      eventId: delivery.event.id,
      source: delivery.event.source,
      detailType: delivery.event['detail-type'],
      eventBusName: rule.busName,
      ruleName: rule.name,
      targetId: target.Id,
      targetKind: kind,
      attempt: delivery.attempt,
      maxAttempts: maxRetries + 1,
      durationMs,
      outcome: 'delivered',
      event: delivery.event,
    };
    if (error === undefined) {
      this.report(log);
      this.journal?.remove(this.journalKeyOf(delivery));
      this.settle();
      return;
    }
    const { code, message } = errorText(error);
    log.error = message;
    const retryable = !(error instanceof PermanentFailure);
    let exhausted: FailedDelivery['exhaustedRetryCondition'];
    if (retryable) {
      const delay = this.retryDelay(delivery.attempt);
      const maxAgeMs = (target.RetryPolicy?.MaximumEventAgeInSeconds ?? DEFAULT_MAX_AGE_SECONDS) * 1000;
      if (delivery.attempt > maxRetries) exhausted = 'MaximumRetryAttempts';
      else if (this.now().getTime() + delay - delivery.ingestedAt > maxAgeMs) exhausted = 'MaximumEventAgeInSeconds';
      else {
        this.report({ ...log, outcome: 'retrying', nextAttemptInMs: delay });
        const next = { ...delivery, attempt: delivery.attempt + 1 };
        this.persist(next, this.now().getTime() + delay, { code, message });
        this.schedule(() => this.attempt(next), delay);
        return;
      }
    }
    this.report({ ...log, outcome: 'failed' });
    this.fail(delivery, { code, message }, exhausted);
  }

  /** The delivery ends undelivered: kept in the failed-deliveries list (the dead-letter queue's stand-in). */
  private fail(
    delivery: Delivery,
    { code, message }: { code: string; message: string },
    exhausted: FailedDelivery['exhaustedRetryCondition'],
  ): void {
    const { rule, target, kind } = delivery;
    this.journal?.remove(this.journalKeyOf(delivery));
    this.failed.push({
      event: delivery.event,
      input: delivery.input,
      eventBusName: rule.busName,
      ruleName: rule.name,
      ruleArn: rule.arn,
      targetId: target.Id,
      targetArn: target.Arn,
      targetKind: kind,
      deadLetterArn: target.DeadLetterConfig?.Arn,
      errorCode: code,
      errorMessage: message,
      exhaustedRetryCondition: exhausted,
      attempts: delivery.attempt,
      failedAt: formatEventTime(this.now()),
    });
    this.settle();
  }

  private async invoke(delivery: Delivery): Promise<void> {
    const { rule, target, kind, event } = delivery;
    const input = transformInput(target, event, {
      ruleName: rule.name,
      ruleArn: rule.arn,
      ingestionTime: new Date(delivery.ingestedAt).toISOString(),
    });
    delivery.input = input;
    const base = {
      targetId: target.Id,
      targetArn: target.Arn,
      roleArn: target.RoleArn,
      ruleName: rule.name,
      ruleArn: rule.arn,
      event,
      attempt: delivery.attempt,
    };
    let result: DeliveryResult | void;
    if (kind === 'appsync') {
      const invoker = this.options.invokers?.appsync;
      if (!invoker) throw new PermanentFailure('NoInvoker', 'no invoker is registered for appsync targets');
      let variables: unknown;
      try {
        variables = JSON.parse(input);
      } catch {
        throw new PermanentFailure(
          'InvalidInput',
          `the transformed input is not JSON, so it cannot be GraphQL variables: ${input.slice(0, 200)}`,
        );
      }
      if (typeof variables !== 'object' || variables === null || Array.isArray(variables)) {
        throw new PermanentFailure('InvalidInput', `GraphQL variables must be a JSON object, got: ${input.slice(0, 200)}`);
      }
      const operation = target.AppSyncParameters?.GraphQLOperation ?? '';
      result = await invoker({ ...base, kind: 'appsync', operation, variables: variables as Record<string, unknown> });
    } else {
      const invoker = this.options.invokers?.[kind];
      if (!invoker) throw new PermanentFailure('NoInvoker', `no invoker is registered for ${kind} targets`);
      result = await invoker({ ...base, kind, input });
    }
    if (result && result.ok === false) throw result.error instanceof Error ? result.error : new Error(errorText(result.error).message);
  }

  private journalKeyOf(delivery: Delivery): Pick<JournaledDelivery, 'event' | 'busName' | 'ruleName' | 'targetId'> {
    return { event: delivery.event, busName: delivery.rule.busName, ruleName: delivery.rule.name, targetId: delivery.target.Id };
  }

  /** Writes the delivery down (with a journal) as it now stands: its next attempt and when it is due. */
  private persist(delivery: Delivery, dueAt: number, lastError?: JournaledDelivery['lastError']): void {
    this.journal?.write({
      ...this.journalKeyOf(delivery),
      ingestedAt: delivery.ingestedAt,
      attempt: delivery.attempt,
      dueAt,
      ...(lastError ? { lastError } : {}),
    });
  }

  /**
   * After a restart on the same `journalDir`, once the rules are loaded and the invokers can reach their
   * targets: every delivery written there and not ended goes on, with its attempt count, what is left of its
   * delay (none if it was due while the runtime was down) and its event's acceptance time, so
   * MaximumEventAgeInSeconds counts the time down too; a retry now past that age becomes a failed delivery
   * (`MaximumEventAgeInSeconds`, its last error). An attempt the stop cut short is made again (at least once).
   * An entry that cannot be read, or whose rule or target is gone, is moved to `set-aside/` and reported
   * through `onEvent`, never dropped. Returns how many go on.
   *
   * @example
   * const bus = new LocalEventBus({ journalDir: '.local/data/eventbridge', invokers });
   * loadEventBridgeDefinitions(bus, definitions);
   * bus.resumeJournaledDeliveries(); // 1
   */
  resumeJournaledDeliveries(): number {
    // Once per bus: the entries of deliveries this bus runs itself are in the journal too.
    if (!this.journal || this.closed || this.resumed) return 0;
    this.resumed = true;
    const { deliveries, setAside } = this.journal.read();
    const say = (line: string) => this.options.onEvent?.(line);
    for (const { file, reason } of setAside)
      say(`eventbridge: a journaled delivery cannot be read (${reason}); moved to ${file}, not resumed`);
    let resumed = 0;
    for (const journaled of deliveries) {
      const rule = this.rules.get(this.ruleKey(journaled.busName, journaled.ruleName));
      const target = rule?.targets.get(journaled.targetId);
      const what = `event ${journaled.event.id} → rule ${journaled.busName}/${journaled.ruleName} → target ${journaled.targetId}`;
      if (!rule || !target) {
        say(`eventbridge: ${what} not resumed (its ${rule ? 'target' : 'rule'} is gone); moved to ${this.journal.setAside(journaled)}`);
        continue;
      }
      const { event, ingestedAt, attempt } = journaled;
      const delivery: Delivery = { event, ingestedAt, attempt, rule, target, kind: targetKindOf(target), input: undefined };
      const maxAgeMs = (target.RetryPolicy?.MaximumEventAgeInSeconds ?? DEFAULT_MAX_AGE_SECONDS) * 1000;
      const runsAt = Math.max(this.now().getTime(), journaled.dueAt);
      this.work.begin();
      if (journaled.attempt > 1 && runsAt - journaled.ingestedAt > maxAgeMs) {
        say(`eventbridge: ${what} resumed after a restart, older than MaximumEventAgeInSeconds: a failed delivery`);
        this.fail(
          { ...delivery, attempt: journaled.attempt - 1 },
          journaled.lastError ?? { code: 'Error', message: 'unknown' },
          'MaximumEventAgeInSeconds',
        );
        continue;
      }
      resumed += 1;
      const inMs = runsAt - this.now().getTime();
      say(`eventbridge: ${what} resumed after a restart: attempt ${journaled.attempt} in ${inMs} ms`);
      this.schedule(() => this.attempt(delivery), inMs);
    }
    return resumed;
  }

  /** Exponential backoff for the retry after attempt `attempt`, with AWS-style jitter. */
  private retryDelay(attempt: number): number {
    const { baseDelayMs = 100, maxDelayMs = 30_000, jitter = true } = this.options.retry ?? {};
    const full = Math.min(baseDelayMs * 2 ** (attempt - 1), maxDelayMs);
    const random = this.options.random ?? Math.random;
    return Math.round(jitter ? full / 2 + (random() * full) / 2 : full);
  }

  private report(log: DeliveryLog): void {
    try {
      this.options.onDelivery?.(log);
    } catch {
      // A broken log callback must not break delivery.
    }
  }

  private settle(): void {
    this.work.end();
  }

  /** Events that could not be delivered (oldest first): the local dead-letter queues. */
  failedDeliveries(): FailedDelivery[] {
    return [...this.failed];
  }

  clearFailedDeliveries(): void {
    this.failed.length = 0;
  }

  /** Resolves when no delivery is pending: every attempt and retry has settled (or the bus was closed). */
  idle(): Promise<void> {
    return this.work.idle();
  }

  /** Stops: pending attempts and retries are cancelled, no timer is left; putEvents is refused afterwards. */
  close(): void {
    this.closed = true;
    // With a journal, what is under way stays written down for the next start.
    this.journal?.close();
    // Each handle is cleared by its own kind's function: clearImmediate on a timer would upset Node's immediate counters.
    for (const timer of this.timers) clearTimeout(timer);
    for (const immediate of this.immediates) clearImmediate(immediate);
    this.timers.clear();
    this.immediates.clear();
    this.work.close();
  }

  /** How many first attempts and retries are waiting to run: 0 after close(). */
  get scheduledCount(): number {
    return this.timers.size + this.immediates.size;
  }
}
