/**
 * Pipeline step (DynamoDB data source): reads the room-night claims of the
 * requested stay, so `decide` can refuse a double booking at command time.
 * The store's transaction still guarantees it when two commands race.
 */
import { util, runtime, type Context, type DynamoDBBatchGetItemRequest } from '@aws-appsync/utils';
import { PARTITION_KEY, SORT_KEY, CONSTRAINT_VERSION, type ConstraintItem } from '../eventStore/storedEvent';
import { nightsOf } from './calendarDate';
import { MAX_NIGHTS } from './decide';
import { roomNightKey } from './events';
import type { ReservationCommandRequest, ReservationStash } from './stash';

export function request(ctx: Context<unknown, ReservationStash>): DynamoDBBatchGetItemRequest {
  const command = ctx.stash.command as Extract<ReservationCommandRequest, { type: 'CreateReservation' }>;
  // A stay longer than MAX_NIGHTS is refused anyway; its first nights are enough to report conflicts.
  const nights = nightsOf(command.dateStart, command.dateEnd, MAX_NIGHTS);
  if (nights.length === 0) {
    ctx.stash.roomNightsTaken = [];
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
        keys: Object.keys(roomNightKeys).map((key) =>
          util.dynamodb.toMapValues({ [PARTITION_KEY]: key, [SORT_KEY]: CONSTRAINT_VERSION }),
        ),
        consistentRead: true,
      },
    },
  };
}

export function response(ctx: Context<unknown, ReservationStash>): string[] {
  if (ctx.error) {
    util.error(`Could not read room availability; retry the request. (${ctx.error.message})`, 'EventStoreUnavailable');
  }
  if (Object.keys(ctx.result.unprocessedKeys?.[ctx.env.EVENT_STORE_TABLE!] ?? {}).length > 0) {
    util.error('Room availability could not be read in full (throttled). Retry the request.', 'EventStoreUnavailable');
  }
  const command = ctx.stash.command as Extract<ReservationCommandRequest, { type: 'CreateReservation' }>;
  const claims: (ConstraintItem | null)[] = ctx.result.data[ctx.env.EVENT_STORE_TABLE!] ?? [];
  const taken = claims
    .filter((claim) => claim !== null && claim.aggregateId !== command.id)
    .map((claim) => ctx.stash.roomNightKeys![claim!.streamId]!)
    .sort();
  ctx.stash.roomNightsTaken = taken;
  return taken;
}
