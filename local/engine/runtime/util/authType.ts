/**
 * `util.authType()` ("Built-in utilities": https://docs.aws.amazon.com/appsync/latest/devguide/built-in-util-js.html):
 * "IAM Authorization", "User Pool Authorization", "Open ID Connect Authorization" or "API Key
 * Authorization" (AWS's list), plus "Lambda Authorization" for a Lambda authorizer.
 *
 * AppSync knows the mode; here it is read from the shape of `ctx.identity`, the only thing a
 * resolver sees. The rules follow the identity shapes documented in the resolver context reference
 * and outputs recorded from AppSync by localstack/appsync-utils (`__tests__/authType.test.js`): an
 * identity that matches no mode exactly is reported as an API key, as AppSync does.
 */
import { isPlainObject } from './dynamodb.ts';

export type AuthType =
  'API Key Authorization' | 'IAM Authorization' | 'User Pool Authorization' | 'Open ID Connect Authorization' | 'Lambda Authorization';

function hasValue(identity: Record<string, unknown>, key: string): boolean {
  return identity[key] !== undefined && identity[key] !== null;
}

/**
 * The authorization mode of a request, from its identity.
 *
 * @example authTypeOf({ resolverContext: { tenant: 'a' } }) // "Lambda Authorization"
 */
export function authTypeOf(identity: unknown): AuthType {
  if (!isPlainObject(identity)) return 'API Key Authorization';
  // A Lambda authorizer's identity holds only what the function returned (possibly nothing).
  if (hasValue(identity, 'resolverContext') || Object.keys(identity).length === 0) return 'Lambda Authorization';
  if (hasValue(identity, 'userArn') && Array.isArray(identity.sourceIp)) return 'IAM Authorization';
  const hasOidcClaims = hasValue(identity, 'sub') && hasValue(identity, 'issuer') && hasValue(identity, 'claims');
  if (hasOidcClaims && hasValue(identity, 'username')) {
    const complete = Array.isArray(identity.sourceIp) && hasValue(identity, 'defaultAuthStrategy');
    return complete ? 'User Pool Authorization' : 'API Key Authorization';
  }
  if (hasOidcClaims) return 'Open ID Connect Authorization';
  return 'API Key Authorization';
}
