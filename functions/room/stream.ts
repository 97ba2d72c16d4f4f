/** The room's stream: keyed `Room#<ULID>`, and the version of its state's shape in snapshots. */
import { ROOM_STATE_VERSION } from './state.ts';

export const ROOM_STREAM = { streamType: 'Room', stateSchemaVersion: ROOM_STATE_VERSION };
