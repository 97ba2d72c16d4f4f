import { describe, expect, it } from 'vitest';
import type { CancelReservationInput, CreateReservationInput } from '../../../schema/generated/types.ts';
import {
  isSafeIdentifier,
  validateCancelReservationInput,
  validateCreateReservationInput,
} from '../../../functions/reservation/validate.ts';

const validCreate: CreateReservationInput = {
  userId: 'user-1',
  roomId: 'hotel.paris:room_101',
  dateStart: '2026-02-01',
  dateEnd: '2026-02-04',
};

const rulesOf = (violations: { rule: string }[]) => violations.map((violation) => violation.rule);

describe('isSafeIdentifier', () => {
  it('accepts 1 to 128 characters of letters, digits, dot, underscore, colon and dash', () => {
    expect(isSafeIdentifier('a')).toBe(true);
    expect(isSafeIdentifier('Az09._:-')).toBe(true);
    expect(isSafeIdentifier('x'.repeat(128))).toBe(true);
  });

  it.each([
    ['', 'empty'],
    ['x'.repeat(129), '129 characters'],
    ['room#101', "a '#', the key separator"],
    ['room 101', 'a space'],
    ['chambre-é', 'a non-ASCII letter'],
    ['a/b', 'a slash'],
  ])('refuses %j (%s)', (id) => {
    expect(isSafeIdentifier(id)).toBe(false);
  });
});

describe('validateCreateReservationInput', () => {
  it('finds nothing wrong with a well-formed input', () => {
    expect(validateCreateReservationInput(validCreate)).toEqual([]);
    expect(validateCreateReservationInput({ ...validCreate, id: '01ARZ3NDEKTSV4RRFFQ69G5FAV', commandId: 'checkout-42' })).toEqual([]);
    expect(validateCreateReservationInput({ ...validCreate, id: null, commandId: null })).toEqual([]);
  });

  it('refuses an id that is not a ULID', () => {
    expect(rulesOf(validateCreateReservationInput({ ...validCreate, id: 'reservation-1' }))).toEqual(['InvalidId']);
    expect(rulesOf(validateCreateReservationInput({ ...validCreate, id: '' }))).toEqual(['InvalidId']);
  });

  it("refuses a userId or roomId with a '#', which could collide with key prefixes", () => {
    expect(rulesOf(validateCreateReservationInput({ ...validCreate, userId: 'a#b', roomId: 'room-1#2026-01-01' }))).toEqual([
      'InvalidUserId',
      'InvalidRoomId',
    ]);
  });

  it('refuses dates that are not calendar dates, including AWSDate time-zone suffixes', () => {
    expect(rulesOf(validateCreateReservationInput({ ...validCreate, dateStart: '2026-02-29', dateEnd: '2026-03-01Z' }))).toEqual([
      'InvalidDateStart',
      'InvalidDateEnd',
    ]);
  });

  it('refuses an empty or oversized commandId', () => {
    expect(rulesOf(validateCreateReservationInput({ ...validCreate, commandId: '' }))).toEqual(['InvalidCommandId']);
    expect(rulesOf(validateCreateReservationInput({ ...validCreate, commandId: 'c'.repeat(129) }))).toEqual(['InvalidCommandId']);
  });

  it('lists every violation at once, each with a message', () => {
    const violations = validateCreateReservationInput({
      id: 'nope',
      commandId: 'a b',
      userId: '',
      roomId: '#',
      dateStart: 'tomorrow',
      dateEnd: '2026-13-01',
    });
    expect(rulesOf(violations)).toEqual([
      'InvalidId',
      'InvalidCommandId',
      'InvalidUserId',
      'InvalidRoomId',
      'InvalidDateStart',
      'InvalidDateEnd',
    ]);
    expect(violations.every((violation) => violation.message.length > 20)).toBe(true);
  });

  it('quotes at most 60 characters of a bad value in its message', () => {
    const [violation] = validateCreateReservationInput({ ...validCreate, userId: '#'.repeat(1000) });
    expect(violation?.message.length).toBeLessThan(200);
  });
});

describe('validateCancelReservationInput', () => {
  const validCancel: CancelReservationInput = { id: '01ARZ3NDEKTSV4RRFFQ69G5FAV' };

  it('finds nothing wrong with a well-formed input', () => {
    expect(validateCancelReservationInput(validCancel)).toEqual([]);
    expect(validateCancelReservationInput({ ...validCancel, reason: 'r'.repeat(500), commandId: 'cancel-1' })).toEqual([]);
  });

  it('refuses an id that is not a ULID', () => {
    expect(rulesOf(validateCancelReservationInput({ id: '01ARZ3NDEKTSV4RRFFQ69G5FAVX' }))).toEqual(['InvalidId']);
  });

  it('refuses a reason over 500 characters', () => {
    expect(rulesOf(validateCancelReservationInput({ ...validCancel, reason: 'r'.repeat(501) }))).toEqual(['ReasonTooLong']);
  });

  it('lists every violation at once', () => {
    expect(rulesOf(validateCancelReservationInput({ id: 'x', commandId: 'a#b', reason: 'r'.repeat(501) }))).toEqual([
      'InvalidId',
      'InvalidCommandId',
      'ReasonTooLong',
    ]);
  });
});
