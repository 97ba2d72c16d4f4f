/** The guest's stream: keyed `Guest#<ULID>`, and the version of its state's shape in snapshots. */
import { GUEST_STATE_VERSION } from './state.ts';

export const GUEST_STREAM = { streamType: 'Guest', stateSchemaVersion: GUEST_STATE_VERSION };
