import { describe, expect, it } from 'vitest';
import { decide, MAX_NIGHTS } from '../../../functions/reservation/decide.ts';
import { initialState } from '../../../functions/reservation/state.ts';
import { addDays } from '../../../functions/shared/calendarDate.ts';
import { cancel, cancelled, create, created, given, NOW, timedOut } from '../../helpers/decider.ts';

const TODAY = NOW.slice(0, 10); // 2026-01-10

function refusal(decision: ReturnType<typeof decide>) {
  if (decision.ok) throw new Error(`expected a refusal, got ${JSON.stringify(decision.events)}`);
  return decision.error;
}

describe('CreateReservation', () => {
  describe('on an empty stream', () => {
    it('creates the reservation', () => {
      given([])
        .when(create())
        .then([
          {
            type: 'ReservationCreated',
            data: { userId: 'user-1', roomId: 'room-101', dateStart: '2026-02-01', dateEnd: '2026-02-04' },
          },
        ]);
    });

    it('accepts a stay starting today (UTC)', () => {
      given([])
        .when(create({ dateStart: TODAY, dateEnd: addDays(TODAY, 1) }))
        .then([created({ dateStart: TODAY, dateEnd: addDays(TODAY, 1) })]);
    });

    it('takes today from now in UTC even when now carries an offset', () => {
      // 2026-01-11T01:00+02:00 is 2026-01-10T23:00Z: a stay from 2026-01-10 is not in the past.
      given([])
        .when(create({ now: '2026-01-11T01:00:00+02:00', dateStart: '2026-01-10', dateEnd: '2026-01-11' }))
        .then([created({ dateStart: '2026-01-10', dateEnd: '2026-01-11' })]);
    });

    it(`accepts a stay of ${MAX_NIGHTS} nights`, () => {
      given([])
        .when(create({ dateStart: '2026-02-01', dateEnd: '2026-03-03' }))
        .then([created({ dateStart: '2026-02-01', dateEnd: '2026-03-03' })]);
    });

    it('refuses a stay that ends the day it starts', () => {
      given([])
        .when(create({ dateStart: '2026-02-01', dateEnd: '2026-02-01' }))
        .thenRefuses('BusinessRuleViolation', ['DateRangeInvalid']);
    });

    it('refuses a dateEnd before dateStart, saying dateEnd is the check-out day', () => {
      const error = refusal(decide(initialState, create({ dateStart: '2026-01-03', dateEnd: '2026-01-01', now: '2025-12-01T00:00:00Z' })));
      expect(error.violations).toEqual([
        {
          rule: 'DateRangeInvalid',
          message: expect.stringContaining('dateEnd (2026-01-01) must be after dateStart (2026-01-03): it is the check-out day'),
        },
      ]);
    });

    it('refuses a dateStart before today (UTC)', () => {
      given([])
        .when(create({ dateStart: addDays(TODAY, -1), dateEnd: addDays(TODAY, 2) }))
        .thenRefuses('BusinessRuleViolation', ['DateStartInPast']);
    });

    it('refuses a stay of 31 nights', () => {
      given([])
        .when(create({ dateStart: '2026-02-01', dateEnd: '2026-03-04' }))
        .thenRefuses('BusinessRuleViolation', ['StayTooLong']);
    });

    it('refuses a room already reserved on one of the nights, and lists those nights', () => {
      const decision = decide(initialState, create({ roomNightsTaken: ['2026-02-02', '2026-02-03'] }));
      expect(refusal(decision).violations).toEqual([
        { rule: 'RoomAlreadyReserved', message: expect.stringContaining('2026-02-02, 2026-02-03') },
      ]);
    });

    it('ignores taken nights outside the stay, including its check-out day', () => {
      given([])
        .when(create({ roomNightsTaken: ['2026-01-31', '2026-02-04'] }))
        .then([created()]);
    });

    it('lists a taken night once even if read twice', () => {
      const error = refusal(decide(initialState, create({ roomNightsTaken: ['2026-02-02', '2026-02-02'] })));
      expect(error.violations[0]?.message).toContain('on 2026-02-02:');
    });

    it('refuses a night the room is closed on (RoomClosed, a rule across aggregates), and lists those nights', () => {
      const decision = decide(initialState, create({ roomNightsClosed: ['2026-02-03'] }));
      expect(refusal(decision).violations).toEqual([{ rule: 'RoomClosed', message: expect.stringContaining('closed on 2026-02-03') }]);
    });

    it('ignores closed nights outside the stay', () => {
      given([])
        .when(create({ roomNightsClosed: ['2026-01-31', '2026-02-04'] }))
        .then([created()]);
    });

    it('names reserved and closed nights apart when a stay meets both', () => {
      given([])
        .when(create({ roomNightsTaken: ['2026-02-01'], roomNightsClosed: ['2026-02-03'] }))
        .thenRefuses('BusinessRuleViolation', ['RoomAlreadyReserved', 'RoomClosed']);
    });

    it('lists every broken rule at once', () => {
      given([])
        .when(create({ dateStart: '2026-01-01', dateEnd: '2026-03-01', roomNightsTaken: ['2026-01-15'] }))
        .thenRefuses('BusinessRuleViolation', ['DateStartInPast', 'StayTooLong', 'RoomAlreadyReserved']);
      given([])
        .when(create({ dateStart: '2026-01-05', dateEnd: '2026-01-04' }))
        .thenRefuses('BusinessRuleViolation', ['DateRangeInvalid', 'DateStartInPast']);
    });

    it('names every broken rule in the error message', () => {
      const error = refusal(decide(initialState, create({ dateStart: '2026-01-05', dateEnd: '2026-01-04' })));
      expect(error.message).toBe('Command refused, 2 rules broken: DateRangeInvalid, DateStartInPast.');
    });

    it('refuses a date that is not a calendar date as a ValidationError', () => {
      given([])
        .when(create({ dateStart: '2026-02-30' }))
        .thenRefuses('ValidationError', ['InvalidDate']);
    });

    it('refuses a now that is not an instant as a ValidationError', () => {
      given([])
        .when(create({ now: 'now' }))
        .thenRefuses('ValidationError', ['InvalidInstant']);
    });
  });

  describe('on a stream that holds only a timeout tombstone', () => {
    it('creates the reservation (the timed-out create never happened)', () => {
      given([timedOut()]).when(create()).then([created()]);
    });
  });

  describe('on a stream that holds a reservation', () => {
    it('refuses with ReservationExists', () => {
      given([created()])
        .when(create({ dateStart: '2026-05-01', dateEnd: '2026-05-02' }))
        .thenRefuses('BusinessRuleViolation', ['ReservationExists']);
    });

    it('refuses with ReservationExists even when it is cancelled', () => {
      given([created(), cancelled()])
        .when(create({ dateStart: '2026-05-01', dateEnd: '2026-05-02' }))
        .thenRefuses('BusinessRuleViolation', ['ReservationExists']);
    });

    it('lists ReservationExists with the other broken rules', () => {
      given([created()])
        .when(create({ dateStart: '2026-05-02', dateEnd: '2026-05-01' }))
        .thenRefuses('BusinessRuleViolation', ['DateRangeInvalid', 'ReservationExists']);
    });
  });
});

