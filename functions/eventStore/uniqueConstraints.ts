/**
 * The unique constraints the store writes with an event: the aggregate's
 * (functions/<aggregate>/events.ts says what each event claims or releases),
 * none for the store's own tombstone, which only takes its slot. Valid APPSYNC_JS.
 */
import type { Aggregate } from '../shared/decider';
import type { EventEnvelope, NewEvent, UniqueConstraints } from './envelope';
import { isStoreEvent } from './storeOutcome';

export function constraintsToWrite<Event extends EventEnvelope>(
  aggregate: Pick<Aggregate<never, Event>, 'uniqueConstraintsOf'>,
  event: NewEvent,
): UniqueConstraints {
  if (isStoreEvent(event)) {
    return { claim: [], release: [] };
  }
  return aggregate.uniqueConstraintsOf(event as Parameters<typeof aggregate.uniqueConstraintsOf>[0]);
}
