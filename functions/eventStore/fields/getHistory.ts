/**
 * Query.get<Aggregate>History(id), bundled per aggregate: loadStreamFromStart,
 * each stored event with its envelope, oldest first (no snapshot items; the
 * store's tombstones included, as they hold their slots).
 */
import type { Context } from '@aws-appsync/utils';
import { aggregate } from '@aggregate';
import type { EventEnvelope } from '../envelope';
import type { LoadStash } from '../stash';
import { streamIdOrRefuse } from '../streamId';

export function request(ctx: Context<{ id: string }, LoadStash>) {
  ctx.stash.stream = { type: aggregate.streamType, id: streamIdOrRefuse(aggregate.streamType, ctx.args.id) };
  ctx.stash.read = { upTo: null };
  return {};
}

export function response(ctx: Context<{ id: string }, LoadStash>): EventEnvelope[] {
  // AWSJSON: AppSync serializes `data` to JSON text on the way out.
  return ctx.stash.loaded?.events ?? [];
}
