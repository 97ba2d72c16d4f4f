/**
 * ULIDs as reservation ids: 26 Crockford base32 characters, the first 0–7 (128 bits).
 * Case-insensitive, as the ULID spec says, so `isUlid` accepts either case; the
 * canonical spelling is UPPER-CASE and every stream key must use `id.toUpperCase()`
 * (DynamoDB keys are case-sensitive). Crockford's aliases (I, L, O, U) are refused.
 */

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * Printable ASCII from ' ' (32) to '~' (126): a character's code is 32 + its index.
 * AWS's APPSYNC_JS lint denies String.charCodeAt, so codes are looked up instead.
 */
const PRINTABLE_ASCII = ' !"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~';

/** Code of a character: its ASCII code when printable, 127 for any other character. */
function codeOf(ch: string): number {
  const index = PRINTABLE_ASCII.indexOf(ch);
  return index < 0 ? 127 : index + 32;
}

/** True when `s` is a ULID: 26 Crockford base32 characters in either case, the first 0–7. */
export function isUlid(s: unknown): boolean {
  if (typeof s !== 'string' || s.length !== 26) {
    return false;
  }
  // Character by character: upper-casing the whole string first would let 'ß' (→ 'SS') pass and
  // turn 26 characters into 27.
  const chars = s.split('');
  return chars.every((ch, index) => {
    const value = CROCKFORD.indexOf(ch.toUpperCase());
    return ch.toUpperCase().length === 1 && value >= 0 && (index > 0 || value <= 7);
  });
}

/**
 * 32-bit multiply, like Math.imul (which AWS does not list among APPSYNC_JS's Math
 * functions): split into 16-bit halves so no partial product loses bits.
 */
export function imul32(a: number, b: number): number {
  const aLow = a & 0xffff;
  const bLow = b & 0xffff;
  const cross = (((a >>> 16) & 0xffff) * bLow + aLow * ((b >>> 16) & 0xffff)) << 16;
  return (aLow * bLow + (cross >>> 0)) | 0;
}

/** MurmurHash3's finalizer: every input bit flips about half the output bits. */
function fmix32(h: number): number {
  const a = imul32(h ^ (h >>> 16), 0x85ebca6b);
  const b = imul32(a ^ (a >>> 13), 0xc2b2ae35);
  return (b ^ (b >>> 16)) >>> 0;
}

/** FNV-1a over the characters' codes from `seed`, then finalized (unsigned 32 bits). */
function hash32(codes: number[], seed: number): number {
  const h = codes.reduce((acc, code) => imul32(acc ^ code, 0x01000193), seed | 0);
  return fmix32(h ^ codes.length);
}

/** Four independent lanes of 32 bits: 128 bits, the payload of a ULID. */
const SEEDS = [0x811c9dc5, 0x9e3779b9, 0x85ebca6b, 0xc2b2ae35];

/** The 26 character positions; each takes 5 bits from a mixed lane (the first, 3 bits). */
const POSITIONS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25];

/**
 * A ULID-shaped id derived only from `commandId`, so a create retried with the same
 * commandId and no id lands on the same stream. A commandId that is itself a ULID
 * (in either case) is used as is, upper-cased.
 * Not time-ordered: its first characters come from the hash, not from a clock.
 * @example ulidFromCommandId('checkout-42') === ulidFromCommandId('checkout-42') // true
 */
export function ulidFromCommandId(commandId: string): string {
  if (isUlid(commandId)) {
    return commandId.toUpperCase();
  }
  const codes = commandId.split('').map(codeOf);
  const lanes = SEEDS.map((seed) => hash32(codes, seed));
  return POSITIONS.map((position) => {
    const lane = lanes[position % 4] ?? 0;
    const mixed = fmix32(lane ^ imul32(position + 1, 0x9e3779b9));
    const value = position === 0 ? mixed >>> 29 : mixed >>> 27;
    return CROCKFORD.charAt(value);
  }).join('');
}
