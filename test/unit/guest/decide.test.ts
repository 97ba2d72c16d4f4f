import { describe, expect, it } from 'vitest';
import { aggregate as guest } from '../../../functions/guest/aggregate.ts';
import type { GuestRule, RegisterGuest } from '../../../functions/guest/decide.ts';
import { guestEmailKey, uniqueConstraintsOf, type NewGuestEvent } from '../../../functions/guest/events.ts';
import { toGuest } from '../../../functions/guest/state.ts';
import { validateRegisterGuestInput } from '../../../functions/guest/validate.ts';
import { deciderSpec } from '../../helpers/deciderSpec.ts';

const GUEST_ID = '01JCZ5P1Q8M4T2V6X9Y3ZBGST1';
const { given, fold, stream } = deciderSpec<
  Parameters<typeof guest.evolve>[0],
  Parameters<typeof guest.evolve>[1],
  RegisterGuest,
  GuestRule
>(guest, { aggregateId: GUEST_ID });

const register = (fields: Partial<RegisterGuest> = {}): RegisterGuest => ({
  type: 'RegisterGuest',
  id: GUEST_ID,
  commandId: 'register-1',
  name: 'Ada Lovelace',
  email: 'Ada@Example.com',
  now: '2026-01-10T09:30:00.000Z',
  emailHeldBy: null,
  ...fields,
});
const registered: NewGuestEvent = { type: 'GuestRegistered', data: { name: 'Ada Lovelace', email: 'Ada@Example.com' } };

describe('RegisterGuest', () => {
  it('registers a guest, keeping the email as written', () => {
    given([]).when(register()).then([registered]);
  });

  it('refuses an email another guest holds in any case (EmailTaken)', () => {
    given([])
      .when(register({ emailHeldBy: '01JCZ5P1Q8M4T2V6X9Y3ZBGST2' }))
      .thenRefuses('BusinessRuleViolation', ['EmailTaken']);
  });

  it('refuses a second registration of the same stream (GuestExists), with every rule', () => {
    given([registered])
      .when(register({ commandId: 'register-2', emailHeldBy: 'other' }))
      .thenRefuses('BusinessRuleViolation', ['GuestExists', 'EmailTaken']);
  });

  it('claims the email lower-cased, so case does not make a second guest', () => {
    expect(uniqueConstraintsOf(registered)).toEqual({ claim: ['GuestEmail#ada@example.com'], release: [], claimRule: 'EmailTaken' });
    expect(guestEmailKey('ADA@EXAMPLE.COM')).toBe(guestEmailKey('ada@example.com'));
  });

  it('folds the registration into the view', () => {
    expect(toGuest(fold(stream([registered])))).toEqual({ id: GUEST_ID, name: 'Ada Lovelace', email: 'Ada@Example.com', version: 1 });
    expect(toGuest(guest.initialState)).toBeNull();
  });
});

describe('validateRegisterGuestInput', () => {
  it('finds nothing wrong with a well-formed input', () => {
    expect(validateRegisterGuestInput({ name: 'Ada', email: 'ada@example.com' })).toEqual([]);
  });

  it('lists every shape problem at once', () => {
    const rules = validateRegisterGuestInput({ id: 'guest-1', commandId: 'a#b', name: '  ', email: `${'a'.repeat(250)}@x.io` }).map(
      (violation) => violation.rule,
    );
    expect(rules).toEqual(['InvalidId', 'InvalidCommandId', 'NameRequired', 'EmailTooLong']);
  });
});
