/**
 * The state of one reservation stream, folded from its events by `evolve`.
 * Hand-written because the schema cannot say it: a stream with no reservation yet
 * (possibly holding timeout tombstones) has a version but no reservation fields.
 */
import type { Reservation, ReservationStatus } from '../../schema/generated/types.ts';

/** Version of ReservationState's shape, stored with each snapshot: bump it when the shape changes, and older snapshots are ignored. */
export const RESERVATION_STATE_VERSION = 1;

/** No reservation in the stream yet; `version` counts the tombstones already stored. */
export interface NoReservation {
  status: 'NONE';
  version: number;
}

/** A reservation exists (CONFIRMED or CANCELLED). */
export interface ExistingReservation {
  status: ReservationStatus;
  version: number;
  id: string;
  userId: string;
  roomId: string;
  dateStart: string;
  dateEnd: string;
  createdAt: string;
  updatedAt: string;
  cancellationReason: string | null;
}

export type ReservationState = NoReservation | ExistingReservation;

/** The state of an empty stream. */
export const initialState: ReservationState = { status: 'NONE', version: 0 };

/** The GraphQL Reservation of a state, or null when the stream holds no reservation. */
export function toReservation(state: ReservationState): Reservation | null {
  if (state.status === 'NONE') {
    return null;
  }
  return {
    id: state.id,
    userId: state.userId,
    roomId: state.roomId,
    dateStart: state.dateStart,
    dateEnd: state.dateEnd,
    status: state.status,
    version: state.version,
    createdAt: state.createdAt,
    updatedAt: state.updatedAt,
    cancellationReason: state.cancellationReason,
  };
}
