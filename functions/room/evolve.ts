/** The room's reducer, shared by the command side, the queries and the tests. Total: it never throws. */
import type { RoomEvent } from './events.ts';
import type { RoomState } from './state.ts';

export function evolve(state: RoomState, event: RoomEvent): RoomState {
  switch (event.type) {
    case 'RoomRegistered':
      return { status: 'REGISTERED', version: event.version, id: event.aggregateId, closedNights: [], ...event.data };
    case 'RoomClosed':
      if (state.status === 'NONE') {
        return { ...state, version: event.version };
      }
      // sort(): 'YYYY-MM-DD' strings order like their dates (APPSYNC_JS refuses a comparator).
      return { ...state, version: event.version, closedNights: [...state.closedNights, ...event.data.nights].sort() };
    case 'RoomReopened':
      if (state.status === 'NONE') {
        return { ...state, version: event.version };
      }
      return { ...state, version: event.version, closedNights: state.closedNights.filter((night) => event.data.nights.indexOf(night) < 0) };
    default: {
      const _unknown: never = event;
      return state;
    }
  }
}
