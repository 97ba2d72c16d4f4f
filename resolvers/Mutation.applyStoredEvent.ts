/**
 * Mutation.applyStoredEvent (IAM only, called by the projections' rule for
 * each stored event the table's stream publishes): readCursor → the load
 * steps (the stream up to the event) → applyToReadModels. Answers how far the
 * read models got in that stream.
 */
import { util, type Context } from '@aws-appsync/utils';
import type { MutationApplyStoredEventArgs, ProjectionApplied } from '../schema/generated/types';
import { READ_AGGREGATES } from '../functions/projections/aggregates';
import type { ProjectionStash } from '../functions/projections/stash';

export function request(ctx: Context<MutationApplyStoredEventArgs, ProjectionStash>) {
  const { streamId } = ctx.args.input;
  const version = Number(ctx.args.input.version);
  const separator = streamId.indexOf('#');
  const streamType = streamId.slice(0, separator);
  const aggregate = READ_AGGREGATES[streamType];
  if (separator < 1 || !aggregate || !(version >= 1 && Math.floor(version) === version)) {
    util.error(
      `${streamId} v${ctx.args.input.version} is not an event of a stream the read models read (${Object.keys(READ_AGGREGATES).join(', ')}).`,
      'ValidationError',
    );
  }
  ctx.stash.storedEvent = { streamId, version };
  ctx.stash.stream = { type: streamType, id: streamId.slice(separator + 1) };
  ctx.stash.snapshotSchemaVersion = aggregate!.stateSchemaVersion;
  ctx.stash.read = { upTo: version };
  return {};
}

export function response(ctx: Context<MutationApplyStoredEventArgs, ProjectionStash>): ProjectionApplied {
  const cursor = ctx.stash.cursor ?? 0;
  const upTo = ctx.stash.appliedUpTo ?? cursor;
  return { streamId: ctx.stash.storedEvent.streamId, version: upTo, applied: upTo - cursor };
}
