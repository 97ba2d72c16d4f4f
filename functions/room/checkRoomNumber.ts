/**
 * Pipeline step (DynamoDB data source) of registerRoom, before decideCommand:
 * reads the claim on the room number, so `decide` can refuse a number another
 * room holds at once (`facts.roomNumberHeldBy`). The store's unique constraint
 * still guarantees it when two registrations race.
 */
import type { Context, DynamoDBBatchGetItemRequest } from '@aws-appsync/utils';
import { claimsFound, claimsRequest } from '../eventStore/claims';
import type { CommandStash } from '../eventStore/stash';
import type { RegisterRoom, RoomFacts } from './decide';
import { roomNumberKey } from './events';

type RegisterStash = CommandStash<Omit<RegisterRoom, 'now' | 'roomNumberHeldBy'>, RoomFacts>;

export function request(ctx: Context<unknown, RegisterStash>): DynamoDBBatchGetItemRequest {
  return claimsRequest(ctx.env.EVENT_STORE_TABLE!, [roomNumberKey(ctx.stash.command.number)]);
}

export function response(ctx: Context<unknown, RegisterStash>): RoomFacts {
  const [holder] = claimsFound(ctx.env.EVENT_STORE_TABLE!, ctx.error, ctx.result);
  ctx.stash.facts = { roomNumberHeldBy: holder ? holder.aggregateId : null };
  return ctx.stash.facts;
}
