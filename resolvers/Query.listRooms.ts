/** Query.listRooms: a page of the room catalog read model, by room id. */
import type { Context } from '@aws-appsync/utils';
import type { QueryListRoomsArgs, Room, RoomConnection } from '../schema/generated/types';
import { failIfReadModelError, partitionPage } from '../functions/projections/readModelQuery';
import { roomsKey } from '../functions/projections/readModelTable';

export function request(ctx: Context<QueryListRoomsArgs>) {
  return partitionPage(roomsKey('').pk, ctx.args.limit, ctx.args.nextToken);
}

export function response(ctx: Context<QueryListRoomsArgs>): RoomConnection {
  failIfReadModelError(ctx.error);
  const items = (ctx.result.items as (Room & { pk: string; sk: string })[]).map(({ pk: _pk, sk: _sk, ...room }) => room);
  return { items, nextToken: ctx.result.nextToken ?? null };
}
