/**
 * The local EventBridge: event-pattern matching with AWS's semantics and refusals (TestEventPattern),
 * a bus with PutEvents, rules and targets read from the synthesized template, input transformation,
 * and delivery with the target's retry policy and a failed-deliveries list.
 *
 * @example
 * import { localEventBusFromTemplate, formatDeliveryLog, testEventPattern } from './local/eventbridge/index.ts';
 *
 * const bus = localEventBusFromTemplate(template.Resources, resolver, {
 *   invokers: { appsync: async ({ operation, variables, roleArn }) => runMutation(operation, variables, roleArn) },
 *   onDelivery: (log) => console.log(formatDeliveryLog(log)),
 * });
 * bus.putEvents({ Entries: [{ Source: 'app.reservation', DetailType: 'ReservationRequested', Detail: '{"id":"1"}', EventBusName: busName }] });
 * testEventPattern({ EventPattern: '{"source":["app.reservation"]}', Event: eventJson }); // { Result: true }
 */
export { EventBridgeError, type EventBridgeErrorCode } from './errors.ts';
export { compileEventPattern, type CompiledEventPattern } from './pattern/compilePattern.ts';
export {
  matchesEventPattern,
  testEventPattern,
  TEST_EVENT_MANDATORY_FIELDS,
  MAX_EVENT_PATTERN_LENGTH,
} from './pattern/testEventPattern.ts';
export {
  transformInput,
  validateTargetInput,
  type InputTransformer,
  type TargetInputConfig,
  type TransformContext,
} from './inputTransform.ts';
export {
  entrySize,
  formatEventTime,
  MAX_ENTRIES,
  MAX_REQUEST_SIZE,
  type EventEnvelope,
  type PutEventsRequest,
  type PutEventsRequestEntry,
  type PutEventsResponse,
  type PutEventsResultEntry,
} from './putEvents.ts';
export {
  LocalEventBus,
  formatDeliveryLog,
  targetKindOf,
  type AppSyncTargetCall,
  type DeliveryLog,
  type DeliveryOutcome,
  type DeliveryResult,
  type FailedDelivery,
  type LocalEventBusOptions,
  type PutRuleRequest,
  type RetryPolicy,
  type RetryTiming,
  type RuleState,
  type RuleSummary,
  type Target,
  type TargetCall,
  type TargetInvoker,
  type TargetInvokers,
  type TargetKind,
} from './localEventBus.ts';
export {
  eventBridgeDefinitionsFromTemplate,
  loadEventBridgeDefinitions,
  localEventBusFromTemplate,
  type CloudFormationResource,
  type EventBridgeDefinitions,
  type TemplateResolver,
} from './template.ts';
