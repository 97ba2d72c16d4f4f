/**
 * Pipeline step (DynamoDB data source) of closeRoom, before decideCommand:
 * reads the claims on the nights to close, so `decide` can refuse nights a
 * reservation holds (`facts.roomNightsReserved`: RoomNightsReserved, a rule
 * across aggregates). The store's transaction still settles a race with a
 * reservation of those nights: one SAVED, the other REJECTED.
 */
import { runtime, type Context, type DynamoDBBatchGetItemRequest } from '@aws-appsync/utils';
import { claimsFound, claimsRequest } from '../eventStore/claims';
import type { CommandStash } from '../eventStore/stash';
import { nightsOf } from '../shared/calendarDate';
import { roomNightKeysOf } from '../shared/roomNights';
import { MAX_CLOSED_NIGHTS, type CloseRoom, type RoomFacts } from './decide';

type CloseStash = CommandStash<Omit<CloseRoom, 'now' | 'roomNightsReserved'>, RoomFacts> & { roomNightKeys?: Record<string, string> };

export function request(ctx: Context<unknown, CloseStash>): DynamoDBBatchGetItemRequest {
  const { command } = ctx.stash;
  // A closure longer than MAX_CLOSED_NIGHTS is refused anyway; its first nights are enough to report reservations.
  const nights = nightsOf(command.dateStart, command.dateEnd, MAX_CLOSED_NIGHTS);
  if (nights.length === 0) {
    ctx.stash.facts = { roomNightsReserved: [] };
    runtime.earlyReturn([]);
  }
  ctx.stash.roomNightKeys = roomNightKeysOf(command.id, nights);
  return claimsRequest(ctx.env.EVENT_STORE_TABLE!, Object.keys(ctx.stash.roomNightKeys));
}

export function response(ctx: Context<unknown, CloseStash>): RoomFacts {
  const held = claimsFound(ctx.env.EVENT_STORE_TABLE!, ctx.error, ctx.result).filter((claim) => claim.aggregateId !== ctx.stash.command.id);
  ctx.stash.facts = { roomNightsReserved: held.map((claim) => ctx.stash.roomNightKeys![claim.streamId]!).sort() };
  return ctx.stash.facts;
}
