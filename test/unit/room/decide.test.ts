import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aggregate as room } from '../../../functions/room/aggregate.ts';
import { MAX_CAPACITY, type CloseRoom, type RegisterRoom, type ReopenRoom, type RoomRule } from '../../../functions/room/decide.ts';
import { uniqueConstraintsOf, type NewRoomEvent } from '../../../functions/room/events.ts';
import { toRoom } from '../../../functions/room/state.ts';
import { deciderSpec, timedOut } from '../../helpers/deciderSpec.ts';

const ROOM_ID = '01JCZ5P1Q8M4T2V6X9Y3ZB7RMM';
const NOW = '2026-01-10T09:30:00.000Z';
const { given, fold, stream } = deciderSpec<
  Parameters<typeof room.evolve>[0],
  Parameters<typeof room.evolve>[1],
  RegisterRoom | CloseRoom | ReopenRoom,
  RoomRule
>(room, {
  aggregateId: ROOM_ID,
});

const register = (fields: Partial<RegisterRoom> = {}): RegisterRoom => ({
  type: 'RegisterRoom',
  id: ROOM_ID,
  commandId: 'register-1',
  number: '101',
  capacity: 2,
  nightlyRate: 12_000,
  currency: 'EUR',
  now: NOW,
  roomNumberHeldBy: null,
  ...fields,
});
const close = (fields: Partial<CloseRoom> = {}): CloseRoom => ({
  type: 'CloseRoom',
  id: ROOM_ID,
  commandId: 'close-1',
  dateStart: '2026-02-01',
  dateEnd: '2026-02-04',
  reason: 'renovation',
  now: NOW,
  roomNightsReserved: [],
  ...fields,
});
const reopen = (fields: Partial<ReopenRoom> = {}): ReopenRoom => ({
  type: 'ReopenRoom',
  id: ROOM_ID,
  commandId: 'reopen-1',
  dateStart: '2026-02-01',
  dateEnd: '2026-02-04',
  now: NOW,
  ...fields,
});
const registered = (): NewRoomEvent => ({
  type: 'RoomRegistered',
  data: { number: '101', capacity: 2, nightlyRate: 12_000, currency: 'EUR' },
});
const closed = (nights: string[], dateStart = nights[0]!, dateEnd = '2026-02-04'): NewRoomEvent => ({
  type: 'RoomClosed',
  data: { roomId: ROOM_ID, dateStart, dateEnd, reason: 'renovation', nights },
});

describe('RegisterRoom', () => {
  it('registers a room on an empty stream', () => {
    given([]).when(register()).then([registered()]);
  });

  it('refuses a number another room holds (RoomNumberTaken), naming that room', () => {
    const outcome = given([]).when(register({ roomNumberHeldBy: '01JCZ5P1Q8M4T2V6X9Y3ZB0THR' }));
    outcome.thenRefuses('BusinessRuleViolation', ['RoomNumberTaken']);
    expect(outcome.decision.ok === false && outcome.decision.error.violations[0]!.message).toContain('01JCZ5P1Q8M4T2V6X9Y3ZB0THR');
  });

  it('accepts a number its own claim holds (a redelivered registration read back)', () => {
    given([])
      .when(register({ roomNumberHeldBy: ROOM_ID }))
      .then([registered()]);
  });

  it('refuses a second registration of the same stream (RoomExists)', () => {
    given([registered()])
      .when(register({ commandId: 'register-2' }))
      .thenRefuses('BusinessRuleViolation', ['RoomExists']);
  });

  it.each([0, 11, 2.5, -1])('refuses a capacity of %s (1 to 10 guests)', (capacity) => {
    given([]).when(register({ capacity })).thenRefuses('BusinessRuleViolation', ['CapacityOutOfRange']);
  });

  it.each([0, -100])('refuses a nightly rate of %s', (nightlyRate) => {
    given([]).when(register({ nightlyRate })).thenRefuses('BusinessRuleViolation', ['NightlyRateNotPositive']);
  });

  it.each(['eur', 'EURO', 'E1R', ''])('refuses the currency %j (three upper-case letters)', (currency) => {
    given([]).when(register({ currency })).thenRefuses('BusinessRuleViolation', ['InvalidCurrency']);
  });

  it('lists every broken rule at once', () => {
    given([registered()])
      .when(register({ capacity: 0, nightlyRate: 0, currency: 'x', roomNumberHeldBy: 'someone-else' }))
      .thenRefuses('BusinessRuleViolation', [
        'RoomExists',
        'RoomNumberTaken',
        'CapacityOutOfRange',
        'NightlyRateNotPositive',
        'InvalidCurrency',
      ]);
  });

  it('accepts exactly the whole capacities 1 to 10 and every positive rate (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: -5, max: 15 }), fc.double({ min: -5, max: 15, noNaN: true })),
        fc.integer({ min: -1000, max: 1_000_000 }),
        (capacity, nightlyRate) => {
          const decision = room.decide(room.initialState, register({ capacity, nightlyRate }));
          const capacityOk = Number.isInteger(capacity) && capacity >= 1 && capacity <= MAX_CAPACITY;
          expect(decision.ok).toBe(capacityOk && nightlyRate > 0);
          if (!decision.ok) {
            const rules = decision.error.violations.map((violation) => violation.rule);
            expect(rules.includes('CapacityOutOfRange')).toBe(!capacityOk);
            expect(rules.includes('NightlyRateNotPositive')).toBe(nightlyRate <= 0);
          }
        },
      ),
    );
  });
});

