/**
 * Which published results reach a subscriber: its non-null arguments must equal the result's
 * fields, and its enhanced filter (groups OR-ed, filters within a group AND-ed) must pass.
 */
import { describe, expect, it } from 'vitest';
import { matchesArguments, matchesFilter } from '../../../local/server/subscriptionFilter.ts';

const payload = { id: 'r-1', status: 'SAVED', repeat: false, version: 3, tags: ['a', 'b'], reservation: { roomId: 'room-7' } };

describe('argument matching', () => {
  it('passes when every non-null argument equals the same-named field', () => {
    expect(matchesArguments({ id: 'r-1' }, payload)).toBe(true);
    expect(matchesArguments({ id: 'r-2' }, payload)).toBe(false);
  });

  it('ignores null and missing arguments', () => {
    expect(matchesArguments({ id: null, status: undefined }, payload)).toBe(true);
  });
});

describe('enhanced filters', () => {
  const filter = (fieldName: string, operator: string, value?: unknown) => ({
    filterGroup: [{ filters: [{ fieldName, operator, value }] }],
  });

  it.each([
    ['eq', 'status', 'SAVED', true],
    ['eq', 'repeat', true, false],
    ['ne', 'status', 'REJECTED', true],
    ['lt', 'version', 4, true],
    ['le', 'version', 3, true],
    ['gt', 'version', 3, false],
    ['ge', 'version', 3, true],
    ['contains', 'tags', 'b', true],
    ['notContains', 'tags', 'c', true],
    ['beginsWith', 'status', 'SA', true],
    ['in', 'status', ['SAVED', 'REJECTED'], true],
    ['notIn', 'status', ['SAVED'], false],
    ['between', 'version', [1, 3], true],
    ['containsAny', 'tags', ['x', 'a'], true],
    ['eq', 'reservation.roomId', 'room-7', true],
    ['attributeExists', 'reason', false, true],
    ['unknownOperator', 'status', 'SAVED', false],
  ])('%s on %s with %j → %s', (operator, fieldName, value, expected) => {
    expect(matchesFilter(filter(fieldName, operator, value), payload)).toBe(expected);
  });

  it('passes everything when there is no filter', () => {
    expect(matchesFilter(undefined, payload)).toBe(true);
    expect(matchesFilter({ filterGroup: [] }, payload)).toBe(true);
  });

  it('ANDs the filters of a group and ORs the groups', () => {
    const both = {
      filters: [
        { fieldName: 'id', operator: 'eq', value: 'r-1' },
        { fieldName: 'repeat', operator: 'eq', value: false },
      ],
    };
    const neither = { filters: [{ fieldName: 'id', operator: 'eq', value: 'r-9' }] };
    expect(matchesFilter({ filterGroup: [both] }, payload)).toBe(true);
    expect(
      matchesFilter(
        { filterGroup: [{ filters: [...both.filters, { fieldName: 'status', operator: 'eq', value: 'TIMED_OUT' }] }] },
        payload,
      ),
    ).toBe(false);
    expect(matchesFilter({ filterGroup: [neither, both] }, payload)).toBe(true);
    expect(matchesFilter({ filterGroup: [neither] }, payload)).toBe(false);
  });
});
