/**
 * The end of every command step: refuse with the domain's error, or wrap the
 * decided events in envelopes and stash them for publishEvents.
 */
import { util, type Context, type NONERequest } from '@aws-appsync/utils';
import { actorOf, correlationIdOf } from './commandMetadata';
import type { EventEnvelope, NewEvent } from './envelope';
import { wrapInEnvelopes } from './envelopes';
import type { EventStoreStash } from './stash';

/** A refusal as every aggregate's `decide` returns it. */
export interface CommandRefusal {
  errorType: string;
  message: string;
  violations: { rule: string; message: string }[];
}

/** The GraphQL error clients see: `errorType` and `errorInfo.violations`, every broken rule. */
export function refuse(refusal: CommandRefusal): never {
  return util.error(refusal.message, refusal.errorType, null, { violations: refusal.violations });
}

/** True when the stream already holds an event of this command: it is answered again, not decided again. */
export function isAlreadyStored(stored: EventEnvelope[], commandId: string): boolean {
  return stored.some((event) => event.commandId === commandId);
}

export interface PendingEventsContext {
  aggregateId: string;
  currentVersion: number;
  commandId: string;
  schemaVersion: number;
}

/** Wraps decided events at the stream's next versions and stashes them for publishEvents. */
export function stashPendingEvents(
  ctx: Context<unknown, EventStoreStash>,
  events: NewEvent[],
  command: PendingEventsContext,
): NONERequest {
  const pendingEvents = wrapInEnvelopes(events, {
    ...command,
    correlationId: correlationIdOf(ctx.request?.headers, command.commandId),
    actor: actorOf(ctx.identity),
    occurredAt: util.time.nowISO8601(),
    eventIds: events.map(() => util.autoUlid()),
  });
  ctx.stash.pendingEvents = pendingEvents;
  return { payload: pendingEvents };
}