describe('CloseRoom', () => {
  it('closes every night of the range (dateEnd exclusive)', () => {
    given([registered()])
      .when(close())
      .then([closed(['2026-02-01', '2026-02-02', '2026-02-03'])]);
  });

  it('claims only nights not closed already, and refuses a range closed entirely (RoomAlreadyClosed)', () => {
    given([registered(), closed(['2026-02-01', '2026-02-02'], '2026-02-01', '2026-02-03')])
      .when(close())
      .then([closed(['2026-02-03'], '2026-02-01')]);
    given([registered(), closed(['2026-02-01', '2026-02-02', '2026-02-03'])])
      .when(close())
      .thenRefuses('BusinessRuleViolation', ['RoomAlreadyClosed']);
  });

  it('refuses nights a reservation holds (RoomNightsReserved, a rule across aggregates), listing them', () => {
    const outcome = given([registered()]).when(close({ roomNightsReserved: ['2026-02-02', '2026-02-09'] }));
    outcome.thenRefuses('BusinessRuleViolation', ['RoomNightsReserved']);
    expect(outcome.decision.ok === false && outcome.decision.error.violations[0]!.message).toContain('reserved on 2026-02-02:');
  });

  it('refuses a room that does not exist (NotFound)', () => {
    given([]).when(close()).thenRefuses('NotFound', ['RoomNotFound']);
    given([timedOut()]).when(close()).thenRefuses('NotFound', ['RoomNotFound']);
  });

  it('takes dates as a stay does: after dateStart, not in the past, at most 30 nights', () => {
    given([registered()])
      .when(close({ dateStart: '2026-02-04', dateEnd: '2026-02-04' }))
      .thenRefuses('BusinessRuleViolation', ['DateRangeInvalid']);
    given([registered()])
      .when(close({ dateStart: '2026-01-09', dateEnd: '2026-01-12' }))
      .thenRefuses('BusinessRuleViolation', ['DateStartInPast']);
    given([registered()])
      .when(close({ dateStart: '2026-02-01', dateEnd: '2026-03-04' }))
      .thenRefuses('BusinessRuleViolation', ['ClosureTooLong']);
    given([registered()])
      .when(close({ dateStart: '2026-02-30' }))
      .thenRefuses('ValidationError', ['InvalidDate']);
  });
});

describe('ReopenRoom', () => {
  it('releases the closed nights within the range only', () => {
    given([registered(), closed(['2026-02-01', '2026-02-02', '2026-02-03'])])
      .when(reopen({ dateStart: '2026-02-02', dateEnd: '2026-02-10' }))
      .then([
        {
          type: 'RoomReopened',
          data: { roomId: ROOM_ID, dateStart: '2026-02-02', dateEnd: '2026-02-10', nights: ['2026-02-02', '2026-02-03'] },
        },
      ]);
  });

  it('refuses a range with no closed night (RoomNotClosed)', () => {
    given([registered()]).when(reopen()).thenRefuses('BusinessRuleViolation', ['RoomNotClosed']);
  });

  it('may reopen nights in the past', () => {
    given([registered(), closed(['2026-01-08'], '2026-01-08', '2026-01-09')])
      .when(reopen({ dateStart: '2026-01-08', dateEnd: '2026-01-09' }))
      .then([{ type: 'RoomReopened', data: { roomId: ROOM_ID, dateStart: '2026-01-08', dateEnd: '2026-01-09', nights: ['2026-01-08'] } }]);
  });

  it('refuses a room that does not exist (NotFound)', () => {
    given([]).when(reopen()).thenRefuses('NotFound', ['RoomNotFound']);
  });
});

describe('the room state and its claims', () => {
  it('folds registration, closures and reopenings into the view, closed nights in order', () => {
    const state = fold(
      stream([
        registered(),
        closed(['2026-02-03'], '2026-02-03'),
        closed(['2026-02-01'], '2026-02-01', '2026-02-02'),
        { type: 'RoomReopened', data: { roomId: ROOM_ID, dateStart: '2026-02-03', dateEnd: '2026-02-04', nights: ['2026-02-03'] } },
      ]),
    );
    expect(toRoom(state)).toEqual({
      id: ROOM_ID,
      number: '101',
      capacity: 2,
      nightlyRate: 12_000,
      currency: 'EUR',
      version: 4,
      closedNights: ['2026-02-01'],
    });
  });

  it('claims its number, then the room-nights a reservation would claim, and releases them on reopening', () => {
    expect(uniqueConstraintsOf(registered())).toEqual({ claim: ['RoomNumber#101'], release: [], claimRule: 'RoomNumberTaken' });
    expect(uniqueConstraintsOf(closed(['2026-02-01']))).toEqual({
      claim: [`RoomNight#${ROOM_ID}#2026-02-01`],
      release: [],
      claimRule: 'RoomClosed',
    });
    expect(
      uniqueConstraintsOf({
        type: 'RoomReopened',
        data: { roomId: ROOM_ID, dateStart: '2026-02-01', dateEnd: '2026-02-02', nights: ['2026-02-01'] },
      }),
    ).toEqual({
      claim: [],
      release: [`RoomNight#${ROOM_ID}#2026-02-01`],
    });
  });
});
