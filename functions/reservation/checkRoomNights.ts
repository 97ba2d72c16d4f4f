/**
 * Pipeline step (DynamoDB data source) of createReservation, between the
 * load steps and decideCommand: reads the room-night claims of the requested
 * stay, so `decide` can refuse at command time a night another reservation
 * holds (`facts.roomNightsTaken`) or a closed night (`facts.roomNightsClosed`).
 * The store's transaction still guarantees both when two commands race.
 */
import { runtime, type Context, type DynamoDBBatchGetItemRequest } from '@aws-appsync/utils';
import { claimsFound, claimsRequest } from '../eventStore/claims';
import type { CommandStash } from '../eventStore/stash';
import { nightsOf } from '../shared/calendarDate';
import { nightsHeld, roomNightKeysOf } from '../shared/roomNights';
import { MAX_NIGHTS, type CreateReservation, type ReservationFacts } from './decide';

type CreateStash = CommandStash<Omit<CreateReservation, 'now' | keyof ReservationFacts>, ReservationFacts> & {
  /** Constraint key → night, to read nights back from BatchGetItem's unordered answer. */
  roomNightKeys?: Record<string, string>;
};

export function request(ctx: Context<unknown, CreateStash>): DynamoDBBatchGetItemRequest {
  const { command } = ctx.stash;
  // A stay longer than MAX_NIGHTS is refused anyway; its first nights are enough to report conflicts.
  const nights = nightsOf(command.dateStart, command.dateEnd, MAX_NIGHTS);
  if (nights.length === 0) {
    ctx.stash.facts = { roomNightsTaken: [], roomNightsClosed: [] };
    runtime.earlyReturn([]);
  }
  ctx.stash.roomNightKeys = roomNightKeysOf(command.roomId, nights);
  return claimsRequest(ctx.env.EVENT_STORE_TABLE!, Object.keys(ctx.stash.roomNightKeys));
}

export function response(ctx: Context<unknown, CreateStash>): ReservationFacts {
  const held = claimsFound(ctx.env.EVENT_STORE_TABLE!, ctx.error, ctx.result).filter((claim) => claim.aggregateId !== ctx.stash.command.id);
  const facts: ReservationFacts = nightsHeld(held, ctx.stash.roomNightKeys!);
  ctx.stash.facts = facts;
  return facts;
}
