/** The guest as the generic event-store code sees it (the `@aggregate` alias binds it at bundle time). */
import type { Guest } from '../../schema/generated/types.ts';
import type { Aggregate } from '../shared/decider.ts';
import { decide, type GuestCommand } from './decide.ts';
import { GUEST_SCHEMA_VERSION, uniqueConstraintsOf, type GuestEvent } from './events.ts';
import { evolve } from './evolve.ts';
import { initialState, toGuest, type GuestState } from './state.ts';
import { GUEST_STREAM } from './stream.ts';

export const aggregate: Aggregate<GuestState, GuestEvent, GuestCommand, Guest> = {
  ...GUEST_STREAM,
  eventSchemaVersion: GUEST_SCHEMA_VERSION,
  initialState,
  evolve,
  decide,
  uniqueConstraintsOf,
  toView: toGuest,
};
