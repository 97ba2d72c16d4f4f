/** What the reservation resolvers and steps keep in `ctx.stash`, on top of the event-store steps' fields. */
import type { EventStoreStash } from '../eventStore/stash';
import type { CancelReservation, CreateReservation } from './decide';

/** Reservation streams are keyed `Reservation#<ULID>`. */
export const RESERVATION_STREAM = 'Reservation';

/** A command as the resolver stashes it: everything but what the steps add (the clock, the room's taken nights). */
export type ReservationCommandRequest = Omit<CreateReservation, 'now' | 'roomNightsTaken'> | Omit<CancelReservation, 'now'>;

export interface ReservationStash extends EventStoreStash {
  command?: ReservationCommandRequest;
  /** Nights of the requested room already held by another reservation (set by checkRoomNights). */
  roomNightsTaken?: string[];
  /** Constraint key → night, to read nights back from BatchGetItem's unordered answer. */
  roomNightKeys?: Record<string, string>;
}
