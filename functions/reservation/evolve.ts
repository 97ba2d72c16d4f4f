/**
 * The shared reducer: the command side, the query side and the tests fold the same
 * stored events with it (functions/eventStore/fold.ts, which also steps over the
 * store's tombstones). Total: it never throws (APPSYNC_JS has no throw).
 */
import type { ReservationEvent } from './events.ts';
import type { ReservationState } from './state.ts';

/** The state after one stored event. Every event sets `version` to its own. */
export function evolve(state: ReservationState, event: ReservationEvent): ReservationState {
  switch (event.type) {
    case 'ReservationCreated':
      return {
        status: 'CONFIRMED',
        version: event.version,
        id: event.aggregateId,
        userId: event.data.userId,
        roomId: event.data.roomId,
        dateStart: event.data.dateStart,
        dateEnd: event.data.dateEnd,
        createdAt: event.occurredAt,
        updatedAt: event.occurredAt,
        cancellationReason: null,
      };
    case 'ReservationCancelled':
      if (state.status === 'NONE') {
        // Unreachable through decide; a stored fact still advances the version.
        return { status: 'NONE', version: event.version };
      }
      return {
        ...state,
        status: 'CANCELLED',
        version: event.version,
        updatedAt: event.occurredAt,
        cancellationReason: event.data.reason,
      };
    default: {
      // Exhaustive at compile time; an unknown type at run time leaves the state unchanged.
      const _unknown: never = event;
      return state;
    }
  }
}
