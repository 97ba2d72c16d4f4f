/**
 * SigV4 for the local AppSync endpoint: verification, and signing as a local role (`signAsRole`, for local-only
 * clients such as the GraphiQL page, which carry no AWS SDK). The signature of a request
 * is recomputed with `@smithy/signature-v4` (the SDK's own signer) from the
 * secret issued for its access key, over exactly the headers it says it signed,
 * and compared. Checks and wording follow AWS: an unknown key or session token
 * is `UnrecognizedClientException`; a date more than 15 minutes from the
 * server's clock, a scope for another region or service, or a signature that
 * does not match is `InvalidSignatureException` (both HTTP 403).
 *
 * @example
 * const result = await verifySigV4({ method: 'POST', path: '/graphql', headers, body }, { credentials, region: 'us-east-1' });
 * if (!result.ok) respond(result.status, { errors: [{ errorType: result.errorType, message: result.message }] });
 */
import { createHash, createHmac, timingSafeEqual, type BinaryLike } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { LocalCredentials, RoleCredentials } from './localCredentials.ts';

/** AWS refuses a signature whose date is further than this from its clock, either way. */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

export interface SignedRequest {
  method: string;
  /** The path as sent, without the query string. */
  path: string;
  query?: Record<string, string | string[]>;
  headers: Record<string, string | string[] | undefined>;
  body: string | Uint8Array;
}

export type SigV4Verification =
  | { ok: true; credentials: RoleCredentials }
  | {
      ok: false;
      status: 400 | 403;
      errorType: 'InvalidSignatureException' | 'UnrecognizedClientException' | 'IncompleteSignatureException';
      message: string;
    };

export interface SigV4Options {
  credentials: LocalCredentials;
  region: string;
  service?: string;
  /** The server's clock (tests move it). */
  now?: Date;
}

const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const INVALID_TOKEN = 'The security token included in the request is invalid.';

/** Whether a request carries a SigV4 Authorization header at all. */
export function isSigV4(authorization: string | undefined): boolean {
  return authorization !== undefined && /^AWS4-HMAC-SHA256(\s|$)/.test(authorization);
}

