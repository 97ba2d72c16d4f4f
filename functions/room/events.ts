/**
 * The events of a room stream and the unique values each claims: a room
 * number for its registration, room-nights for a closure (the items a
 * reservation of those nights would claim), released again by a reopening.
 */
import type { EventEnvelope, NewEvent, UniqueConstraints } from '../eventStore/envelope.ts';
import type { RoomEventType as SchemaEventType, StoreEventType } from '../../schema/generated/types.ts';
import { ROOM_CLOSED_RULE, roomNightKey } from '../shared/roomNights.ts';

/** The room's own event types: the schema's enum without the store's tombstone. */
export type RoomEventType = Exclude<SchemaEventType, StoreEventType>;

/** Version of every room event's `data` shape. */
export const ROOM_SCHEMA_VERSION = 1;

/** The rule a registration breaks when its number is held. */
export const ROOM_NUMBER_TAKEN_RULE = 'RoomNumberTaken';

export interface RoomRegistered {
  number: string;
  capacity: number;
  nightlyRate: number;
  currency: string;
}

/** Nights taken out of service: `nights` are those this closure claims (the range less nights already closed). */
export interface RoomClosed {
  roomId: string;
  dateStart: string;
  dateEnd: string;
  reason: string;
  nights: string[];
}

/** Closed nights put back in service: `nights` are those it releases. */
export interface RoomReopened {
  roomId: string;
  dateStart: string;
  dateEnd: string;
  nights: string[];
}

export interface RoomEventDataByType {
  RoomRegistered: RoomRegistered;
  RoomClosed: RoomClosed;
  RoomReopened: RoomReopened;
}

export type RoomEvent = { [Type in RoomEventType]: EventEnvelope<Type, RoomEventDataByType[Type]> }[RoomEventType];
export type NewRoomEvent = { [Type in RoomEventType]: NewEvent<Type, RoomEventDataByType[Type]> }[RoomEventType];

/** Key of the item that makes a room number unique across the hotel. */
export function roomNumberKey(number: string): string {
  return `RoomNumber#${number}`;
}

export function uniqueConstraintsOf(event: NewRoomEvent): UniqueConstraints {
  switch (event.type) {
    case 'RoomRegistered':
      return { claim: [roomNumberKey(event.data.number)], release: [], claimRule: ROOM_NUMBER_TAKEN_RULE };
    case 'RoomClosed':
      return { claim: event.data.nights.map((night) => roomNightKey(event.data.roomId, night)), release: [], claimRule: ROOM_CLOSED_RULE };
    case 'RoomReopened':
      return { claim: [], release: event.data.nights.map((night) => roomNightKey(event.data.roomId, night)) };
    default: {
      // Exhaustive at compile time; at run time an unknown type claims nothing (no throw in APPSYNC_JS).
      const _unknown: never = event;
      return { claim: [], release: [] };
    }
  }
}
