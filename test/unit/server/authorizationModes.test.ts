/**
 * Which mode takes a request when an API has AWS_LAMBDA beside other modes, as AppSync decides it: an
 * `x-api-key` is API_KEY's, a SigV4 signature IAM's (with AWS_IAM on), a JWT or `Bearer` token Cognito's or
 * OIDC's (with either on); every other `Authorization` token goes to the Lambda authorizer
 * ("Circumventing SigV4 and OIDC token authorization limitations",
 * https://docs.aws.amazon.com/appsync/latest/devguide/security-authz.html; aws-amplify/amplify-js#9513).
 */
import { describe, expect, it } from 'vitest';
import { LocalUserPool } from '../../../local/auth/userPoolTokens.ts';
import { authenticate, type ApiAuthConfig } from '../../../local/server/authorization.ts';
import { LambdaAuthorizer } from '../../../local/server/lambdaAuthorizer/lambdaAuthorizer.ts';
import type { AuthenticationType } from '../../../local/template/cloudAssembly.ts';

function configWith(modes: AuthenticationType[]) {
  const tokens: string[] = [];
  const lambdaAuthorizer = new LambdaAuthorizer(
    { functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:auth', resultTtlSeconds: 0, invokePermitted: true },
    {
      apiId: 'api1',
      accountId: '123456789012',
      timeoutMs: 1000,
      invoke: (_arn, event) => {
        tokens.push((event as { authorizationToken: string }).authorizationToken);
        return Promise.resolve({ payload: { isAuthorized: true, resolverContext: { via: 'lambda' } } });
      },
    },
  );
  const userPool = new LocalUserPool({ region: 'us-east-1', userPoolId: 'us-east-1_local' });
  const config: ApiAuthConfig = { modes, apiKey: 'da2-key', accountId: '123456789012', lambdaAuthorizer, userPool };
  return { config, tokens, userPool };
}

describe('a request on an API with a Lambda authorizer', () => {
  it('with an x-api-key is API_KEY’s, the authorizer not called', async () => {
    const { config, tokens } = configWith(['AWS_LAMBDA', 'API_KEY']);
    expect(await authenticate({ 'x-api-key': 'da2-key', authorization: 'tok' }, config)).toMatchObject({ mode: 'API_KEY' });
    expect(tokens).toEqual([]);
  });

  it('with any other Authorization token is the authorizer’s: ctx.identity is { resolverContext }', async () => {
    const { config, tokens } = configWith(['AWS_LAMBDA', 'API_KEY']);
    expect(await authenticate({ Authorization: 'custom-token' }, config)).toEqual({
      mode: 'AWS_LAMBDA',
      identity: { resolverContext: { via: 'lambda' } },
    });
    expect(tokens).toEqual(['custom-token']);
  });

  it('with a JWT is Cognito’s when the API has AMAZON_COGNITO_USER_POOLS, and the authorizer’s when it has not', async () => {
    const withPool = configWith(['AWS_LAMBDA', 'AMAZON_COGNITO_USER_POOLS']);
    const jwt = withPool.userPool.issueToken({ sub: 'u1', username: 'ada' });
    expect(await authenticate({ authorization: jwt }, withPool.config)).toMatchObject({ mode: 'AMAZON_COGNITO_USER_POOLS' });
    await expect(authenticate({ authorization: `Bearer ${jwt}` }, withPool.config)).resolves.toMatchObject({
      mode: 'AMAZON_COGNITO_USER_POOLS',
    });
    expect(withPool.tokens).toEqual([]);

    const lambdaOnly = configWith(['AWS_LAMBDA']);
    expect(await authenticate({ authorization: jwt }, lambdaOnly.config)).toMatchObject({ mode: 'AWS_LAMBDA' });
    expect(lambdaOnly.tokens).toEqual([jwt]);
  });

  it('with a SigV4 signature is IAM’s when the API has AWS_IAM (refused unsigned here), and the authorizer’s when it has not', async () => {
    const sigV4 = 'AWS4-HMAC-SHA256 Credential=AKIA/20260101/us-east-1/appsync/aws4_request, SignedHeaders=host, Signature=00';
    const withIam = configWith(['AWS_LAMBDA', 'AWS_IAM']);
    await expect(authenticate({ authorization: sigV4 }, withIam.config)).rejects.toMatchObject({
      errorType: 'UnrecognizedClientException',
    });
    expect(withIam.tokens).toEqual([]);

    const lambdaOnly = configWith(['AWS_LAMBDA']);
    expect(await authenticate({ authorization: sigV4 }, lambdaOnly.config)).toMatchObject({ mode: 'AWS_LAMBDA' });
  });

  it('without an Authorization header is refused before the authorizer', async () => {
    const { config, tokens } = configWith(['AWS_LAMBDA']);
    await expect(authenticate({}, config)).rejects.toMatchObject({ status: 401, message: 'Valid authorization header not provided.' });
    expect(tokens).toEqual([]);
  });
});
