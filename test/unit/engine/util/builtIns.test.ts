// Top-level functions of "Built-in utilities"
// (https://docs.aws.amazon.com/appsync/latest/devguide/built-in-util-js.html): encoding, matching,
// authType. The page describes them without example outputs; Java's rules (URLEncoder, Pattern)
// are the reference it names.
import { describe, expect, it } from 'vitest';
import { makeUtil } from './utilFixture.ts';

const { util } = makeUtil();

describe('util.urlEncode / urlDecode (application/x-www-form-urlencoded)', () => {
  it.each([
    { text: 'hello world', encoded: 'hello+world' },
    { text: 'a&b=c/d?e', encoded: 'a%26b%3Dc%2Fd%3Fe' },
    { text: "~!'()", encoded: '%7E%21%27%28%29' },
    { text: '.-*_', encoded: '.-*_' },
    { text: 'é€😀', encoded: '%C3%A9%E2%82%AC%F0%9F%98%80' },
    { text: '', encoded: '' },
  ])('$text ⇄ $encoded', ({ text, encoded }) => {
    expect(util.urlEncode(text)).toBe(encoded);
    expect(util.urlDecode(encoded)).toBe(text);
  });

  it('decodes %20 as well as +', () => {
    expect(util.urlDecode('a%20b+c')).toBe('a b c');
  });

  it('throws on a malformed escape, as Java does', () => {
    expect(() => util.urlDecode('%E0%A4%A')).toThrow();
  });
});

describe('util.base64Encode / base64Decode (UTF-8)', () => {
  it.each([
    { text: 'hello', encoded: 'aGVsbG8=' },
    { text: 'é€', encoded: 'w6nigqw=' },
    { text: '', encoded: '' },
  ])('$text ⇄ $encoded', ({ text, encoded }) => {
    expect(util.base64Encode(text)).toBe(encoded);
    expect(util.base64Decode(encoded)).toBe(text);
  });
});

describe('util.escapeJavaScript', () => {
  it.each([
    { text: 'He said "hi"', escaped: 'He said \\"hi\\"' },
    { text: "it's", escaped: "it\\'s" },
    { text: 'a\\b', escaped: 'a\\\\b' },
    { text: '</script>', escaped: '<\\/script>' },
    { text: 'line\nnext\ttab\r', escaped: 'line\\nnext\\ttab\\r' },
    { text: '\u0001é', escaped: '\\u0001\\u00E9' },
    { text: 'plain', escaped: 'plain' },
  ])('$text', ({ text, escaped }) => {
    expect(util.escapeJavaScript(text)).toBe(escaped);
  });
});

describe('util.matches (whole-value match, as java.util.regex.Pattern.matches)', () => {
  it.each([
    { pattern: 'a*b', value: 'aaaaab', matched: true }, // AWS's example
    { pattern: 'a*b', value: 'aaaaabc', matched: false },
    { pattern: 'b', value: 'abc', matched: false },
    { pattern: '[0-9]{3}-[0-9]{4}', value: '555-1234', matched: true },
    { pattern: 'x|y', value: 'y', matched: true },
  ])('$pattern on $value is $matched', ({ pattern, value, matched }) => {
    expect(util.matches(pattern, value)).toBe(matched);
  });
});

describe('util.authType', () => {
  // Identity shapes from "Resolver context object reference"; outcomes as recorded from AppSync
  // (localstack/appsync-utils __tests__/__snapshots__/authType.test.js.snap).
  const iam = {
    accountId: '1',
    cognitoIdentityPoolId: null,
    cognitoIdentityId: null,
    sourceIp: ['1.2.3.4'],
    username: 'AIDA',
    userArn: 'arn:aws:iam::1:user/x',
  };
  const userPool = { sub: 's', issuer: 'i', username: 'u', claims: {}, sourceIp: ['1.2.3.4'], defaultAuthStrategy: 'ALLOW', groups: null };
  const oidc = { sub: 's', issuer: 'i', claims: {} };

  it.each([
    { name: 'no identity (API key)', identity: null, authType: 'API Key Authorization' },
    { name: 'an identity left unset', identity: undefined, authType: 'API Key Authorization' },
    { name: 'an IAM identity', identity: iam, authType: 'IAM Authorization' },
    { name: 'a user pool identity', identity: userPool, authType: 'User Pool Authorization' },
    { name: 'an OIDC identity', identity: oidc, authType: 'Open ID Connect Authorization' },
    { name: 'a Lambda authorizer identity', identity: { resolverContext: { tenant: 'a' } }, authType: 'Lambda Authorization' },
    { name: 'an empty identity (Lambda authorizer returning nothing)', identity: {}, authType: 'Lambda Authorization' },
    { name: 'an IAM identity without userArn', identity: { ...iam, userArn: undefined }, authType: 'API Key Authorization' },
    {
      name: 'a user pool identity without defaultAuthStrategy',
      identity: { ...userPool, defaultAuthStrategy: undefined },
      authType: 'API Key Authorization',
    },
    { name: 'an identity holding only claims', identity: { claims: {} }, authType: 'API Key Authorization' },
  ])('$name → $authType', ({ identity, authType }) => {
    const { util: utilForIdentity } = makeUtil({}, { identity });
    expect(utilForIdentity.authType()).toBe(authType);
  });

  it('reads the identity of the evaluation in progress, not the one at creation', () => {
    const { util: sharedUtil, state } = makeUtil();
    expect(sharedUtil.authType()).toBe('API Key Authorization');
    state.identity = { resolverContext: {} };
    expect(sharedUtil.authType()).toBe('Lambda Authorization');
  });
});

describe('what util does not have', () => {
  it('has no VTL-only helpers unless asked: APPSYNC_JS on AWS does not define them', () => {
    expect(util.isNull).toBeUndefined();
    expect(util.typeOf).toBeUndefined();
    expect('parseJson' in util).toBe(false);
  });
});
