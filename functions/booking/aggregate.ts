/** The booking as the generic event-store code sees it (the `@aggregate` alias binds it at bundle time). */
import type { Booking } from '../../schema/generated/types.ts';
import type { Aggregate } from '../shared/decider.ts';
import { decide, type BookingCommand } from './decide.ts';
import { BOOKING_SCHEMA_VERSION, uniqueConstraintsOf, type BookingEvent } from './events.ts';
import { evolve } from './evolve.ts';
import { initialState, toBooking, type BookingState } from './state.ts';
import { BOOKING_STREAM } from './stream.ts';

export const aggregate: Aggregate<BookingState, BookingEvent, BookingCommand, Booking> = {
  ...BOOKING_STREAM,
  eventSchemaVersion: BOOKING_SCHEMA_VERSION,
  initialState,
  evolve,
  decide,
  uniqueConstraintsOf,
  toView: toBooking,
};
