/**
 * Pipeline step (DynamoDB data source) of registerGuest, before decideCommand:
 * reads the claim on the email (lower-cased), so `decide` can refuse an email
 * another guest holds at once (`facts.emailHeldBy`). The store's unique
 * constraint still guarantees it when two registrations race (REJECTED, EmailTaken).
 */
import type { Context, DynamoDBBatchGetItemRequest } from '@aws-appsync/utils';
import { claimsFound, claimsRequest } from '../eventStore/claims';
import type { CommandStash } from '../eventStore/stash';
import type { GuestCommandRequest, GuestFacts } from './decide';
import { guestEmailKey } from './events';

export function request(ctx: Context<unknown, CommandStash<GuestCommandRequest, GuestFacts>>): DynamoDBBatchGetItemRequest {
  return claimsRequest(ctx.env.EVENT_STORE_TABLE!, [guestEmailKey(ctx.stash.command.email)]);
}

export function response(ctx: Context<unknown, CommandStash<GuestCommandRequest, GuestFacts>>): GuestFacts {
  const [holder] = claimsFound(ctx.env.EVENT_STORE_TABLE!, ctx.error, ctx.result);
  ctx.stash.facts = { emailHeldBy: holder ? holder.aggregateId : null };
  return ctx.stash.facts;
}
