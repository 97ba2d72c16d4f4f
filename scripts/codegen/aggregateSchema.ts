/**
 * The store's GraphQL parts of every aggregate, generated from the schema
 * files so no aggregate writes them: an aggregate is a type `X` with an enum
 * `XEventType` of its events (schema/<aggregate>.graphql); it gets
 * `saveXEvent` (IAM only), `onXSaved(id)`, `getX(id)`, `getXHistory(id)`, the
 * types `XSaved`, `XEvent`, `XEventInput`, and the store's own event types in
 * its enum; and `onXCommandAnswered(id)`, bound to the commands the
 * aggregate's own file declares (its Mutation fields returning
 * CommandAccepted). The names come from functions/eventStore/naming.ts, which the CDK
 * construct and the generic resolvers read too. The output is committed
 * (schema/generated/aggregates.graphql) so a reader sees the whole schema;
 * `npm test` fails when it is stale.
 */
import { Kind, parse, type DocumentNode, type TypeNode } from 'graphql';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { aggregateNames, type AggregateNames } from '../../functions/eventStore/naming.ts';

export const SCHEMA_DIR = path.resolve(import.meta.dirname, '../../schema');
export const AGGREGATES_SCHEMA_FILE = path.join(SCHEMA_DIR, 'generated/aggregates.graphql');
/** AppSync's own scalars and directives: for tools only, never sent to AppSync. */
export const APPSYNC_DEFINITIONS_FILE = path.join(SCHEMA_DIR, 'appsync.graphql');

/** The hand-written schema files (schema/*.graphql but AppSync's definitions), in a stable order. */
export function sourceSchemaFiles(): string[] {
  return readdirSync(SCHEMA_DIR)
    .filter((file) => file.endsWith('.graphql') && path.join(SCHEMA_DIR, file) !== APPSYNC_DEFINITIONS_FILE)
    .sort()
    .map((file) => path.join(SCHEMA_DIR, file));
}

/** The stream types of the aggregates the documents declare: every `XEventType` enum beside a type `X`. */
export function aggregatesOf(documents: DocumentNode[]): string[] {
  const objectTypes = new Set<string>();
  const eventEnums: string[] = [];
  for (const document of documents) {
    for (const definition of document.definitions) {
      if (definition.kind === Kind.OBJECT_TYPE_DEFINITION) objectTypes.add(definition.name.value);
      if (
        definition.kind === Kind.ENUM_TYPE_DEFINITION &&
        definition.name.value.endsWith('EventType') &&
        definition.name.value !== 'StoreEventType'
      ) {
        eventEnums.push(definition.name.value.slice(0, -'EventType'.length));
      }
    }
  }
  const orphans = eventEnums.filter((name) => !objectTypes.has(name));
  if (orphans.length > 0) {
    throw new Error(
      `${orphans.map((name) => `enum ${name}EventType`).join(', ')} declares an aggregate's events, but no type ${orphans.join(', ')} is its state: declare the type, or rename the enum.`,
    );
  }
  return eventEnums.sort();
}

/**
 * The commands of each aggregate: the Mutation fields returning CommandAccepted in the document that
 * declares its `XEventType` (its own schema file), in the order written there.
 */
export function commandMutationsOf(documents: DocumentNode[]): Map<string, string[]> {
  const commands = new Map<string, string[]>();
  for (const document of documents) {
    const aggregate = document.definitions.find(
      (definition) =>
        definition.kind === Kind.ENUM_TYPE_DEFINITION &&
        definition.name.value.endsWith('EventType') &&
        definition.name.value !== 'StoreEventType',
    );
    if (!aggregate || aggregate.kind !== Kind.ENUM_TYPE_DEFINITION) continue;
    const fields = document.definitions.flatMap((definition) =>
      (definition.kind === Kind.OBJECT_TYPE_DEFINITION || definition.kind === Kind.OBJECT_TYPE_EXTENSION) &&
      definition.name.value === 'Mutation'
        ? (definition.fields ?? [])
        : [],
    );
    commands.set(
      aggregate.name.value.slice(0, -'EventType'.length),
      fields.filter((field) => returnsCommandAccepted(field.type)).map((field) => field.name.value),
    );
  }
  return commands;
}

function returnsCommandAccepted(type: TypeNode): boolean {
  return type.kind === Kind.NON_NULL_TYPE
    ? returnsCommandAccepted(type.type)
    : type.kind === Kind.NAMED_TYPE && type.name.value === 'CommandAccepted';
}

/**
 * The subscription bound to an aggregate's commands. AppSync publishes a mutation's result to the
 * subscriptions whose @aws_subscribe names it; the subscription returns the mutations' type; its
 * arguments filter on the result's fields of the same name; a subscriber receives the fields the
 * mutation's caller selected, the others null (AWS AppSync Developer Guide, "Using subscriptions for
 * real-time data applications"). A mutation that ends in an error publishes nothing.
 */
