/**
 * The reservation's decider spec (deciderSpec.ts) and its fixtures:
 *
 *   given([created()]).when(cancel()).then([{ type: 'ReservationCancelled', data }]);
 *   given([]).when(create({ dateEnd: '2026-01-01' })).thenRefuses('BusinessRuleViolation', ['DateRangeInvalid']);
 */
import type { CancelReservation, CreateReservation, ReservationRule } from '../../functions/reservation/decide.ts';
import { aggregate as reservation } from '../../functions/reservation/aggregate.ts';
import type { NewReservationEvent } from '../../functions/reservation/events.ts';
import { deciderSpec } from './deciderSpec.ts';

export { OCCURRED_AT, timedOut } from './deciderSpec.ts';

export const RESERVATION_ID = '01JCZ5P1Q8M4T2V6X9Y3ZB7KDA';
export const NOW = '2026-01-10T09:30:00.000Z';

export const { envelope, stream, fold, evolveStored, given } = deciderSpec<
  Parameters<typeof reservation.evolve>[0],
  Parameters<typeof reservation.evolve>[1],
  CreateReservation | CancelReservation,
  ReservationRule
>(reservation, { aggregateId: RESERVATION_ID });

export function created(data: Partial<Extract<NewReservationEvent, { type: 'ReservationCreated' }>['data']> = {}): NewReservationEvent {
  return {
    type: 'ReservationCreated',
    data: { userId: 'user-1', roomId: 'room-101', dateStart: '2026-02-01', dateEnd: '2026-02-04', ...data },
  };
}

export function cancelled(data: Partial<Extract<NewReservationEvent, { type: 'ReservationCancelled' }>['data']> = {}): NewReservationEvent {
  return {
    type: 'ReservationCancelled',
    data: { roomId: 'room-101', dateStart: '2026-02-01', dateEnd: '2026-02-04', reason: null, ...data },
  };
}

export function create(fields: Partial<Omit<CreateReservation, 'type'>> = {}): CreateReservation {
  return {
    type: 'CreateReservation',
    id: RESERVATION_ID,
    commandId: 'create-1',
    userId: 'user-1',
    roomId: 'room-101',
    dateStart: '2026-02-01',
    dateEnd: '2026-02-04',
    now: NOW,
    roomNightsTaken: [],
    roomNightsClosed: [],
    ...fields,
  };
}

export function cancel(fields: Partial<Omit<CancelReservation, 'type'>> = {}): CancelReservation {
  return {
    type: 'CancelReservation',
    id: RESERVATION_ID,
    commandId: 'cancel-1',
    reason: null,
    now: NOW,
    ...fields,
  };
}
