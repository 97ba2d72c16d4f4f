/**
 * The reservation as the generic event-store code sees it: its decider and
 * what the store needs to know. infra bundles the generic steps and resolvers
 * with this object (the `@aggregate` alias).
 */
import type { Reservation } from '../../schema/generated/types.ts';
import type { Aggregate } from '../shared/decider.ts';
import { decide, type ReservationCommand } from './decide.ts';
import { RESERVATION_SCHEMA_VERSION, uniqueConstraintsOf, type ReservationEvent } from './events.ts';
import { evolve } from './evolve.ts';
import { initialState, toReservation, type ReservationState } from './state.ts';
import { RESERVATION_STREAM } from './stream.ts';

export const aggregate: Aggregate<ReservationState, ReservationEvent, ReservationCommand, Reservation> = {
  ...RESERVATION_STREAM,
  eventSchemaVersion: RESERVATION_SCHEMA_VERSION,
  initialState,
  evolve,
  decide,
  uniqueConstraintsOf,
  toView: toReservation,
};