describe('CancelReservation', () => {
  describe('on an empty stream', () => {
    it('refuses with NotFound', () => {
      given([]).when(cancel()).thenRefuses('NotFound', ['ReservationNotFound']);
    });
  });

  describe('on a stream that holds only a timeout tombstone', () => {
    it('refuses with NotFound', () => {
      given([timedOut()]).when(cancel()).thenRefuses('NotFound', ['ReservationNotFound']);
    });
  });

  describe('on a confirmed reservation', () => {
    it('cancels it, repeating room and dates so its nights can be released', () => {
      given([created({ roomId: 'room-9', dateStart: '2026-03-01', dateEnd: '2026-03-05' })])
        .when(cancel({ reason: 'plans changed' }))
        .then([cancelled({ roomId: 'room-9', dateStart: '2026-03-01', dateEnd: '2026-03-05', reason: 'plans changed' })]);
    });

    it('cancels it without a reason', () => {
      given([created()])
        .when(cancel({ reason: null }))
        .then([cancelled({ reason: null })]);
    });

    it('cancels it after a timed-out cancel', () => {
      given([created(), timedOut()]).when(cancel()).then([cancelled()]);
    });
  });

  describe('on a cancelled reservation', () => {
    it('refuses with ReservationAlreadyCancelled', () => {
      given([created(), cancelled()]).when(cancel()).thenRefuses('BusinessRuleViolation', ['ReservationAlreadyCancelled']);
    });
  });
});

describe('an unknown command at run time', () => {
  it('is refused, not thrown', () => {
    const unknown = { type: 'MoveReservation', id: 'x' } as unknown as Parameters<typeof decide>[1];
    expect(refusal(decide(initialState, unknown)).violations.map((v) => v.rule)).toEqual(['UnknownCommand']);
  });
});
