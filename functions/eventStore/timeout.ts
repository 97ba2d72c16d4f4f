/**
 * A command's timeout: the tombstone that competes with the command's first
 * event for its stream slot when the deadline passes, and the one-time
 * EventBridge Scheduler schedule that puts it on the bus then. Pure and
 * generic; valid APPSYNC_JS.
 */
import type { EventEnvelope } from './envelope';
import { TIMED_OUT_EVENT_TYPE } from './storeOutcome';

/** Default deadline when the API's environment does not set COMMAND_TIMEOUT_SECONDS. */
export const DEFAULT_COMMAND_TIMEOUT_SECONDS = 10;

export interface TimeoutTombstoneData {
  reason: string;
}

/** The tombstone for `event`'s command: same stream, same version, same commandId. */
export function timeoutTombstoneOf(
  event: EventEnvelope,
  eventId: string,
  deadline: string,
  seconds: number,
): EventEnvelope<typeof TIMED_OUT_EVENT_TYPE, TimeoutTombstoneData> {
  return {
    eventId,
    type: TIMED_OUT_EVENT_TYPE,
    aggregateId: event.aggregateId,
    version: event.version,
    occurredAt: deadline,
    commandId: event.commandId,
    correlationId: event.correlationId,
    causationId: event.commandId,
    actor: 'timeout',
    schemaVersion: 1,
    data: { reason: `Not stored within ${seconds} s of the command.` },
  };
}

/** Schedule names: at most 64 of [0-9a-zA-Z-_.]; one per published command, by its first event. */
export function timeoutScheduleNameOf(event: EventEnvelope): string {
  return `timeout-${event.eventId}`;
}

export interface TimeoutScheduleTarget {
  eventBusArn: string;
  roleArn: string;
  source: string;
}

/**
 * The body of Scheduler's CreateSchedule: at the deadline, put the tombstone on the bus with the
 * command events' source, so the same rule stores it through the same mutation. Deleted after it runs.
 */
export function timeoutScheduleOf(tombstone: EventEnvelope, atExpression: string, target: TimeoutScheduleTarget): Record<string, unknown> {
  return {
    ScheduleExpression: `at(${atExpression})`,
    ScheduleExpressionTimezone: 'UTC',
    FlexibleTimeWindow: { Mode: 'OFF' },
    ActionAfterCompletion: 'DELETE',
    ClientToken: tombstone.eventId,
    Description: `Timeout of command ${tombstone.commandId} on ${tombstone.aggregateId} v${tombstone.version}`,
    Target: {
      Arn: target.eventBusArn,
      RoleArn: target.roleArn,
      EventBridgeParameters: { Source: target.source, DetailType: tombstone.type },
      // The event detail, as publishEvents sends it: AWSJSON data as JSON text.
      Input: JSON.stringify({ ...tombstone, data: JSON.stringify(tombstone.data) }),
      RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 300 },
    },
  };
}
