/**
 * A Lambda authorizer's `deniedFields`: "fields which are forcibly changed to null, even if a value was returned
 * from a resolver", each named `TypeName.FieldName` or by its field ARN
 * `arn:aws:appsync:<region>:<account>:apis/<apiId>/types/<TypeName>/fields/<FieldName>` ("AWS_LAMBDA
 * authorization", https://docs.aws.amazon.com/appsync/latest/devguide/security-authz.html#aws-lambda-authorization).
 * Each denied field is answered null with the error AppSync gives a field its caller may not use
 * (`Unauthorized`, "Not Authorized to access <field> on type <Type>"), at any depth; its resolver does not run,
 * so a denied mutation changes nothing.
 */
import { defaultFieldResolver, isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { appSyncFieldArn } from '../iamPolicy.ts';
import type { RequestAuth } from './authorization.ts';

/** Rendered by toAppSyncGraphQLError with its errorType, as the simulator's own Unauthorized error is. */
class DeniedFieldError extends Error {
  readonly errorType = 'Unauthorized';
}

/** Whether `auth`'s authorizer denied `typeName.fieldName` (by name or by ARN). */
export function isDeniedField(auth: RequestAuth, apiArn: string, typeName: string, fieldName: string): boolean {
  const denied = auth.deniedFields;
  return denied !== undefined && (denied.has(`${typeName}.${fieldName}`) || denied.has(appSyncFieldArn(apiArn, typeName, fieldName)));
}

/** Make every field of `schema` answer its caller's denied fields with null and an Unauthorized error. */
export function refuseDeniedFields(schema: GraphQLSchema, apiArn: string): void {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const resolve: GraphQLFieldResolver<unknown, { auth?: RequestAuth }> = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args, context: { auth?: RequestAuth } | undefined, info) => {
        // Most requests have no denied fields: one property read.
        if (context?.auth?.deniedFields && isDeniedField(context.auth, apiArn, type.name, field.name)) {
          throw new DeniedFieldError(`Not Authorized to access ${field.name} on type ${type.name}`);
        }
        return resolve(source, args, context ?? {}, info);
      };
    }
  }
}
