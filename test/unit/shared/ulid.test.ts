import fc from 'fast-check';
import { ulid } from 'ulid';
import { describe, expect, it } from 'vitest';
import { imul32, isUlid, ulidFromCommandId } from '../../../functions/shared/ulid.ts';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

describe('isUlid', () => {
  it('accepts ULIDs made by the ulid package', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 48 - 1 }), (time) => {
        expect(isUlid(ulid(time))).toBe(true);
      }),
    );
  });

  it('accepts the largest ULID and a lower-case one (ULIDs are case-insensitive)', () => {
    expect(isUlid('7ZZZZZZZZZZZZZZZZZZZZZZZZZ')).toBe(true);
    expect(isUlid('01arz3ndektsv4rrffq69g5fav')).toBe(true);
  });

  it.each([
    ['8ZZZZZZZZZZZZZZZZZZZZZZZZZ', 'a first character above 7 (more than 128 bits)'],
    ['01ARZ3NDEKTSV4RRFFQ69G5FA', '25 characters'],
    ['01ARZ3NDEKTSV4RRFFQ69G5FAVX', '27 characters'],
    ['01ARZ3NDEKTSV4RRFFQ69G5FAI', 'an I, outside Crockford base32'],
    ['01ARZ3NDEKTSV4RRFFQ69G5FAU', 'a U, outside Crockford base32'],
    ['01ARZ3NDEKTSV4RRFFQ69G5FA#', 'a #'],
    ['', 'the empty string'],
  ])('refuses %j (%s)', (id) => {
    expect(isUlid(id)).toBe(false);
  });

  it('refuses what is not a string', () => {
    expect(isUlid(null)).toBe(false);
    expect(isUlid(42)).toBe(false);
  });
});

describe('imul32', () => {
  it('multiplies like Math.imul on any 32-bit integers', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 32 - 1 }), fc.integer({ min: -(2 ** 31), max: 2 ** 32 - 1 }), (a, b) => {
        expect(imul32(a, b)).toBe(Math.imul(a, b));
      }),
    );
  });
});

describe('ulidFromCommandId', () => {
  it('gives the same id for the same commandId, so a retried create lands on the same stream', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 128 }), (commandId) => {
        expect(ulidFromCommandId(commandId)).toBe(ulidFromCommandId(commandId));
      }),
    );
  });

  it('always gives a well-formed upper-case ULID', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (commandId) => {
        const id = ulidFromCommandId(commandId);
        expect(isUlid(id)).toBe(true);
        expect(id).toBe(id.toUpperCase());
      }),
    );
  });

  it('keeps a commandId that is already a ULID, upper-cased', () => {
    expect(ulidFromCommandId('01ARZ3NDEKTSV4RRFFQ69G5FAV')).toBe('01ARZ3NDEKTSV4RRFFQ69G5FAV');
    expect(ulidFromCommandId('01arz3ndektsv4rrffq69g5fav')).toBe('01ARZ3NDEKTSV4RRFFQ69G5FAV');
  });

  it('is a fixed function of the commandId (ids stored yesterday stay reachable)', () => {
    expect(ulidFromCommandId('checkout-42')).toBe('7PNJ6Q6CW2VYM4SXP19JKS59MS');
  });

  it('gives different ids to 20,000 nearby commandIds', () => {
    const ids = new Set(Array.from({ length: 20_000 }, (_, i) => ulidFromCommandId(`order-${i}`)));
    expect(ids.size).toBe(20_000);
  });

  it('tells apart commandIds that differ in one character or in order', () => {
    expect(ulidFromCommandId('ab')).not.toBe(ulidFromCommandId('ba'));
    expect(ulidFromCommandId('order-1')).not.toBe(ulidFromCommandId('order-2'));
    expect(ulidFromCommandId('a')).not.toBe(ulidFromCommandId('a '));
  });

  it('spreads its characters evenly over the alphabet', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 4_000; i += 1) {
      for (const ch of ulidFromCommandId(`cmd:${i}`).slice(1)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    }
    // 4,000 ids × 25 positions over 32 characters: 3,125 expected per character.
    expect(counts.size).toBe(32);
    for (const ch of CROCKFORD) {
      expect(counts.get(ch)).toBeGreaterThan(2_800);
      expect(counts.get(ch)).toBeLessThan(3_450);
    }
  });

  it('uses all of 0-7 as its first character', () => {
    const firsts = new Set(Array.from({ length: 500 }, (_, i) => ulidFromCommandId(`first-${i}`).charAt(0)));
    expect([...firsts].sort().join('')).toBe('01234567');
  });
});

describe('isUlid, with characters whose upper case is longer', () => {
  it('refuses ß, which upper-cases to SS and would make 26 characters 27', () => {
    expect(isUlid(`0ß${'A'.repeat(24)}`)).toBe(false);
  });
});
