/** The bus's API shapes (rules, targets, retry policies, delivery logs) and what it holds per rule and delivery. */
import type { TargetInputConfig } from './inputTransform.ts';
import type { CompiledEventPattern } from './pattern/compilePattern.ts';
import type { EventEnvelope } from './putEvents.ts';

export type RuleState = 'ENABLED' | 'DISABLED' | 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';

export interface RetryPolicy {
  /** 0–185; AWS's default is 185. */
  MaximumRetryAttempts?: number;
  /** 60–86400; AWS's default is 86400 (24 hours). */
  MaximumEventAgeInSeconds?: number;
}

/** A rule target, as in PutTargets and `AWS::Events::Rule` Targets. */
export interface Target extends TargetInputConfig {
  Id: string;
  Arn: string;
  RoleArn?: string;
  RetryPolicy?: RetryPolicy;
  DeadLetterConfig?: { Arn?: string };
  AppSyncParameters?: { GraphQLOperation?: string };
}

export interface PutRuleRequest {
  Name: string;
  EventBusName?: string;
  /** JSON text or an object (CloudFormation accepts both). */
  EventPattern?: string | object;
  State?: RuleState;
  Description?: string;
  ScheduleExpression?: string;
}

export interface RuleSummary {
  Name: string;
  Arn: string;
  EventBusName: string;
  EventPattern?: string;
  State: RuleState;
  Description?: string;
}

export type TargetKind = 'appsync' | 'lambda' | 'sqs' | 'sns' | 'eventBus' | 'stepFunctions' | 'apiDestination' | 'other';

export interface TargetCallBase {
  kind: TargetKind;
  targetId: string;
  targetArn: string;
  roleArn: string | undefined;
  ruleName: string;
  ruleArn: string;
  /** The event as the bus built it (before any input transformation). */
  event: EventEnvelope;
  /** 1 for the first attempt. */
  attempt: number;
}

/** What an AppSync target's invoker gets: the operation and the transformed input as its variables. */
export interface AppSyncTargetCall extends TargetCallBase {
  kind: 'appsync';
  operation: string;
  variables: Record<string, unknown>;
}

/** What any other target's invoker gets: the transformed input text. */
export interface TargetCall extends TargetCallBase {
  input: string;
}

/** `{ ok: false }` or a thrown error is a failed attempt; anything else is a delivery. */
export type DeliveryResult = { ok: true } | { ok: false; error: unknown };
export type TargetInvoker<C> = (call: C) => Promise<DeliveryResult | void> | DeliveryResult | void;
export type TargetInvokers = { appsync?: TargetInvoker<AppSyncTargetCall> } & {
  [K in Exclude<TargetKind, 'appsync'>]?: TargetInvoker<TargetCall>;
};

export type DeliveryOutcome = 'delivered' | 'retrying' | 'failed';

/** One line per attempt, for the dev server's log. */
export interface DeliveryLog {
  eventId: string;
  source: string;
  detailType: string;
  eventBusName: string;
  ruleName: string;
  targetId: string;
  targetKind: TargetKind;
  attempt: number;
  /** 1 + MaximumRetryAttempts. */
  maxAttempts: number;
  durationMs: number;
  outcome: DeliveryOutcome;
  error?: string;
  /** Set when outcome is 'retrying'. */
  nextAttemptInMs?: number;
  /** The event itself, for recorders that must find a delivery by what it carries (the local console's search by command id). */
  event: EventEnvelope;
}

/** An event the bus could not deliver: what the target's dead-letter queue would hold, with AWS's DLQ attributes. */
export interface FailedDelivery {
  event: EventEnvelope;
  /** The transformed input, when it could be built. */
  input: string | undefined;
  eventBusName: string;
  ruleName: string;
  ruleArn: string;
  targetId: string;
  targetArn: string;
  targetKind: TargetKind;
  /** The target's DeadLetterConfig.Arn, when it has one. */
  deadLetterArn: string | undefined;
  errorCode: string;
  errorMessage: string;
  /** Which limit ended the retries; undefined when the failure was not retryable. */
  exhaustedRetryCondition: 'MaximumRetryAttempts' | 'MaximumEventAgeInSeconds' | undefined;
  attempts: number;
  failedAt: string;
}

export interface RetryTiming {
  /** Delay before the first retry; doubles for each further retry. Default 100 ms (AWS waits longer). */
  baseDelayMs?: number;
  /** Cap on a single delay. Default 30 s. */
  maxDelayMs?: number;
  /** Randomise each delay between half and all of it, as AWS does. Default true. */
  jitter?: boolean;
}

export interface LocalEventBusOptions {
  account?: string;
  region?: string;
  invokers?: TargetInvokers;
  retry?: RetryTiming;
  onDelivery?: (log: DeliveryLog) => void;
  /**
   * Keep the deliveries on disk here (the local stack's `<persistDir>/eventbridge`, deliveryJournal.ts): from
   * acceptance until delivered or failed for good; `resumeJournaledDeliveries` goes on with them after a restart.
   * Default in memory.
   */
  journalDir?: string;
  /** One line per journal matter (deliveries resumed, entries set aside). */
  onEvent?: (line: string) => void;
  /** Clock, for tests. */
  now?: () => Date;
  random?: () => number;
}

/** A rule as the bus holds it. */
export interface Rule {
  name: string;
  busName: string;
  arn: string;
  patternText: string | undefined;
  pattern: CompiledEventPattern | undefined;
  state: RuleState;
  description: string | undefined;
  targets: Map<string, Target>;
}

/** One event on its way to one target, attempt after attempt. */
export interface Delivery {
  event: EventEnvelope;
  ingestedAt: number;
  rule: Rule;
  target: Target;
  kind: TargetKind;
  attempt: number;
  input: string | undefined;
}
