/**
 * Reading buses, rules and targets from a synthesized CloudFormation template. Intrinsic functions
 * (Ref, Fn::GetAtt, Fn::Join, Fn::Sub, …) are the template loader's business: it hands in a
 * {@link TemplateResolver} that turns any template value into a plain one.
 */
import { EventBridgeError } from './errors.ts';
import { LocalEventBus, type LocalEventBusOptions, type PutRuleRequest, type RuleState, type Target } from './localEventBus.ts';
import { busNameOf } from './putEvents.ts';

/**
 * What the template loader must provide.
 * `resolve(value)` returns `value` with every intrinsic function replaced by its plain value, at any depth:
 * - `{ Ref: <AWS::Events::EventBus> }` → the bus name (what CloudFormation's Ref gives);
 * - `{ "Fn::GetAtt": [<role>, "Arn"] }` → the role's ARN; `[<api>, "GraphQLEndpointArn"]` → the API's ARN; queues' `Arn` likewise.
 * Values that are not intrinsics come back unchanged.
 */
export interface TemplateResolver {
  resolve(value: unknown): unknown;
}

/** A resource of the template's `Resources` section, as synthesized. */
export interface CloudFormationResource {
  Type: string;
  Properties?: Record<string, unknown>;
}

export interface EventBridgeDefinitions {
  buses: { logicalId: string; Name: string }[];
  rules: (PutRuleRequest & { logicalId: string; Targets: Target[] })[];
}

const RULE_STATES = new Set(['ENABLED', 'DISABLED', 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS']);

function invalid(logicalId: string, message: string): EventBridgeError {
  return new EventBridgeError('InvalidTemplate', `${logicalId}: ${message}`);
}

/**
 * The `AWS::Events::EventBus` and `AWS::Events::Rule` resources of a template, resolved and checked.
 * A rule without `Name` is named after its logical id (CloudFormation would generate a name).
 *
 * @example
 * const template = JSON.parse(readFileSync('cdk.out/EventSourcingCore.template.json', 'utf8'));
 * const definitions = eventBridgeDefinitionsFromTemplate(template.Resources, { resolve: (v) => myResolver.resolve(v) });
 */
export function eventBridgeDefinitionsFromTemplate(
  resources: Record<string, CloudFormationResource>,
  resolver: TemplateResolver,
): EventBridgeDefinitions {
  const definitions: EventBridgeDefinitions = { buses: [], rules: [] };
  for (const [logicalId, resource] of Object.entries(resources ?? {})) {
    if (resource.Type !== 'AWS::Events::EventBus' && resource.Type !== 'AWS::Events::Rule') continue;
    const properties = resolver.resolve(resource.Properties ?? {});
    if (typeof properties !== 'object' || properties === null) throw invalid(logicalId, 'Properties must resolve to an object');
    const p = properties as Record<string, unknown>;
    if (resource.Type === 'AWS::Events::EventBus') {
      if (typeof p.Name !== 'string' || p.Name === '') throw invalid(logicalId, 'an event bus needs a Name');
      definitions.buses.push({ logicalId, Name: p.Name });
      continue;
    }
    const name = p.Name ?? logicalId;
    if (typeof name !== 'string') throw invalid(logicalId, 'Name must resolve to a string');
    if (p.EventBusName !== undefined && typeof p.EventBusName !== 'string')
      throw invalid(logicalId, 'EventBusName must resolve to a bus name or ARN');
    const state = p.State ?? 'ENABLED';
    if (typeof state !== 'string' || !RULE_STATES.has(state))
      throw invalid(logicalId, `State ${String(state)} is not one of ${[...RULE_STATES].join(', ')}`);
    if (p.Targets !== undefined && !Array.isArray(p.Targets)) throw invalid(logicalId, 'Targets must be a list');
    definitions.rules.push({
      logicalId,
      Name: name,
      EventBusName: busNameOf(p.EventBusName as string | undefined),
      ...(p.EventPattern === undefined ? {} : { EventPattern: p.EventPattern as string | object }),
      ...(typeof p.ScheduleExpression === 'string' ? { ScheduleExpression: p.ScheduleExpression } : {}),
      ...(typeof p.Description === 'string' ? { Description: p.Description } : {}),
      State: state as RuleState,
      Targets: (p.Targets ?? []) as Target[],
    });
  }
  return definitions;
}

/** Creates the buses, rules and targets of `definitions` on `bus`; errors name the resource's logical id. */
export function loadEventBridgeDefinitions(bus: LocalEventBus, definitions: EventBridgeDefinitions): void {
  for (const definition of definitions.buses) bus.createEventBus({ Name: definition.Name });
  for (const { logicalId, Targets, ...rule } of definitions.rules) {
    try {
      bus.putRule(rule);
      if (Targets.length > 0) bus.putTargets({ Rule: rule.Name, EventBusName: rule.EventBusName, Targets });
    } catch (error) {
      if (error instanceof EventBridgeError) throw new EventBridgeError(error.code, `${logicalId}: ${error.message}`, error.reason);
      throw error;
    }
  }
}

/**
 * A bus wired from a template's `Resources`: what `npm start` runs.
 *
 * @example
 * const bus = localEventBusFromTemplate(template.Resources, resolver, { invokers: { appsync: callAppSync }, onDelivery: (l) => console.log(formatDeliveryLog(l)) });
 */
export function localEventBusFromTemplate(
  resources: Record<string, CloudFormationResource>,
  resolver: TemplateResolver,
  options: LocalEventBusOptions = {},
): LocalEventBus {
  const bus = new LocalEventBus(options);
  loadEventBridgeDefinitions(bus, eventBridgeDefinitionsFromTemplate(resources, resolver));
  return bus;
}
