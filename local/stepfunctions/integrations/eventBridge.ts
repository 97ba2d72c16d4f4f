/**
 * `arn:aws:states:::events:putEvents` (and `.waitForTaskToken`) into the local bus, as
 * https://docs.aws.amazon.com/step-functions/latest/dg/connect-eventbridge.html describes it: `Detail`
 * may be a JSON object (sent as its text), the execution and state machine ARNs are appended to each
 * entry's `Resources`, and a response with `FailedEntryCount` > 0 fails the task with `EventBridge.FailedEntry`.
 */
import { EventBridgeError, type LocalEventBus, type PutEventsRequestEntry } from '../../eventbridge/index.ts';
import { StatesError } from '../errors.ts';
import type { TaskIntegration } from './types.ts';

interface TaskEntry {
  Detail?: unknown;
  DetailType?: string;
  Source?: string;
  EventBusName?: string;
  Resources?: string[];
  Time?: string;
}

export function putEventsIntegration(bus: LocalEventBus): TaskIntegration {
  return async (call) => {
    const entries = (call.parameters as { Entries?: TaskEntry[] } | null)?.Entries;
    if (!Array.isArray(entries))
      throw new StatesError('EventBridge.ValidationException', 'events:putEvents needs Parameters (or Arguments) with an Entries list.');
    const request: PutEventsRequestEntry[] = entries.map((entry) => ({
      ...(entry.Source !== undefined ? { Source: entry.Source } : {}),
      ...(entry.DetailType !== undefined ? { DetailType: entry.DetailType } : {}),
      ...(entry.Detail !== undefined ? { Detail: typeof entry.Detail === 'string' ? entry.Detail : JSON.stringify(entry.Detail) } : {}),
      ...(entry.EventBusName !== undefined ? { EventBusName: entry.EventBusName } : {}),
      ...(entry.Time !== undefined ? { Time: entry.Time } : {}),
      Resources: [...(entry.Resources ?? []), call.executionArn, call.stateMachineArn],
    }));
    let response;
    try {
      response = bus.putEvents({ Entries: request });
    } catch (error) {
      if (error instanceof EventBridgeError) throw new StatesError(`EventBridge.${error.code}`, error.message);
      throw error;
    }
    if (response.FailedEntryCount > 0) throw new StatesError('EventBridge.FailedEntry', JSON.stringify(response));
    return response;
  };
}
