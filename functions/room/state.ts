/**
 * The state of one room stream, folded by `evolve`. Hand-written because the
 * schema cannot say it: a stream with no room yet has a version but no fields.
 */
import type { Room } from '../../schema/generated/types.ts';

/** Version of RoomState's shape, stored with each snapshot: bump it when the shape changes. */
export const ROOM_STATE_VERSION = 1;

export interface NoRoom {
  status: 'NONE';
  version: number;
}

export interface RegisteredRoom {
  status: 'REGISTERED';
  version: number;
  id: string;
  number: string;
  capacity: number;
  nightlyRate: number;
  currency: string;
  /** Nights out of service, ascending. */
  closedNights: string[];
}

export type RoomState = NoRoom | RegisteredRoom;

export const initialState: RoomState = { status: 'NONE', version: 0 };

/** The GraphQL Room of a state, or null when the stream holds no room. */
export function toRoom(state: RoomState): Room | null {
  if (state.status === 'NONE') {
    return null;
  }
  return {
    id: state.id,
    number: state.number,
    capacity: state.capacity,
    nightlyRate: state.nightlyRate,
    currency: state.currency,
    version: state.version,
    closedNights: state.closedNights,
  };
}
