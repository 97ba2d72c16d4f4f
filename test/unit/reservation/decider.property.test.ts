import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, nightsOf } from '../../../functions/shared/calendarDate.ts';
import { decide, MAX_NIGHTS, type ReservationCommand } from '../../../functions/reservation/decide.ts';
import { uniqueConstraintsOf, roomNightKey, type ReservationEvent } from '../../../functions/reservation/events.ts';
import { initialState, type ReservationState } from '../../../functions/reservation/state.ts';
import { cancel, create, envelope, evolveStored, fold, NOW, RESERVATION_ID, timedOut } from '../../helpers/decider.ts';

const TODAY = NOW.slice(0, 10);
const ERROR_TYPES = ['BusinessRuleViolation', 'NotFound', 'ValidationError'];

const dayOffset = fc.integer({ min: -5, max: 70 });

const createCommand = fc
  .record({
    start: dayOffset,
    length: fc.integer({ min: -2, max: 40 }),
    room: fc.constantFrom('room-1', 'room-2'),
    user: fc.constantFrom('user-a', 'user-b'),
    taken: fc.uniqueArray(dayOffset, { maxLength: 4 }),
  })
  .map(({ start, length, room, user, taken }) =>
    create({
      roomId: room,
      userId: user,
      dateStart: addDays(TODAY, start),
      dateEnd: addDays(TODAY, start + length),
      roomNightsTaken: taken.map((offset) => addDays(TODAY, offset)),
    }),
  );

const cancelCommand = fc.option(fc.string({ maxLength: 20 }), { nil: null }).map((reason) => cancel({ reason }));

const command: fc.Arbitrary<ReservationCommand> = fc.oneof(createCommand, cancelCommand);

/** A step of a stream's life: a command that is decided, or a timeout that stores a tombstone. */
const step = fc.oneof(
  { weight: 4, arbitrary: command.map((c) => ({ kind: 'command' as const, command: c })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'timeout' as const }) },
);

/** A valid stream: what the store would hold after these steps, versions 1..N. */
function storedStream(steps: { kind: 'command' | 'timeout'; command?: ReservationCommand }[]): ReservationEvent[] {
  const events: ReservationEvent[] = [];
  let state: ReservationState = initialState;
  for (const s of steps) {
    const newEvents =
      s.kind === 'timeout'
        ? [timedOut()]
        : (() => {
            const decision = decide(state, s.command!);
            return decision.ok ? decision.events : [];
          })();
    for (const event of newEvents) {
      const stored = envelope(event, events.length + 1, RESERVATION_ID, `2026-01-10T09:${String(events.length).padStart(2, '0')}:00.000Z`);
      events.push(stored);
      state = evolveStored(state, stored);
    }
  }
  return events;
}

const history = fc.array(step, { maxLength: 12 }).map(storedStream);

describe('folding a stored stream', () => {
  it('is deterministic, leaves the events untouched, and keeps versions gapless 1..N', () => {
    fc.assert(
      fc.property(history, (events) => {
        const before = structuredClone(events);
        const state = fold(events);
        expect(fold(structuredClone(events))).toEqual(state);
        expect(events).toEqual(before);
        expect(state.version).toBe(events.length);
        let current: ReservationState = initialState;
        for (const [index, event] of events.entries()) {
          expect(event.version).toBe(index + 1);
          current = evolveStored(current, event);
          expect(current.version).toBe(index + 1);
        }
        expect(current).toEqual(state);
      }),
    );
  });
});

describe('decide', () => {
  it('never emits events for a refused command, and names at least one rule', () => {
    fc.assert(
      fc.property(history, command, (events, c) => {
        const decision = decide(fold(events), c);
        if (decision.ok) {
          expect(decision.events.length).toBeGreaterThan(0);
        } else {
          expect(Object.hasOwn(decision, 'events')).toBe(false);
          expect(ERROR_TYPES).toContain(decision.error.errorType);
          expect(decision.error.violations.length).toBeGreaterThan(0);
          const rules = decision.error.violations.map((v) => v.rule);
          expect(new Set(rules).size).toBe(rules.length);
        }
      }),
    );
  });

  it('accepts a create exactly when no rule is broken (checked against an independent model)', () => {
    fc.assert(
      fc.property(history, createCommand, (events, c) => {
        if (c.type !== 'CreateReservation') return;
        const state = fold(events);
        const start = Date.parse(`${c.dateStart}T00:00:00Z`);
        const end = Date.parse(`${c.dateEnd}T00:00:00Z`);
        const nights = (end - start) / 86_400_000;
        const clash = c.roomNightsTaken.some((night) => {
          const t = Date.parse(`${night}T00:00:00Z`);
          return t >= start && t < end;
        });
        const expected: string[] = [];
        if (nights < 1) expected.push('DateRangeInvalid');
        if (start < Date.parse(`${TODAY}T00:00:00Z`)) expected.push('DateStartInPast');
        if (nights > MAX_NIGHTS) expected.push('StayTooLong');
        if (clash) expected.push('RoomAlreadyReserved');
        if (state.status !== 'NONE') expected.push('ReservationExists');
        const decision = decide(state, c);
        expect(decision.ok ? [] : decision.error.violations.map((v) => v.rule)).toEqual(expected);
      }),
    );
  });

  it('emits events that, folded, give a state consistent with the command', () => {
    fc.assert(
      fc.property(history, command, (events, c) => {
        const before = fold(events);
        const decision = decide(before, c);
        if (!decision.ok) return;
        const emitted = decision.events.map((event, i) => envelope(event, before.version + 1 + i, c.id, NOW));
        const after = fold(emitted, before);
        expect(after.version).toBe(before.version + decision.events.length);
        if (c.type === 'CreateReservation') {
          expect(after).toEqual({
            status: 'CONFIRMED',
            version: before.version + 1,
            id: c.id,
            userId: c.userId,
            roomId: c.roomId,
            dateStart: c.dateStart,
            dateEnd: c.dateEnd,
            createdAt: NOW,
            updatedAt: NOW,
            cancellationReason: null,
          });
          const claim = decision.events.flatMap((event) => uniqueConstraintsOf(event).claim);
          expect(claim).toEqual(nightsOf(c.dateStart, c.dateEnd).map((night) => roomNightKey(c.roomId, night)));
          expect(claim.length).toBeLessThanOrEqual(MAX_NIGHTS);
          for (const night of c.roomNightsTaken) expect(claim).not.toContain(roomNightKey(c.roomId, night));
        } else {
          expect(before.status).toBe('CONFIRMED');
          expect(after).toEqual({
            ...before,
            status: 'CANCELLED',
            version: before.version + 1,
            updatedAt: NOW,
            cancellationReason: c.reason,
          });
          if (before.status === 'NONE') return;
          const release = decision.events.flatMap((event) => uniqueConstraintsOf(event).release);
          expect(release).toEqual(nightsOf(before.dateStart, before.dateEnd).map((night) => roomNightKey(before.roomId, night)));
        }
      }),
    );
  });
});
