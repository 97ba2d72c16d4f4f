/**
 * The names an aggregate gets from its stream type, in one place: the schema
 * generator, the CDK construct and the generic resolvers all read them here,
 * so `Reservation` always means `saveReservationEvent`, `onReservationSaved`,
 * `onReservationCommandAnswered`, `getReservation`, `getReservationHistory`, `ReservationSaved` and the bus
 * source `app.reservation`.
 */

export interface AggregateNames {
  /** The GraphQL type of the aggregate's view, e.g. `Reservation`. */
  viewType: string;
  /** The view's field in the saved answer, e.g. `reservation`. */
  viewField: string;
  eventType: string;
  eventTypeEnum: string;
  eventInput: string;
  savedType: string;
  saveMutation: string;
  /** The IAM-only mutation (NONE) that tells on<X>Saved of a stored event, for an aggregate delivered 'direct'. */
  publishSavedMutation: string;
  savedSubscription: string;
  /** The subscription bound to the aggregate's own command mutations: it hears each command's answer (CommandAccepted). */
  commandAnsweredSubscription: string;
  getQuery: string;
  historyQuery: string;
  /** The EventBridge `source` of the events the aggregate decides. */
  eventSource: string;
  /** The detail-type its events are published with once stored (source STORED_EVENT_SOURCE). */
  storedDetailType: string;
}

/** The EventBridge `source` of stored events, as the table's stream publishes them (the outbox). */
export const STORED_EVENT_SOURCE = 'app.eventstore';

export function aggregateNames(streamType: string): AggregateNames {
  return {
    viewType: streamType,
    viewField: `${streamType.charAt(0).toLowerCase()}${streamType.slice(1)}`,
    eventType: `${streamType}Event`,
    eventTypeEnum: `${streamType}EventType`,
    eventInput: `${streamType}EventInput`,
    savedType: `${streamType}Saved`,
    saveMutation: `save${streamType}Event`,
    publishSavedMutation: `publish${streamType}Saved`,
    savedSubscription: `on${streamType}Saved`,
    commandAnsweredSubscription: `on${streamType}CommandAnswered`,
    getQuery: `get${streamType}`,
    historyQuery: `get${streamType}History`,
    eventSource: eventSourceOf(streamType),
    storedDetailType: `${streamType}EventStored`,
  };
}

/** The EventBridge `source` of the events an aggregate decides: the publish step and the rule's pattern agree on it. */
export function eventSourceOf(streamType: string): string {
  return `app.${streamType.toLowerCase()}`;
}