function commandAnsweredSubscription(n: AggregateNames, commands: string[]): string {
  if (commands.length === 0) return '';
  return `
  """
  The answer to each command on this ${n.viewField} (${commands.join(', ')}), as its sender got it, at
  most once per answer. Bus delivery: every accepted command's PENDING. Direct delivery: its outcome,
  SAVED (with version) or REJECTED (with reason); the way to listen when ${n.savedSubscription} is
  silent (storedEventSubscribers 'none', infra/Aggregate.ts). A command refused with an error (a broken
  rule, a bad input) sends nothing. Subscribers get only the fields the sender's mutation selected:
  select version and reason there. commandId, when given, narrows it to one command.
  """
  ${n.commandAnsweredSubscription}(id: ID!, commandId: ID): CommandAccepted
    @aws_subscribe(mutations: [${commands.map((command) => `"${command}"`).join(', ')}])
    @aws_api_key
    @aws_iam
`;
}

/** The store's parts of one aggregate, as SDL; `commands`: its command mutations, which its onXCommandAnswered binds to. */
export function aggregateSchema(streamType: string, storeEventTypes: string[], commands: string[] = []): string {
  const n = aggregateNames(streamType);
  return `type Mutation {
  "Internal: appends one ${n.viewField} event to the event store. Called by the EventBridge rule only."
  ${n.saveMutation}(input: ${n.eventInput}!): ${n.savedType}! @aws_iam
  "Internal: tells ${n.savedSubscription} of one stored event, when ${n.viewField} commands are delivered 'direct'. Called by the EventBridge rule only."
  ${n.publishSavedMutation}(input: StoredEventOutcomeInput!): ${n.savedType}! @aws_iam
}

type Subscription {
  """
  Bus delivery: one terminal message per accepted command on this ${n.viewField}: SAVED, REJECTED or
  TIMED_OUT (repeats filtered out). Direct delivery: each stored event, SAVED, at least once, without
  the state (the command's sender has the outcome in the mutation's response); silent when the
  aggregate is deployed with storedEventSubscribers 'none' (listen on ${n.commandAnsweredSubscription}).
  """
  ${n.savedSubscription}(id: ID!): ${n.savedType}
    @aws_subscribe(mutations: ["${n.saveMutation}", "${n.publishSavedMutation}"])
    @aws_api_key
    @aws_iam
${commandAnsweredSubscription(n, commands)}}

type Query {
  "The ${n.viewField} folded from its stored events; null when no such stream exists."
  ${n.getQuery}(id: ID!): ${n.viewType} @aws_api_key @aws_iam
  "The stored events of one ${n.viewField}, oldest first, with their envelopes."
  ${n.historyQuery}(id: ID!): [${n.eventType}!]! @aws_api_key @aws_iam
}

type ${n.savedType} @aws_api_key @aws_iam {
  id: ID!
  commandId: ID!
  status: SaveStatus!
  "Set when SAVED: the stream version the event was stored at."
  version: Int
  "Set when REJECTED or TIMED_OUT."
  reason: String
  "The ${n.viewField} after the event, when SAVED."
  ${n.viewField}: ${n.viewType}
  """
  True when this answers a command that was already answered: its event
  delivered again, or its timeout arriving after it was stored. The same
  outcome as the first answer; subscribers are sent first answers only.
  """
  repeat: Boolean!
}

enum ${n.eventTypeEnum} {
${storeEventTypes.map((type) => `  ${type}`).join('\n')}
}

"One stored event with its envelope (CloudEvents names where they fit)."
type ${n.eventType} @aws_api_key @aws_iam {
  eventId: ID!
  type: ${n.eventTypeEnum}!
  aggregateId: ID!
  version: Int!
  occurredAt: AWSDateTime!
  commandId: ID!
  correlationId: ID!
  causationId: ID
  actor: String
  schemaVersion: Int!
  "The event's payload, as JSON."
  data: AWSJSON!
}

"What the EventBridge rule sends to ${n.saveMutation}: the event envelope, with the slot (version) it must be stored at."
input ${n.eventInput} {
  eventId: ID!
  type: ${n.eventTypeEnum}!
  aggregateId: ID!
  version: Int!
  occurredAt: AWSDateTime!
  commandId: ID!
  correlationId: ID!
  causationId: ID
  actor: String
  schemaVersion: Int!
  data: AWSJSON!
  "Set on every event at a multiple of the snapshot interval: { schemaVersion, state }, the state after the event, stored with it."
  snapshot: AWSJSON
  "Set when a Step Functions execution sent the command and waits (.waitForTaskToken): the store answers it with the outcome. Never stored."
  taskToken: String
}
`;
}

/** The whole generated file for the hand-written schema files. */
export function generateAggregatesSchema(files: string[] = sourceSchemaFiles()): string {
  const documents = files.map((file) => parse(readFileSync(file, 'utf8')));
  const storeEnum = documents
    .flatMap((document) => document.definitions)
    .find((definition) => definition.kind === Kind.ENUM_TYPE_DEFINITION && definition.name.value === 'StoreEventType');
  if (!storeEnum || storeEnum.kind !== Kind.ENUM_TYPE_DEFINITION)
    throw new Error('schema/eventStore.graphql must declare enum StoreEventType.');
  const storeEventTypes = (storeEnum.values ?? []).map((value) => value.name.value);
  const header = `# Generated by \`npm run codegen\` (scripts/codegen/aggregateSchema.ts) from schema/*.graphql. Do not edit.\n# The store's parts of each aggregate: ${aggregatesOf(documents).join(', ')}.\n`;
  const commands = commandMutationsOf(documents);
  return [
    header,
    ...aggregatesOf(documents).map((streamType) => aggregateSchema(streamType, storeEventTypes, commands.get(streamType) ?? [])),
  ].join('\n');
}
