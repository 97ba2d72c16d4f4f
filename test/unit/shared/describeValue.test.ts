import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeValue } from '../../../functions/shared/inputChecks.ts';

/** What describeValue showed before it stopped stringifying the whole of a long string. */
const wholeThenCut = (value: unknown): string => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};

describe('describeValue (the value quoted in a rule message)', () => {
  it('shows any string as the whole of it stringified and cut at 60 characters did, escapes and all', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 200 })), (text) => {
        expect(describeValue(text)).toBe(wholeThenCut(text));
      }),
    );
    expect(describeValue('\n'.repeat(100))).toBe(wholeThenCut('\n'.repeat(100)));
  });

  it('quotes a 4 MB string by its start: 57 characters and an ellipsis', () => {
    expect(describeValue('0'.repeat(4 * 1024 * 1024))).toBe(`"${'0'.repeat(56)}...`);
  });

  it('shows other values as before: numbers, objects, undefined', () => {
    for (const value of [42, null, { id: 'x'.repeat(80) }, ['a', 'b'], undefined, true])
      expect(describeValue(value)).toBe(wholeThenCut(value));
  });
});
