import { randomBytes, randomUUID } from 'node:crypto';
import { ulid } from 'ulid';

/** `util.autoId()`: a random UUID v4, lower-case with dashes, as AppSync returns it. */
export function autoId(): string {
  return randomUUID();
}

/** `util.autoUlid()`: a 26-character ULID (Crockford base32, time-ordered by its first 10 characters). */
export function autoUlid(nowMilliseconds: number = Date.now()): string {
  return ulid(nowMilliseconds);
}

const BASE62_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** KSUID epoch: 2014-05-13T16:53:20Z, in seconds since the Unix epoch (segmentio/ksuid). */
const KSUID_EPOCH_SECONDS = 1_400_000_000;
const KSUID_STRING_LENGTH = 27;

/**
 * Encode the 20 KSUID bytes (4 bytes of timestamp, 16 of payload) as base62, left-padded with
 * '0' to 27 characters, as segmentio/ksuid does.
 */
function encodeKsuidBase62(bytes: Uint8Array): string {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  let encoded = '';
  while (value > 0n) {
    encoded = BASE62_ALPHABET[Number(value % 62n)] + encoded;
    value /= 62n;
  }
  return encoded.padStart(KSUID_STRING_LENGTH, '0');
}

/**
 * `util.autoKsuid()`: a KSUID (K-Sortable Unique Identifier), base62, 27 characters.
 * Written here rather than installed: the format is 20 bytes and a base62 encoding.
 */
export function autoKsuid(nowMilliseconds: number = Date.now()): string {
  const bytes = new Uint8Array(20);
  const timestamp = Math.floor(nowMilliseconds / 1000) - KSUID_EPOCH_SECONDS;
  new DataView(bytes.buffer).setUint32(0, timestamp >>> 0, false);
  bytes.set(randomBytes(16), 4);
  return encodeKsuidBase62(bytes);
}
