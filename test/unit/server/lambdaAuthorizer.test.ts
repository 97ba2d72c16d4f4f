/**
 * The pure parts of AWS_LAMBDA authorization: the function's answer checked as AppSync reads it, answers kept per
 * token for their TTL, the authorizer's decisions around the function (validation expression, cache, resource
 * policy), and the template's LambdaAuthorizerConfig read from the fixture app's synthesized template
 * ("AWS_LAMBDA authorization": https://docs.aws.amazon.com/appsync/latest/devguide/security-authz.html#aws-lambda-authorization;
 * LambdaAuthorizerConfig: https://docs.aws.amazon.com/appsync/latest/APIReference/API_LambdaAuthorizerConfig.html).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkAuthorizerResponse } from '../../../local/server/lambdaAuthorizer/authorizerResponse.ts';
import { AuthorizerResultCache } from '../../../local/server/lambdaAuthorizer/authorizerResultCache.ts';
import { LambdaAuthorizer, type AuthorizerInvoke } from '../../../local/server/lambdaAuthorizer/lambdaAuthorizer.ts';
import { readStackTemplate } from '../../../local/template/cloudAssembly.ts';
import type { LambdaAuthorizerModel } from '../../../local/template/lambdaAuthorizerConfig.ts';

const TEMPLATE = 'test/fixtures/lambdaAuthorizerApp/assembly/LambdaAuthorizerApp.template.json';
const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:LambdaAuthorizerApp-AuthorizerBD825682';

describe('the function’s answer', () => {
  it('takes isAuthorized, resolverContext, deniedFields and ttlOverride', () => {
    expect(
      checkAuthorizerResponse({ isAuthorized: true, resolverContext: { userId: 'u1' }, deniedFields: ['Query.secret'], ttlOverride: 0 }),
    ).toEqual({
      ok: true,
      decision: { isAuthorized: true, resolverContext: { userId: 'u1' }, deniedFields: ['Query.secret'], ttlOverride: 0 },
    });
  });

  it('defaults resolverContext to {} and deniedFields to none, and leaves the TTL to the API', () => {
    expect(checkAuthorizerResponse({ isAuthorized: false })).toEqual({
      ok: true,
      decision: { isAuthorized: false, resolverContext: {}, deniedFields: [] },
    });
  });

  it.each([
    [null, 'JSON object'],
    [{ allowed: true }, 'isAuthorized must be true or false'],
    [{ isAuthorized: 'true' }, 'isAuthorized must be true or false'],
    [{ isAuthorized: true, resolverContext: 'ada' }, 'resolverContext must be a JSON object'],
    [{ isAuthorized: true, deniedFields: 'Query.secret' }, 'deniedFields must be a list'],
    [{ isAuthorized: true, ttlOverride: -1 }, 'ttlOverride must be a number of seconds'],
  ])('refuses %j, saying what is wrong', (payload, problem) => {
    const checked = checkAuthorizerResponse(payload);
    expect(checked.ok).toBe(false);
    expect(!checked.ok && checked.problem).toContain(problem);
  });
});

describe('answers kept per token', () => {
  it('keeps an answer for its TTL, then forgets it', () => {
    let now = 0;
    const cache = new AuthorizerResultCache<string>(() => now);
    cache.put('t', 'yes', 300);
    now = 299_999;
    expect(cache.get('t')).toBe('yes');
    now = 300_000;
    expect(cache.get('t')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('keeps nothing for a TTL of 0, and forgets an earlier answer for that token', () => {
    const cache = new AuthorizerResultCache<string>(() => 0);
    cache.put('t', 'old', 300);
    cache.put('t', 'new', 0);
    expect(cache.get('t')).toBeUndefined();
  });
});

describe('the authorizer around its function', () => {
  const model: LambdaAuthorizerModel = { functionArn: FUNCTION_ARN, resultTtlSeconds: 300, invokePermitted: true };
  const recording = (answer: unknown) => {
    const events: unknown[] = [];
    const invoke: AuthorizerInvoke = (_arn, event) => {
      events.push(event);
      return Promise.resolve({ payload: answer });
    };
    return { events, invoke };
  };
  const request = (token: string) => ({
    token,
    headers: { authorization: token },
    operation: () => Promise.resolve({ queryString: 'query Q { a }', operationName: 'Q', variables: { v: 1 } }),
  });
  const options = { apiId: 'api1', accountId: '123456789012', timeoutMs: 1000 };

  it('sends the token, the requestContext and the request headers', async () => {
    const { events, invoke } = recording({ isAuthorized: true, resolverContext: { u: 1 } });
    const outcome = await new LambdaAuthorizer(model, { ...options, invoke }).authorize(request('tok'));
    expect(outcome).toEqual({ ok: true, resolverContext: { u: 1 }, deniedFields: new Set() });
    expect(events).toEqual([
      {
        authorizationToken: 'tok',
        requestContext: {
          apiId: 'api1',
          accountId: '123456789012',
          requestId: expect.any(String),
          queryString: 'query Q { a }',
          operationName: 'Q',
          variables: { v: 1 },
        },
        requestHeaders: { authorization: 'tok' },
      },
    ]);
  });

  it('calls the function once per token within the TTL, and again after it', async () => {
    let now = 0;
    const { events, invoke } = recording({ isAuthorized: true });
    const authorizer = new LambdaAuthorizer(model, { ...options, invoke, now: () => now });
    await authorizer.authorize(request('a'));
    await authorizer.authorize(request('a'));
    await authorizer.authorize(request('b'));
    now = 300_000;
    await authorizer.authorize(request('a'));
    expect(events).toHaveLength(3);
  });

  it('keeps a refusal too, for its TTL (the answer, not only a grant, is cached)', async () => {
    const { events, invoke } = recording({ isAuthorized: false });
    const authorizer = new LambdaAuthorizer(model, { ...options, invoke });
    expect(await authorizer.authorize(request('x'))).toMatchObject({ ok: false, status: 401, errorType: 'UnauthorizedException' });
    await authorizer.authorize(request('x'));
    expect(events).toHaveLength(1);
  });

  it('matches the whole token against IdentityValidationExpression before calling the function', async () => {
    const { events, invoke } = recording({ isAuthorized: true });
    const authorizer = new LambdaAuthorizer({ ...model, identityValidationExpression: 'allow-[a-z]+' }, { ...options, invoke });
    expect(await authorizer.authorize(request('xallow-ada'))).toMatchObject({ ok: false, status: 401 });
    expect(await authorizer.authorize(request('allow-ada'))).toMatchObject({ ok: true });
    expect(events).toHaveLength(1);
  });

  it('refuses at construction an IdentityValidationExpression that is no regular expression', () => {
    expect(() => new LambdaAuthorizer({ ...model, identityValidationExpression: '(' }, { ...options, ...recording({}) })).toThrow(
      'is not a regular expression',
    );
  });

  it('without a resource policy for AppSync, answers BadRequestException (400) and never calls the function (aws/aws-cdk#19239)', async () => {
    const { events, invoke } = recording({ isAuthorized: true });
    const outcome = await new LambdaAuthorizer({ ...model, invokePermitted: false }, { ...options, invoke }).authorize(request('tok'));
    expect(outcome).toMatchObject({ ok: false, status: 400, errorType: 'BadRequestException' });
    expect(!outcome.ok && outcome.message).toContain('appsync.amazonaws.com');
    expect(events).toEqual([]);
  });
});

describe('LambdaAuthorizerConfig in the template', () => {
  const template = () =>
    JSON.parse(readFileSync(TEMPLATE, 'utf8')) as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };

  it('reads the function (Fn::GetAtt resolved to the local ARN), the TTL, the expression and CDK’s permission for AppSync', () => {
    const [api] = readStackTemplate(template(), 'LambdaAuthorizerApp').apis;
    expect(api!.defaultAuthentication).toBe('AWS_LAMBDA');
    expect(api!.additionalAuthentications).toEqual(['API_KEY']);
    expect(api!.lambdaAuthorizer).toEqual({
      functionArn: FUNCTION_ARN,
      resultTtlSeconds: 300,
      identityValidationExpression: '(allow|slow|boom|malformed|deny)-?.*',
      invokePermitted: true,
    });
  });

  it('without AWS::Lambda::Permission, AppSync may not invoke it; an unset TTL is 0 (no caching)', () => {
    const edited = template();
    for (const [id, resource] of Object.entries(edited.Resources)) {
      if (resource.Type === 'AWS::Lambda::Permission') delete edited.Resources[id];
      if (resource.Type === 'AWS::AppSync::GraphQLApi')
        delete (resource.Properties.LambdaAuthorizerConfig as Record<string, unknown>).AuthorizerResultTtlInSeconds;
    }
    const [api] = readStackTemplate(edited, 'LambdaAuthorizerApp').apis;
    expect(api!.lambdaAuthorizer).toMatchObject({ invokePermitted: false, resultTtlSeconds: 0 });
  });

  it('a permission scoped to another API (SourceArn) does not count', () => {
    const edited = template();
    for (const resource of Object.values(edited.Resources)) {
      if (resource.Type === 'AWS::Lambda::Permission') resource.Properties.SourceArn = 'arn:aws:appsync:us-east-1:123456789012:apis/other';
    }
    expect(readStackTemplate(edited, 'LambdaAuthorizerApp').apis[0]!.lambdaAuthorizer?.invokePermitted).toBe(false);
  });
});
