/** The payment's stream: keyed `Payment#<ULID>`, and the version of its state's shape in snapshots. */
import { PAYMENT_STATE_VERSION } from './state.ts';

export const PAYMENT_STREAM = { streamType: 'Payment', stateSchemaVersion: PAYMENT_STATE_VERSION };
