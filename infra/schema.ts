/**
 * The GraphQL schema AppSync receives: every `schema/*.graphql` file except
 * `appsync.graphql` (AppSync's own scalars and directives, for tools only),
 * and the generated `schema/generated/*.graphql` (the aggregates' store parts),
 * merged into one document. Also checks, at synth, that resolvers and schema
 * agree: every resolver file names a schema field, and every field has a resolver.
 */
import { mergeTypeDefs } from '@graphql-tools/merge';
import { buildSchema, getNamedType, isObjectType, print, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from './appsyncCode';

const SCHEMA_DIR = path.join(PROJECT_ROOT, 'schema');
const GENERATED_DIR = path.join(SCHEMA_DIR, 'generated');
const RESOLVER_DIR = path.join(PROJECT_ROOT, 'resolvers');
const APPSYNC_DEFINITIONS = 'appsync.graphql';

export interface SchemaOptions {
  /** Adds `@aws_cognito_user_pools` wherever `@aws_api_key` stands, for APIs with a user pool. */
  cognitoUserPools?: boolean;
}

/** The merged SDL that AppSync receives. */
export function appSyncSchemaDefinition(options: SchemaOptions = {}): string {
  const graphqlFiles = (dir: string): string[] =>
    readdirSync(dir)
      .filter((file) => file.endsWith('.graphql') && file !== APPSYNC_DEFINITIONS)
      .sort()
      .map((file) => path.join(dir, file));
  const files = [...graphqlFiles(SCHEMA_DIR), ...graphqlFiles(GENERATED_DIR)];
  const merged = print(mergeTypeDefs(files.map((file) => readFileSync(file, 'utf8'))));
  return options.cognitoUserPools ? merged.replaceAll('@aws_api_key', '@aws_api_key @aws_cognito_user_pools') : merged;
}

const builtSchemas = new Map<string, GraphQLSchema>();

/** The schema as graphql-js sees it, AppSync's scalars and directives included. */
export function buildAppSyncSchema(definition = appSyncSchemaDefinition()): GraphQLSchema {
  const cached = builtSchemas.get(definition);
  if (cached) return cached;
  const appsync = readFileSync(path.join(SCHEMA_DIR, APPSYNC_DEFINITIONS), 'utf8');
  const schema = buildSchema(`${appsync}\n${definition}`);
  builtSchemas.set(definition, schema);
  return schema;
}

/** Every field of `type`, objects' fields nested (one level per object type, no cycles): a selection set. */
function selectionOf(type: GraphQLObjectType, seen: Set<string> = new Set([type.name])): string {
  const fields = Object.values(type.getFields()).map((field) => {
    const named = getNamedType(field.type);
    if (!isObjectType(named)) return field.name;
    if (seen.has(named.name)) return null;
    return `${field.name} { ${selectionOf(named, new Set([...seen, named.name]))} }`;
  });
  return fields.filter((field) => field !== null).join(' ');
}

/**
 * A whole operation on one root field with one `$input` argument, selecting every field of its
 * result (what a rule target sends, and so what subscribers of that mutation receive).
 * @example operationSelection(schema, 'mutation', 'saveReservationEvent', 'ReservationEventInput!')
 */
export function operationSelection(schema: GraphQLSchema, operation: 'mutation' | 'query', field: string, inputType: string): string {
  const root = operation === 'mutation' ? schema.getMutationType() : schema.getQueryType();
  const definition = root?.getFields()[field];
  if (!definition) throw new Error(`The schema has no ${operation} field ${field}.`);
  const result = getNamedType(definition.type);
  const selection = isObjectType(result) ? ` {\n    ${selectionOf(result)}\n  }` : '';
  const name = `${field.charAt(0).toUpperCase()}${field.slice(1)}`;
  return `${operation} ${name}($input: ${inputType}) {\n  ${field}(input: $input)${selection}\n}`;
}

/** `Type.field` of every root field: queries, mutations and subscriptions. */
export function rootFields(schema: GraphQLSchema): string[] {
  const fields: string[] = [];
  for (const root of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]) {
    if (!root || !isObjectType(root)) continue;
    for (const field of Object.values(root.getFields())) fields.push(`${root.name}.${field.name}`);
  }
  return fields.sort();
}

/** `Type.field` of every root field that needs a resolver (a subscription bound by @aws_subscribe may have one, needs none). */
export function fieldsNeedingResolvers(schema: GraphQLSchema): string[] {
  const subscription = schema.getSubscriptionType();
  const subscribed = new Set(
    Object.values(subscription?.getFields() ?? {})
      .filter((field) => field.astNode?.directives?.some((directive) => directive.name.value === 'aws_subscribe'))
      .map((field) => `${subscription!.name}.${field.name}`),
  );
  return rootFields(schema).filter((field) => !subscribed.has(field));
}

/** `Type.field` named by each file in resolvers/. */
export function resolverFiles(): string[] {
  return readdirSync(RESOLVER_DIR)
    .filter((file) => file.endsWith('.ts'))
    .map((file) => file.slice(0, -'.ts'.length))
    .sort();
}

/** A resolver a construct attached: its field, and whether its code is the field's own file in resolvers/ or a generic one. */
export interface AttachedResolver {
  field: string;
  generic: boolean;
}

/**
 * Fails synth when the resolvers attached, the files in resolvers/ and the
 * schema's fields disagree, naming every mismatch. A field is resolved either
 * by its own file `resolvers/<Type.field>.ts` (commands) or by a generic
 * resolver an Aggregate attaches (save/get/history/subscription), never both.
 */
export function assertResolversMatchSchema(schema: GraphQLSchema, attached: AttachedResolver[]): void {
  const fields = new Set(rootFields(schema));
  const needed = new Set(fieldsNeedingResolvers(schema));
  const files = new Set(resolverFiles());
  const wired = new Set(attached.map((resolver) => resolver.field));
  const generic = new Set(attached.filter((resolver) => resolver.generic).map((resolver) => resolver.field));
  const problems = [
    ...[...files].filter((name) => !fields.has(name)).map((name) => `resolvers/${name}.ts names a field the schema lacks`),
    ...[...files]
      .filter((name) => fields.has(name) && !wired.has(name))
      .map((name) => `resolvers/${name}.ts is not attached to the API by any construct`),
    ...[...files]
      .filter((name) => generic.has(name))
      .map((name) => `resolvers/${name}.ts is shadowed: ${name} gets a generic resolver from its aggregate; delete the file`),
    ...[...wired].filter((name) => !fields.has(name)).map((name) => `${name} is attached, but the schema lacks it`),
    ...[...needed]
      .filter((name) => !wired.has(name) && !files.has(name))
      .map((name) => `${name} has no file resolvers/${name}.ts and no generic resolver`),
    ...[...needed]
      .filter((name) => !wired.has(name) && files.has(name))
      .map((name) => `${name} is not attached to the API by any construct`),
  ];
  if (problems.length > 0) {
    throw new Error(`Resolvers and schema disagree:\n- ${problems.join('\n- ')}`);
  }
}
