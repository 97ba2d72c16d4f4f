/**
 * A pipe's event bus target: each record becomes one event, put with PutEvents as the pipe's role
 * (`events:PutEvents` on the bus, checked like a rule's role), at most 10 entries a call
 * (eb-pipes-batching-concurrency.html). The event's `detail` is the record, or what the InputTemplate
 * makes of it; `source` and `detail-type` are `EventBridgeEventBusParameters.Source`/`DetailType`, else
 * what AWS is recorded to send: `Pipe <pipe name>` and `Event from aws:dynamodb` (AWS's DynamoDB to Pipes
 * tutorial, community.aws "Sending Events From DynamoDB Using EventBridge Pipes"), `resources` `[]`.
 * Entries PutEvents refuses are the failed part of the batch; the rest were delivered.
 *
 * @example
 * const outcome = deliverToEventBus(bus, target, events, { role, template: context });
 * outcome.failed; // indexes of the events to retry
 */
import { isAllowedByRole } from '../iamPolicy.ts';
import { EventBridgeError, type LocalEventBus, type PutEventsRequestEntry } from '../eventbridge/index.ts';
import type { IamRoleModel } from '../template/cloudAssembly.ts';
import { renderInputTemplate, targetParameter, type PipeTemplateContext } from './inputTemplate.ts';
import type { PipeTarget } from './pipeDefinition.ts';

export interface TargetOutcome {
  /** Indexes (into the events given) that were not delivered. */
  failed: number[];
  /** Why, when some failed: AWS's error code and message. */
  error?: { code: string; message: string };
}

const PUT_EVENTS_ENTRIES = 10;

/** What every target call of a pipe needs: the role it acts as, and how it shapes each record. */
export interface PipeTargetCallOptions {
  role: IamRoleModel | undefined;
  roleArn: string | undefined;
  inputTemplate: string | undefined;
  template: Omit<PipeTemplateContext, 'ingestionTime'>;
}

export function deliverToEventBus(
  bus: LocalEventBus,
  target: Extract<PipeTarget, { kind: 'eventBus' }>,
  events: unknown[],
  options: PipeTargetCallOptions,
): TargetOutcome {
  const all = events.map((_event, index) => index);
  if (!isAllowedByRole(options.role, 'events:PutEvents', target.arn)) {
    return {
      failed: all,
      error: {
        code: 'AccessDeniedException',
        message: `role ${options.roleArn ?? '(none)'} may not call events:PutEvents on ${target.arn}`,
      },
    };
  }
  const ingestionTime = new Date().toISOString();
  const entries = events.map((event) => entryFor(event, target, options.inputTemplate, { ...options.template, ingestionTime }));
  const failed: number[] = [];
  let error: TargetOutcome['error'];
  for (let start = 0; start < entries.length; start += PUT_EVENTS_ENTRIES) {
    const chunk = entries.slice(start, start + PUT_EVENTS_ENTRIES);
    try {
      const answer = bus.putEvents({ Entries: chunk });
      answer.Entries.forEach((result, offset) => {
        if (!('ErrorCode' in result)) return;
        failed.push(start + offset);
        error ??= { code: result.ErrorCode, message: result.ErrorMessage };
      });
    } catch (thrown) {
      chunk.forEach((_entry, offset) => failed.push(start + offset));
      error ??=
        thrown instanceof EventBridgeError
          ? { code: thrown.code, message: thrown.message }
          : { code: 'InternalException', message: (thrown as Error).message };
    }
  }
  return error ? { failed, error } : { failed };
}

function entryFor(
  event: unknown,
  target: Extract<PipeTarget, { kind: 'eventBus' }>,
  inputTemplate: string | undefined,
  template: PipeTemplateContext,
): PutEventsRequestEntry {
  const { parameters } = target;
  const resources = (parameters.Resources ?? [])
    .map((resource) => targetParameter(resource, event))
    .filter((resource): resource is string => resource !== undefined);
  const time = parameters.Time === undefined ? undefined : targetParameter(parameters.Time, event);
  return {
    EventBusName: target.arn,
    Source: parameters.Source === undefined ? `Pipe ${template.pipeName}` : targetParameter(parameters.Source, event),
    DetailType: parameters.DetailType === undefined ? 'Event from aws:dynamodb' : targetParameter(parameters.DetailType, event),
    Detail: inputTemplate === undefined ? JSON.stringify(event) : renderInputTemplate(inputTemplate, event, template),
    Resources: resources,
    ...(time === undefined ? {} : { Time: time }),
  };
}
