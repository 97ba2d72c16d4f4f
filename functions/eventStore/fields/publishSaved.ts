/**
 * Mutation.publish<Aggregate>Saved (IAM only, NONE), bundled per aggregate:
 * for an aggregate delivered 'direct', the rule on the outbox's
 * <Aggregate>EventStored calls it with the stored event's stream, version and
 * command, and its result is what on<Aggregate>Saved subscribers receive: a
 * SAVED message. Without the state: a NONE resolver reads nothing, so the
 * message costs no read (subscribers fold it with get<Aggregate>). The outbox
 * delivers at least once, so a subscriber may hear a stored event twice (the
 * same commandId and version).
 */
import type { Context } from '@aws-appsync/utils';
import { aggregate } from '@aggregate';
import type { StoredEventOutcomeInput } from '../../../schema/generated/types';
import { aggregateNames } from '../naming';

export function request(_ctx: Context<{ input: StoredEventOutcomeInput }>) {
  return { payload: null };
}

export function response(ctx: Context<{ input: StoredEventOutcomeInput }>) {
  const { streamId, version, commandId } = ctx.args.input;
  return {
    // The stream key is `<streamType>#<id>` (storedEvent.ts streamKey).
    id: streamId.slice(aggregate.streamType.length + 1),
    commandId,
    status: 'SAVED',
    version: Number(version),
    reason: null,
    [aggregateNames(aggregate.streamType).viewField]: null,
    repeat: false,
  };
}
