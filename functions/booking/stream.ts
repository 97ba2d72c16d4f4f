/** The booking's stream: keyed `Booking#<ULID>`, and the version of its state's shape in snapshots. */
import { BOOKING_STATE_VERSION } from './state.ts';

export const BOOKING_STREAM = { streamType: 'Booking', stateSchemaVersion: BOOKING_STATE_VERSION };
