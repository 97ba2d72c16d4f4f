import { describe, expect, it } from 'vitest';
import { roomNightKey, uniqueConstraintsOf } from '../../../functions/reservation/events.ts';
import { aggregate as reservation } from '../../../functions/reservation/aggregate.ts';
import { constraintsToWrite } from '../../../functions/eventStore/uniqueConstraints.ts';
import { cancelled, created, timedOut } from '../../helpers/decider.ts';

describe('roomNightKey', () => {
  it('joins room and night under the RoomNight prefix', () => {
    expect(roomNightKey('room-101', '2026-02-01')).toBe('RoomNight#room-101#2026-02-01');
  });
});

describe('uniqueConstraintsOf', () => {
  it('makes a creation claim one key per night of its room, check-out day excluded', () => {
    expect(uniqueConstraintsOf(created({ roomId: 'room-7', dateStart: '2024-02-28', dateEnd: '2024-03-01' }))).toEqual({
      claim: ['RoomNight#room-7#2024-02-28', 'RoomNight#room-7#2024-02-29'],
      release: [],
      claimRule: 'RoomAlreadyReserved',
    });
  });

  it('makes a cancellation release the keys its creation claimed', () => {
    const stay = { roomId: 'room-7', dateStart: '2026-12-30', dateEnd: '2027-01-02' };
    const claimedKeys = uniqueConstraintsOf(created(stay)).claim;
    expect(claimedKeys).toHaveLength(3);
    expect(uniqueConstraintsOf(cancelled({ ...stay, reason: 'plans changed' }))).toEqual({
      claim: [],
      release: claimedKeys,
    });
  });

  it('makes a timeout tombstone claim and release nothing', () => {
    expect(constraintsToWrite(reservation, timedOut())).toEqual({ claim: [], release: [] });
  });

  it('claims nothing for an unknown event type at run time', () => {
    const unknown = { type: 'ReservationMoved', data: {} } as unknown as Parameters<typeof uniqueConstraintsOf>[0];
    expect(uniqueConstraintsOf(unknown)).toEqual({ claim: [], release: [] });
  });
});
