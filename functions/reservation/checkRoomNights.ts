/**
 * Pipeline step (DynamoDB data source) of createReservation, between the
 * load steps and decideCommand: reads the room-night claims of the requested
 * stay, so `decide` can refuse a double booking at command time
 * (`facts.roomNightsTaken`). The store's transaction still guarantees it when
 * two commands race.
 */
import { util, runtime, type Context, type DynamoDBBatchGetItemRequest } from '@aws-appsync/utils';
import type { CommandStash } from '../eventStore/stash';
import { PARTITION_KEY, SORT_KEY, CONSTRAINT_VERSION, type ConstraintItem } from '../eventStore/storedEvent';
import { nightsOf } from '../shared/calendarDate';
import { MAX_NIGHTS, type CreateReservation, type ReservationFacts } from './decide';
import { roomNightKey } from './events';

type CreateStash = CommandStash<Omit<CreateReservation, 'now' | 'roomNightsTaken'>, ReservationFacts> & {
  /** Constraint key → night, to read nights back from BatchGetItem's unordered answer. */
  roomNightKeys?: Record<string, string>;
};

export function request(ctx: Context<unknown, CreateStash>): DynamoDBBatchGetItemRequest {
  const { command } = ctx.stash;
  // A stay longer than MAX_NIGHTS is refused anyway; its first nights are enough to report conflicts.
  const nights = nightsOf(command.dateStart, command.dateEnd, MAX_NIGHTS);
  if (nights.length === 0) {
    ctx.stash.facts = { roomNightsTaken: [] };
    runtime.earlyReturn([]);
  }
  const roomNightKeys: Record<string, string> = {};
  for (const night of nights) {
    roomNightKeys[roomNightKey(command.roomId, night)] = night;
  }
  ctx.stash.roomNightKeys = roomNightKeys;
  return {
    operation: 'BatchGetItem',
    tables: {
      [ctx.env.EVENT_STORE_TABLE!]: {
        keys: Object.keys(roomNightKeys).map((key) => util.dynamodb.toMapValues({ [PARTITION_KEY]: key, [SORT_KEY]: CONSTRAINT_VERSION })),
        consistentRead: true,
      },
    },
  };
}

export function response(ctx: Context<unknown, CreateStash>): string[] {
  if (ctx.error) {
    util.error(`Could not read room availability; retry the request. (${ctx.error.message})`, 'EventStoreUnavailable');
  }
  if (Object.keys(ctx.result.unprocessedKeys?.[ctx.env.EVENT_STORE_TABLE!] ?? {}).length > 0) {
    util.error('Room availability could not be read in full (throttled). Retry the request.', 'EventStoreUnavailable');
  }
  const claims: (ConstraintItem | null)[] = ctx.result.data[ctx.env.EVENT_STORE_TABLE!] ?? [];
  const taken = claims
    .filter((claim) => claim !== null && claim.aggregateId !== ctx.stash.command.id)
    .map((claim) => ctx.stash.roomNightKeys![claim!.streamId]!)
    .sort();
  ctx.stash.facts = { roomNightsTaken: taken };
  return taken;
}
