import { describe, expect, it } from 'vitest';
import { evolve } from '../../../functions/reservation/evolve.ts';
import type { ReservationEvent } from '../../../functions/reservation/events.ts';
import { initialState, toReservation } from '../../../functions/reservation/state.ts';
import { cancelled, created, envelope, evolveStored, fold, RESERVATION_ID, stream, timedOut } from '../../helpers/decider.ts';

describe('evolve', () => {
  it('starts from an empty stream with no reservation', () => {
    expect(fold([])).toEqual({ status: 'NONE', version: 0 });
    expect(toReservation(initialState)).toBeNull();
  });

  it('confirms a reservation on ReservationCreated', () => {
    const state = fold([envelope(created(), 1, RESERVATION_ID, '2026-01-05T12:00:00.000Z')]);
    expect(state).toEqual({
      status: 'CONFIRMED',
      version: 1,
      id: RESERVATION_ID,
      userId: 'user-1',
      roomId: 'room-101',
      dateStart: '2026-02-01',
      dateEnd: '2026-02-04',
      createdAt: '2026-01-05T12:00:00.000Z',
      updatedAt: '2026-01-05T12:00:00.000Z',
      cancellationReason: null,
    });
  });

  it('cancels it on ReservationCancelled, keeping createdAt and moving updatedAt', () => {
    const state = fold([
      envelope(created(), 1, RESERVATION_ID, '2026-01-05T12:00:00.000Z'),
      envelope(cancelled({ reason: 'ill' }), 2, RESERVATION_ID, '2026-01-06T08:00:00.000Z'),
    ]);
    expect(state).toMatchObject({
      status: 'CANCELLED',
      version: 2,
      createdAt: '2026-01-05T12:00:00.000Z',
      updatedAt: '2026-01-06T08:00:00.000Z',
      cancellationReason: 'ill',
    });
  });

  it('only advances the version on a timeout tombstone', () => {
    const before = fold(stream([created()]));
    const after = evolveStored(before, envelope(timedOut(), 2, RESERVATION_ID, '2026-01-09T00:00:00.000Z'));
    expect(after).toEqual({ ...before, version: 2 });
  });

  it('counts tombstones in the version of an empty stream', () => {
    expect(fold(stream([timedOut(), timedOut()]))).toEqual({ status: 'NONE', version: 2 });
  });

  it('only advances the version on a cancellation with no reservation (unreachable through decide)', () => {
    expect(fold(stream([cancelled()]))).toEqual({ status: 'NONE', version: 1 });
  });

  it('leaves the state unchanged on an unknown event type at run time', () => {
    const state = fold(stream([created()]));
    const unknown = { ...envelope(timedOut(), 2), type: 'ReservationMoved' } as unknown as ReservationEvent;
    expect(evolve(state, unknown)).toBe(state);
  });

  it('folds from a given state', () => {
    const [first, second] = stream([created(), cancelled()]);
    expect(fold([second!], fold([first!]))).toEqual(fold([first!, second!]));
  });
});

describe('toReservation', () => {
  it('gives the GraphQL Reservation of a confirmed state', () => {
    expect(toReservation(fold(stream([created(), timedOut()])))).toEqual({
      id: RESERVATION_ID,
      userId: 'user-1',
      roomId: 'room-101',
      dateStart: '2026-02-01',
      dateEnd: '2026-02-04',
      status: 'CONFIRMED',
      version: 2,
      createdAt: '2026-01-05T12:00:00.000Z',
      updatedAt: '2026-01-05T12:00:00.000Z',
      cancellationReason: null,
    });
  });

  it('carries the cancellation reason', () => {
    expect(toReservation(fold(stream([created(), cancelled({ reason: 'ill' })])))).toMatchObject({
      status: 'CANCELLED',
      cancellationReason: 'ill',
    });
  });
});
