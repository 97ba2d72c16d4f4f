/** The reservation's stream: keyed `Reservation#<ULID>`, and the version of its state's shape in snapshots. */
import { RESERVATION_STATE_VERSION } from './state.ts';

export const RESERVATION_STREAM = {
  streamType: 'Reservation',
  stateSchemaVersion: RESERVATION_STATE_VERSION,
};
