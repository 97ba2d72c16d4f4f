/**
 * Query.get<Aggregate>(id), bundled per aggregate: loadStreamTail (the newest
 * snapshot and the events after it) or loadStreamFromStart, then a fold with
 * the same reducer the command side uses. Null when the stream holds no
 * instance; a malformed id is refused rather than looked up.
 */
import type { Context } from '@aws-appsync/utils';
import { aggregate } from '@aggregate';
import { foldStream, startingState } from '../fold';
import type { LoadStash } from '../stash';
import { streamIdOrRefuse } from '../streamId';

export function request(ctx: Context<{ id: string }, LoadStash>) {
  ctx.stash.stream = { type: aggregate.streamType, id: streamIdOrRefuse(aggregate.streamType, ctx.args.id) };
  ctx.stash.snapshotSchemaVersion = aggregate.stateSchemaVersion;
  ctx.stash.read = { upTo: null };
  return {};
}

export function response(ctx: Context<{ id: string }, LoadStash>) {
  const loaded = ctx.stash.loaded ?? { events: [], snapshot: null };
  return aggregate.toView(foldStream(aggregate, loaded.events, startingState(aggregate, loaded.snapshot)));
}
