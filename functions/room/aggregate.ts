/** The room as the generic event-store code sees it (the `@aggregate` alias binds it at bundle time). */
import type { Room } from '../../schema/generated/types.ts';
import type { Aggregate } from '../shared/decider.ts';
import { decide, type RoomCommand } from './decide.ts';
import { ROOM_SCHEMA_VERSION, uniqueConstraintsOf, type RoomEvent } from './events.ts';
import { evolve } from './evolve.ts';
import { initialState, toRoom, type RoomState } from './state.ts';
import { ROOM_STREAM } from './stream.ts';

export const aggregate: Aggregate<RoomState, RoomEvent, RoomCommand, Room> = {
  ...ROOM_STREAM,
  eventSchemaVersion: ROOM_SCHEMA_VERSION,
  initialState,
  evolve,
  decide,
  uniqueConstraintsOf,
  toView: toRoom,
};
