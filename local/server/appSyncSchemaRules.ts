/**
 * Schema validation as AppSync applies it, where graphql-js is stricter: AppSync accepts an object
 * type without fields (`type Query` with no braces: aws/aws-appsync-community#345 deploys it, AWS's own
 * schema-merging blog writes it, and bboure/serverless-eda-graphql-api serves on AWS with it), which
 * graphql-js refuses on every request ("Type Query must define one or more fields."). Every other
 * refusal is kept and reported at start, in AppSync's words where recorded, instead of failing each
 * request with an internal error.
 *
 * @example
 * acceptSchemaAsAppSync(simulator.schema, 'orders-api'); // throws if AppSync would refuse the schema
 */
import { validateSchema, type GraphQLError, type GraphQLSchema } from 'graphql';

/** graphql-js rules AppSync does not apply. */
const NOT_APPLIED_BY_APPSYNC = [/^Type \S+ must define one or more fields\.$/];

/** graphql-js's words → AppSync's, where AppSync's answer is recorded (aws/aws-appsync-community#345). */
const APPSYNC_WORDS: [RegExp, string][] = [
  [
    /^Query root type must be provided\.$/,
    'There is no top level schema object defined. (AppSync needs a Query type, even one without fields: `type Query`.)',
  ],
];

export function acceptSchemaAsAppSync(schema: GraphQLSchema, apiName: string): void {
  const refusals = validateSchema(schema).filter((error) => !NOT_APPLIED_BY_APPSYNC.some((rule) => rule.test(error.message)));
  if (refusals.length > 0) {
    const messages = refusals.map((error) => APPSYNC_WORDS.find(([pattern]) => pattern.test(error.message))?.[1] ?? error.message);
    throw new Error(`The schema of AppSync API ${apiName} is not valid:\n  - ${messages.join('\n  - ')}`);
  }
  // graphql-js keeps the outcome of validateSchema on the schema and every validate() and execute() reads
  // it from there (graphql@15: `__validationErrors`): store the outcome AppSync's rules give.
  (schema as unknown as { __validationErrors: readonly GraphQLError[] }).__validationErrors = [];
}
