/** The guest's reducer, shared by the command side, the queries and the tests. */
import type { GuestEvent } from './events.ts';
import type { GuestState } from './state.ts';

export function evolve(state: GuestState, event: GuestEvent): GuestState {
  if (event.type === 'GuestRegistered') {
    return { status: 'REGISTERED', version: event.version, id: event.aggregateId, name: event.data.name, email: event.data.email };
  }
  return state;
}
