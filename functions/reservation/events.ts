/**
 * The events of a reservation stream: their data, their envelopes, and the unique
 * constraints each one claims or releases. Type names come from the schema's
 * ReservationEventType (less the store's own tombstone, which the aggregate never
 * sees); adding a name there breaks compilation here until handled.
 */
import type { EventEnvelope, NewEvent, UniqueConstraints } from '../eventStore/envelope.ts';
import type { ReservationEventType as SchemaEventType, StoreEventType } from '../../schema/generated/types.ts';
import { ROOM_RESERVED_RULE, roomNightKeysBetween } from '../shared/roomNights.ts';

export { roomNightKey } from '../shared/roomNights.ts';

/** The reservation's own event types: the schema's enum without the store's tombstone. */
export type ReservationEventType = Exclude<SchemaEventType, StoreEventType>;

/** Version of every reservation event's `data` shape. */
export const RESERVATION_SCHEMA_VERSION = 1;

/** A room was reserved for the nights dateStart (inclusive) to dateEnd (exclusive). */
export interface ReservationCreated {
  userId: string;
  roomId: string;
  dateStart: string;
  dateEnd: string;
}

/** A reservation was cancelled; room and dates repeated so its nights can be released from the event alone. */
export interface ReservationCancelled {
  roomId: string;
  dateStart: string;
  dateEnd: string;
  reason: string | null;
}

/** Data shape of each event type; indexed by the schema's enum so none can be forgotten. */
export interface ReservationEventDataByType {
  ReservationCreated: ReservationCreated;
  ReservationCancelled: ReservationCancelled;
}

/** A stored reservation event, with its envelope. */
export type ReservationEvent = {
  [Type in ReservationEventType]: EventEnvelope<Type, ReservationEventDataByType[Type]>;
}[ReservationEventType];

/** What `decide` emits: a reservation event without its envelope. */
export type NewReservationEvent = {
  [Type in ReservationEventType]: NewEvent<Type, ReservationEventDataByType[Type]>;
}[ReservationEventType];

/**
 * The unique-constraint items an event writes with it: a creation claims one key per
 * night of its room, a cancellation releases the same keys.
 */
export function uniqueConstraintsOf(event: NewReservationEvent): UniqueConstraints {
  switch (event.type) {
    case 'ReservationCreated':
      return {
        claim: roomNightKeysBetween(event.data.roomId, event.data.dateStart, event.data.dateEnd),
        release: [],
        claimRule: ROOM_RESERVED_RULE,
      };
    case 'ReservationCancelled':
      return {
        claim: [],
        release: roomNightKeysBetween(event.data.roomId, event.data.dateStart, event.data.dateEnd),
      };
    default: {
      // Exhaustive at compile time; at run time an unknown type claims nothing (no throw in APPSYNC_JS).
      const _unknown: never = event;
      return { claim: [], release: [] };
    }
  }
}
