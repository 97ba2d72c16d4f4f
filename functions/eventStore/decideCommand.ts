/**
 * Pipeline step (NONE data source), bundled per aggregate: folds the loaded
 * stream with the aggregate's reducer, decides the stashed command (with the
 * clock and the facts the aggregate's read steps found), and stashes the
 * resulting events, in envelopes at the stream's next versions, for
 * scheduleTimeout and publishEvents. Refuses with every broken rule at once.
 * A command already in the stream is answered again without deciding or
 * publishing anything. A refused command that a Step Functions execution waits
 * for is stashed as `refusal` and refused by answerTaskAtCommand, after it has
 * told the execution.
 *
 * An event decided at a multiple of SNAPSHOT_INTERVAL carries the state after
 * it, which appendEvent stores as the stream's snapshot. The stream loaded
 * may start after a snapshot: a command whose event is older than that
 * snapshot is decided again (and refused by rules such as "already exists").
 */
import { util, type Context, type NONERequest } from '@aws-appsync/utils';
import { aggregate } from '@aggregate';
import type { CommandBase } from '../shared/decider';
import { refuse } from '../shared/refuse';
import { actorOf, correlationIdOf } from './commandMetadata';
import { wrapInEnvelopes } from './envelopes';
import { evolveStored, foldStream, startingState } from './fold';
import { takesSnapshot } from './snapshot';
import type { CommandStash, PendingEvent } from './stash';

export function request(ctx: Context<unknown, CommandStash>): NONERequest {
  const { command } = ctx.stash;
  const loaded = ctx.stash.loaded ?? { events: [], snapshot: null };
  if (loaded.events.some((event) => event.commandId === command.commandId)) {
    ctx.stash.pendingEvents = [];
    return { payload: [] };
  }
  const state = foldStream(aggregate, loaded.events, startingState(aggregate, loaded.snapshot));
  const now = util.time.nowISO8601();
  // The command as decide reads it: what the resolver stashed, the facts read at command time, the clock.
  const decision = aggregate.decide(state, { ...command, ...ctx.stash.facts, now } as CommandBase);
  if (!decision.ok) {
    if (!ctx.stash.taskToken) {
      return refuse(decision.error);
    }
    // An execution waits for this command: answerTaskAtCommand tells it (SendTaskFailure), then refuses.
    ctx.stash.refusal = decision.error;
    ctx.stash.pendingEvents = [];
    return { payload: [] };
  }
  const events = wrapInEnvelopes(decision.events, {
    aggregateId: command.id,
    currentVersion: state.version,
    commandId: command.commandId,
    correlationId: correlationIdOf(ctx.request?.headers, command.commandId),
    actor: actorOf(ctx.identity),
    occurredAt: now,
    schemaVersion: aggregate.eventSchemaVersion,
    eventIds: decision.events.map(() => util.autoUlid()),
  });
  const pendingEvents: PendingEvent[] = [];
  let after = state;
  for (const event of events) {
    after = evolveStored(aggregate, after, event);
    pendingEvents.push(
      takesSnapshot(event.version) ? { ...event, snapshot: { schemaVersion: aggregate.stateSchemaVersion, state: after } } : event,
    );
  }
  ctx.stash.pendingEvents = pendingEvents;
  return { payload: pendingEvents };
}

export function response(ctx: Context<unknown, CommandStash>) {
  return ctx.result;
}
