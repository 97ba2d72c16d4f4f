/**
 * The GraphQL schema AppSync receives: every `schema/*.graphql` file except
 * `appsync.graphql` (AppSync's own scalars and directives, for tools only),
 * merged into one document. Also checks, at synth, that resolvers and schema
 * agree: every resolver file names a schema field, and every field has a resolver.
 */
import { mergeTypeDefs } from '@graphql-tools/merge';
import { buildSchema, isObjectType, print, type GraphQLSchema } from 'graphql';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from './appsyncCode';

const SCHEMA_DIR = path.join(PROJECT_ROOT, 'schema');
const RESOLVER_DIR = path.join(PROJECT_ROOT, 'resolvers');
const APPSYNC_DEFINITIONS = 'appsync.graphql';

export interface SchemaOptions {
  /** Adds `@aws_cognito_user_pools` wherever `@aws_api_key` stands, for APIs with a user pool. */
  cognitoUserPools?: boolean;
}

/** The merged SDL that AppSync receives. */
export function appSyncSchemaDefinition(options: SchemaOptions = {}): string {
  const files = readdirSync(SCHEMA_DIR)
    .filter((file) => file.endsWith('.graphql') && file !== APPSYNC_DEFINITIONS)
    .sort();
  const merged = print(mergeTypeDefs(files.map((file) => readFileSync(path.join(SCHEMA_DIR, file), 'utf8'))));
  return options.cognitoUserPools ? merged.replaceAll('@aws_api_key', '@aws_api_key @aws_cognito_user_pools') : merged;
}

/** The schema as graphql-js sees it, AppSync's scalars and directives included. */
export function buildAppSyncSchema(definition = appSyncSchemaDefinition()): GraphQLSchema {
  const appsync = readFileSync(path.join(SCHEMA_DIR, APPSYNC_DEFINITIONS), 'utf8');
  return buildSchema(`${appsync}\n${definition}`);
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

/**
 * Fails synth when the resolvers attached, the files in resolvers/ and the
 * schema's fields disagree, naming every mismatch.
 */
export function assertResolversMatchSchema(schema: GraphQLSchema, attached: string[]): void {
  const fields = new Set(rootFields(schema));
  const needed = new Set(fieldsNeedingResolvers(schema));
  const files = new Set(resolverFiles());
  const wired = new Set(attached);
  const problems = [
    ...[...files].filter((name) => !fields.has(name)).map((name) => `resolvers/${name}.ts names a field the schema lacks`),
    ...[...files].filter((name) => fields.has(name) && !needed.has(name) && !wired.has(name)).map((name) => `resolvers/${name}.ts is not attached to the API by any construct`),
    ...[...needed].filter((name) => !files.has(name)).map((name) => `${name} has no file resolvers/${name}.ts`),
    ...[...needed].filter((name) => files.has(name) && !wired.has(name)).map((name) => `${name} is not attached to the API by any construct`),
  ];
  if (problems.length > 0) {
    throw new Error(`Resolvers and schema disagree:\n- ${problems.join('\n- ')}`);
  }
}