/** Verify a SigV4-signed request; never throws for a bad request, only answers how AWS would refuse it. */
export async function verifySigV4(request: SignedRequest, options: SigV4Options): Promise<SigV4Verification> {
  const service = options.service ?? 'appsync';
  const headers = lowerCased(request.headers);
  const authorization = headers.authorization ?? '';
  const fields = parseAuthorization(authorization);
  for (const name of ['Credential', 'SignedHeaders', 'Signature'] as const) {
    if (!fields[name]) return incomplete(`Authorization header requires '${name}' parameter. Authorization=${authorization}`);
  }
  const amzDate = headers['x-amz-date'];
  if (!amzDate) return incomplete("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  const signingDate = parseAmzDate(amzDate);
  if (!signingDate) return invalid(`Date must be in ISO-8601 'basic format'. Got '${amzDate}'. See http://en.wikipedia.org/wiki/ISO_8601`);

  const [accessKeyId = '', scopeDate, scopeRegion, scopeService, terminator, ...rest] = fields.Credential!.split('/');
  if (!scopeDate || !scopeRegion || !scopeService || terminator !== 'aws4_request' || rest.length > 0) {
    return incomplete(`Credential should be scoped to a valid region, not '${scopeRegion ?? ''}'. Credential=${fields.Credential}`);
  }
  const credentials = options.credentials.byAccessKeyId(accessKeyId);
  if (!credentials) return unrecognized();
  if (headers['x-amz-security-token'] !== credentials.sessionToken) return unrecognized();

  const now = options.now ?? new Date();
  if (signingDate.getTime() < now.getTime() - MAX_CLOCK_SKEW_MS) {
    return invalid(
      `Signature expired: ${amzDate} is now earlier than ${compact(new Date(now.getTime() - MAX_CLOCK_SKEW_MS))} (${compact(now)} - 15 min.)`,
    );
  }
  if (signingDate.getTime() > now.getTime() + MAX_CLOCK_SKEW_MS) {
    return invalid(
      `Signature not yet current: ${amzDate} is still later than ${compact(new Date(now.getTime() + MAX_CLOCK_SKEW_MS))} (${compact(now)} + 15 min.)`,
    );
  }
  if (scopeDate !== amzDate.slice(0, 8)) {
    return invalid(
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scopeDate}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`,
    );
  }
  if (scopeRegion !== options.region) return invalid(`Credential should be scoped to a valid region, not '${scopeRegion}'.`);
  if (scopeService !== service) return invalid(`Credential should be scoped to correct service: '${service}'.`);

  const signedHeaders = fields.SignedHeaders!.split(';').filter((name) => name.length > 0);
  if (!signedHeaders.includes('host')) return invalid("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  const toSign: Record<string, string> = {};
  for (const name of signedHeaders) {
    const value = headers[name];
    // A header named as signed but not sent cannot have been signed: the signature cannot match.
    if (value === undefined) return invalid(SIGNATURE_MISMATCH);
    toSign[name] = value;
  }
  // The signer trusts a declared payload hash; the server must not.
  const declaredHash = headers['x-amz-content-sha256'];
  if (
    declaredHash !== undefined &&
    declaredHash !== 'UNSIGNED-PAYLOAD' &&
    declaredHash !== createHash('sha256').update(request.body).digest('hex')
  ) {
    return invalid(SIGNATURE_MISMATCH);
  }

  const signer = new SignatureV4({
    credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
    region: options.region,
    service,
    sha256: NodeSha256,
    applyChecksum: false,
  });
  const expected = await signer.sign(
    {
      method: request.method.toUpperCase(),
      protocol: 'https:',
      hostname: toSign.host ?? 'localhost',
      path: request.path,
      query: request.query ?? {},
      headers: toSign,
      body: request.body,
    },
    { signingDate, signableHeaders: new Set(signedHeaders) },
  );
  const expectedSignature = /Signature=([0-9a-f]+)/.exec(String(expected.headers.authorization ?? ''))?.[1] ?? '';
  const given = fields.Signature!;
  if (expectedSignature.length !== given.length || !timingSafeEqual(Buffer.from(expectedSignature), Buffer.from(given))) {
    return invalid(SIGNATURE_MISMATCH);
  }
  return { ok: true, credentials };
}

export interface RequestToSign {
  method: string;
  /** The Host the request is sent with (`localhost:20002`): signed, as AWS requires. */
  host: string;
  path: string;
  /** Headers besides host to sign (the real-time handshake signs accept, content-encoding and content-type). */
  headers?: Record<string, string>;
  body: string;
}

/**
 * Sign a request as a local role, as an SDK client signs with the role's temporary credentials (no payload hash
 * header, as aws-amplify signs): returns the headers to send, `authorization`, `x-amz-date` and
 * `x-amz-security-token` included. The same signer and hash as verifySigV4, so what it signs verifies.
 *
 * @example
 * const headers = await signAsRole({ method: 'POST', host: 'localhost:20002', path: '/graphql', body }, credentials.forRole('StoreRole'), 'us-east-1');
 */
export async function signAsRole(
  request: RequestToSign,
  credentials: RoleCredentials,
  region: string,
  options: { service?: string; now?: Date } = {},
): Promise<Record<string, string>> {
  const signer = new SignatureV4({
    credentials: {
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      sessionToken: credentials.sessionToken,
    },
    region,
    service: options.service ?? 'appsync',
    sha256: NodeSha256,
    applyChecksum: false,
  });
  const signed = await signer.sign(
    {
      method: request.method.toUpperCase(),
      protocol: 'https:',
      hostname: request.host.replace(/:\d+$/, ''),
      path: request.path,
      query: {},
      headers: { ...request.headers, host: request.host },
      body: request.body,
    },
    options.now ? { signingDate: options.now } : {},
  );
  return Object.fromEntries(Object.entries(signed.headers).map(([name, value]) => [name, String(value)]));
}

function lowerCased(headers: Record<string, string | string[] | undefined>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(headers)) {
    if (value !== undefined) out[key.toLowerCase()] = Array.isArray(value) ? value.join(',') : String(value);
  }
  return out;
}

function parseAuthorization(authorization: string): Partial<Record<'Credential' | 'SignedHeaders' | 'Signature', string>> {
  const fields: Partial<Record<'Credential' | 'SignedHeaders' | 'Signature', string>> = {};
  for (const part of authorization.replace(/^AWS4-HMAC-SHA256\s*/, '').split(',')) {
    const [name, ...value] = part.trim().split('=');
    if (name === 'Credential' || name === 'SignedHeaders' || name === 'Signature') fields[name] = value.join('=').trim();
  }
  return fields;
}

/** `20260101T120000Z` → Date; undefined when malformed. */
function parseAmzDate(value: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second] = match.map(Number) as number[];
  const date = new Date(Date.UTC(year!, month! - 1, day!, hour!, minute!, second!));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function compact(date: Date): string {
  return date.toISOString().replace(/[-:]|\.\d{3}/g, '');
}

function invalid(message: string): SigV4Verification {
  return { ok: false, status: 403, errorType: 'InvalidSignatureException', message };
}

function incomplete(message: string): SigV4Verification {
  return { ok: false, status: 400, errorType: 'IncompleteSignatureException', message };
}

function unrecognized(): SigV4Verification {
  return { ok: false, status: 403, errorType: 'UnrecognizedClientException', message: INVALID_TOKEN };
}

/** The `Checksum` the smithy signer asks for (SHA-256, or HMAC-SHA256 with a secret), on node:crypto. */
class NodeSha256 {
  private hash: ReturnType<typeof createHash> | ReturnType<typeof createHmac>;

  constructor(private readonly secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = this.fresh();
  }

  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(toBinary(data));
  }

  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }

  reset(): void {
    this.hash = this.fresh();
  }

  private fresh() {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', toBinary(this.secret));
  }
}

function toBinary(data: string | ArrayBuffer | ArrayBufferView): BinaryLike {
  if (typeof data === 'string') return data;
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new Uint8Array(data);
}
