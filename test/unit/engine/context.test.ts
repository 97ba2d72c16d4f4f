import { describe, expect, it } from 'vitest';
import { createResolver, identityOf, loadCode, noneDataSource, type FieldCall } from '../../../local/engine/index.ts';

/** Resolve Query.whoAmI with a request handler that returns `expression` as the field's value. */
async function seen(expression: string, call: FieldCall): Promise<unknown> {
  const code = loadCode(
    `export function request(ctx) { return { payload: ${expression} } }\nexport function response(ctx) { return ctx.result }`,
  );
  const resolver = createResolver(
    { kind: 'UNIT', typeName: 'Query', fieldName: 'whoAmI', code, dataSource: 'NONE' },
    { NONE: noneDataSource },
  );
  const result = await resolver.resolve(call);
  expect(result.errors).toEqual([]);
  return result.data;
}

describe('ctx as AppSync builds it', () => {
  it('gives the arguments as both ctx.arguments and ctx.args, the same object', async () => {
    expect(await seen('{ args: ctx.args, same: ctx.args === ctx.arguments }', { arguments: { id: '1', input: { n: 2 } } })).toEqual({
      args: { id: '1', input: { n: 2 } },
      same: true,
    });
  });

  it('gives a null identity to API_KEY callers', async () => {
    expect(await seen('{ identity: ctx.identity }', { identity: identityOf({ authMode: 'API_KEY' }) })).toEqual({ identity: null });
  });

  it('gives IAM callers accountId, userArn, username, sourceIp and the Cognito identity pool fields', async () => {
    const identity = identityOf({
      authMode: 'AWS_IAM',
      accountId: '123456789012',
      userArn: 'arn:aws:sts::123456789012:assumed-role/events-to-appsync/x',
      username: 'AROAEXAMPLE:x',
      sourceIp: ['10.0.0.1'],
    });
    expect(await seen('ctx.identity', { identity })).toEqual({
      accountId: '123456789012',
      cognitoIdentityAuthProvider: null,
      cognitoIdentityAuthType: null,
      cognitoIdentityId: null,
      cognitoIdentityPoolId: null,
      sourceIp: ['10.0.0.1'],
      userArn: 'arn:aws:sts::123456789012:assumed-role/events-to-appsync/x',
      username: 'AROAEXAMPLE:x',
    });
  });

  it('gives Cognito user pool callers sub, issuer, username, claims, sourceIp, defaultAuthStrategy and groups from the token', async () => {
    const claims = {
      sub: 'u-1',
      iss: 'https://cognito-idp.eu-west-1.amazonaws.com/pool',
      'cognito:username': 'alice',
      'cognito:groups': ['admins'],
    };
    const identity = identityOf({ authMode: 'AMAZON_COGNITO_USER_POOLS', sub: 'u-1', issuer: claims.iss, username: 'alice', claims });
    expect(await seen('ctx.identity', { identity })).toEqual({
      sub: 'u-1',
      issuer: claims.iss,
      username: 'alice',
      claims,
      sourceIp: [],
      defaultAuthStrategy: 'ALLOW',
      groups: ['admins'],
    });
  });

  it('gives OIDC and Lambda-authorized callers their own identity shapes', () => {
    expect(identityOf({ authMode: 'OPENID_CONNECT', sub: 's', issuer: 'https://issuer' })).toEqual({
      sub: 's',
      issuer: 'https://issuer',
      claims: { sub: 's', iss: 'https://issuer' },
    });
    expect(identityOf({ authMode: 'AWS_LAMBDA', resolverContext: { tenant: 't1' } })).toEqual({ resolverContext: { tenant: 't1' } });
  });

  it('lets util.authType() tell the auth mode from the caller of this request', async () => {
    const iam = identityOf({ authMode: 'AWS_IAM', accountId: '1', userArn: 'arn:aws:iam::1:user/x', username: 'x' });
    expect(await seen('util.authType()', { identity: iam })).toBe('IAM Authorization');
    expect(await seen('util.authType()', { identity: null })).toBe('API Key Authorization');
  });

  it('gives request headers and domain name', async () => {
    expect(await seen('ctx.request', { request: { headers: { 'x-api-key': 'k', host: 'localhost:20002' }, domainName: null } })).toEqual({
      headers: { 'x-api-key': 'k', host: 'localhost:20002' },
      domainName: null,
    });
  });

  it('gives info: fieldName and parentTypeName from the resolver, variables and selection set from the call', async () => {
    expect(
      await seen('ctx.info', {
        info: { variables: { id: '1' }, selectionSetList: ['id', 'status'], selectionSetGraphQL: '{\n  id\n  status\n}' },
      }),
    ).toEqual({
      fieldName: 'whoAmI',
      parentTypeName: 'Query',
      variables: { id: '1' },
      selectionSetList: ['id', 'status'],
      selectionSetGraphQL: '{\n  id\n  status\n}',
    });
  });

  it('gives the parent object as ctx.source, null at the root', async () => {
    expect(await seen('{ root: ctx.source }', {})).toEqual({ root: null });
    expect(await seen('{ parent: ctx.source.id }', { source: { id: 'r-1' } })).toEqual({ parent: 'r-1' });
  });

  it('gives AppSync environment variables as ctx.env', async () => {
    expect(await seen('{ table: ctx.env.EVENT_TABLE }', { env: { EVENT_TABLE: 'events' } })).toEqual({ table: 'events' });
  });

  it('starts with an empty stash and no ctx.prev in a unit resolver', async () => {
    expect(await seen('{ stash: ctx.stash, prev: ctx.prev === undefined }', {})).toEqual({ stash: {}, prev: true });
  });
});
