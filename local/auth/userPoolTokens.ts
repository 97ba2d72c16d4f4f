/**
 * A local stand-in for a Cognito user pool's token signing: an RSA key drawn
 * at start signs RS256 JWTs shaped like Cognito ID tokens (`sub`,
 * `cognito:username`, `cognito:groups`, `iss` naming the pool, `token_use`),
 * and verification checks what AppSync checks: the signature against the
 * pool's key, the issuer, the expiry. An unsigned (`alg: none`) or forged
 * token is refused.
 *
 * @example
 * const pool = new LocalUserPool({ region: 'us-east-1', userPoolId: 'us-east-1_local' });
 * const token = pool.issueToken({ sub: 'user-1', username: 'alice', groups: ['staff'] });
 * pool.verify(token); // { ok: true, claims: { sub: 'user-1', ... } }
 */
import { createPublicKey, generateKeyPairSync, randomUUID, sign, verify, type KeyObject } from 'node:crypto';

export interface UserTokenRequest {
  sub: string;
  username?: string;
  groups?: string[];
  /** Extra claims (e.g. `email`). */
  claims?: Record<string, unknown>;
  /** Lifetime; default one hour, as Cognito's default ID token. Negative values mint an expired token. */
  expiresInSeconds?: number;
}

export type TokenVerification = { ok: true; claims: Record<string, unknown> } | { ok: false; message: string };

export class LocalUserPool {
  readonly issuer: string;
  readonly keyId = randomUUID();
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;

  constructor(readonly config: { region: string; userPoolId: string; clientId?: string }) {
    this.issuer = `https://cognito-idp.${config.region}.amazonaws.com/${config.userPoolId}`;
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.privateKey = privateKey;
    this.publicKey = publicKey;
  }

  /** The pool's public key as a JWKS document, as `/.well-known/jwks.json` serves it. */
  get jwks(): { keys: Record<string, unknown>[] } {
    return { keys: [{ ...createPublicKey(this.publicKey).export({ format: 'jwk' }), kid: this.keyId, alg: 'RS256', use: 'sig' }] };
  }

  /** Mint an ID token for a user, signed with the pool's key. */
  issueToken(request: UserTokenRequest): string {
    const now = Math.floor(Date.now() / 1000);
    const payload = {
      sub: request.sub,
      'cognito:username': request.username ?? request.sub,
      ...(request.groups ? { 'cognito:groups': request.groups } : {}),
      iss: this.issuer,
      aud: this.config.clientId ?? 'local-client',
      token_use: 'id',
      auth_time: now,
      iat: now,
      exp: now + (request.expiresInSeconds ?? 3600),
      ...request.claims,
    };
    const signingInput = `${base64url({ alg: 'RS256', kid: this.keyId, typ: 'JWT' })}.${base64url(payload)}`;
    return `${signingInput}.${sign('RSA-SHA256', Buffer.from(signingInput), this.privateKey).toString('base64url')}`;
  }

  /** Verify a token as AppSync does for AMAZON_COGNITO_USER_POOLS; `Bearer ` is tolerated. */
  verify(token: string, now = new Date()): TokenVerification {
    const parts = token.replace(/^Bearer\s+/i, '').split('.');
    if (parts.length !== 3) return { ok: false, message: 'Unable to parse JWT token.' };
    const [encodedHeader, encodedPayload, encodedSignature] = parts as [string, string, string];
    let header: Record<string, unknown>;
    let claims: Record<string, unknown>;
    try {
      header = JSON.parse(Buffer.from(encodedHeader, 'base64url').toString('utf8')) as Record<string, unknown>;
      claims = JSON.parse(Buffer.from(encodedPayload, 'base64url').toString('utf8')) as Record<string, unknown>;
    } catch {
      return { ok: false, message: 'Unable to parse JWT token.' };
    }
    if (header === null || typeof header !== 'object' || claims === null || typeof claims !== 'object')
      return { ok: false, message: 'Unable to parse JWT token.' };
    // Only the pool's own algorithm and key: `alg: none`, HS256 with the public key as secret, another kid are all forgeries.
    if (header.alg !== 'RS256' || header.kid !== this.keyId) return { ok: false, message: 'You are not authorized to make this call.' };
    const signatureOk = verify(
      'RSA-SHA256',
      Buffer.from(`${encodedHeader}.${encodedPayload}`),
      this.publicKey,
      Buffer.from(encodedSignature, 'base64url'),
    );
    if (!signatureOk) return { ok: false, message: 'You are not authorized to make this call.' };
    if (claims.iss !== this.issuer) return { ok: false, message: 'You are not authorized to make this call.' };
    if (typeof claims.exp !== 'number' || claims.exp * 1000 <= now.getTime()) return { ok: false, message: 'Token has expired.' };
    if (claims.token_use !== 'id' && claims.token_use !== 'access')
      return { ok: false, message: 'You are not authorized to make this call.' };
    return { ok: true, claims };
  }
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
