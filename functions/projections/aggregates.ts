/**
 * The aggregates whose stored events the read models read, by stream type,
 * with just what folding needs (their reducers, not their deciders: the
 * applier's bundle stays within AppSync's 32 KB). Valid APPSYNC_JS (objects
 * holding functions, not functions passed as arguments).
 */
import { evolve as guestEvolve } from '../guest/evolve';
import { initialState as guestInitial } from '../guest/state';
import { GUEST_STREAM } from '../guest/stream';
import { evolve as paymentEvolve } from '../payment/evolve';
import { initialState as paymentInitial } from '../payment/state';
import { PAYMENT_STREAM } from '../payment/stream';
import { evolve as reservationEvolve } from '../reservation/evolve';
import { initialState as reservationInitial } from '../reservation/state';
import { RESERVATION_STREAM } from '../reservation/stream';
import { evolve as roomEvolve } from '../room/evolve';
import { initialState as roomInitial } from '../room/state';
import { ROOM_STREAM } from '../room/stream';
import type { Aggregate } from '../shared/decider';

/** What the applier folds a stream with. */
export type StreamReducer = Pick<Aggregate, 'streamType' | 'stateSchemaVersion' | 'initialState' | 'evolve'>;

// Object literals, not a helper taking the reducer: APPSYNC_JS refuses functions passed as arguments.
export const READ_AGGREGATES = {
  [RESERVATION_STREAM.streamType]: { ...RESERVATION_STREAM, initialState: reservationInitial, evolve: reservationEvolve },
  [ROOM_STREAM.streamType]: { ...ROOM_STREAM, initialState: roomInitial, evolve: roomEvolve },
  [GUEST_STREAM.streamType]: { ...GUEST_STREAM, initialState: guestInitial, evolve: guestEvolve },
  [PAYMENT_STREAM.streamType]: { ...PAYMENT_STREAM, initialState: paymentInitial, evolve: paymentEvolve },
} as unknown as Record<string, StreamReducer | undefined>;
