/**
 * What a Lambda authorizer answers, checked as AppSync reads it ("AWS_LAMBDA authorization",
 * https://docs.aws.amazon.com/appsync/latest/devguide/security-authz.html#aws-lambda-authorization):
 * `isAuthorized` (required, a boolean), `resolverContext` (a JSON object, `ctx.identity.resolverContext`),
 * `deniedFields` (`Type.field` names or field ARNs, forced to null) and `ttlOverride` (seconds to cache the
 * answer, 0 for not at all). Anything else is not an answer AppSync can act on: the request is refused.
 */

export interface AuthorizerDecision {
  isAuthorized: boolean;
  resolverContext: Record<string, unknown>;
  deniedFields: string[];
  /** Seconds this answer may be reused for; undefined: the API's AuthorizerResultTtlInSeconds. */
  ttlOverride?: number;
}

export type CheckedAuthorizerResponse = { ok: true; decision: AuthorizerDecision } | { ok: false; problem: string };

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Check a function's answer.
 *
 * @example
 * checkAuthorizerResponse({ isAuthorized: true, resolverContext: { userId: 'u1' } });
 * // { ok: true, decision: { isAuthorized: true, resolverContext: { userId: 'u1' }, deniedFields: [] } }
 * checkAuthorizerResponse({ allowed: true }); // { ok: false, problem: 'isAuthorized must be true or false, …' }
 */
export function checkAuthorizerResponse(payload: unknown): CheckedAuthorizerResponse {
  if (!isObject(payload)) {
    return { ok: false, problem: `the answer must be a JSON object with isAuthorized, not ${JSON.stringify(payload) ?? 'undefined'}` };
  }
  if (typeof payload.isAuthorized !== 'boolean') {
    return { ok: false, problem: `isAuthorized must be true or false, not ${JSON.stringify(payload.isAuthorized) ?? 'undefined'}` };
  }
  const { resolverContext, deniedFields, ttlOverride } = payload;
  if (resolverContext !== undefined && resolverContext !== null && !isObject(resolverContext)) {
    return { ok: false, problem: 'resolverContext must be a JSON object (ctx.identity.resolverContext)' };
  }
  if (
    deniedFields !== undefined &&
    deniedFields !== null &&
    !(Array.isArray(deniedFields) && deniedFields.every((field) => typeof field === 'string'))
  ) {
    return { ok: false, problem: 'deniedFields must be a list of "Type.field" names or field ARNs' };
  }
  if (ttlOverride !== undefined && ttlOverride !== null && !(typeof ttlOverride === 'number' && ttlOverride >= 0)) {
    return { ok: false, problem: 'ttlOverride must be a number of seconds, 0 or more' };
  }
  return {
    ok: true,
    decision: {
      isAuthorized: payload.isAuthorized,
      resolverContext: (resolverContext as Record<string, unknown> | null | undefined) ?? {},
      deniedFields: (deniedFields as string[] | null | undefined) ?? [],
      ...(typeof ttlOverride === 'number' ? { ttlOverride } : {}),
    },
  };
}
