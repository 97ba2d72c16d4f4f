/**
 * Pipeline step (DynamoDB data source) of bookStay, between the load steps and
 * decideCommand: one consistent BatchGetItem reads the guest's first event (the
 * guest exists), the room's first event (RoomRegistered: it exists, and its
 * nightly rate and currency price the stay) and the room-night claims of the
 * stay (reserved or closed). Other aggregates' streams are read, never written;
 * the reservation's store transaction still guarantees the nights.
 */
import { util, type Context, type DynamoDBBatchGetItemRequest } from '@aws-appsync/utils';
import { claimsFound } from '../eventStore/claims';
import type { CommandStash } from '../eventStore/stash';
import { CONSTRAINT_VERSION, PARTITION_KEY, SORT_KEY, type ConstraintItem } from '../eventStore/storedEvent';
import { nightsOf } from '../shared/calendarDate';
import { nightsHeld, roomNightKeysOf } from '../shared/roomNights';
import { MAX_STAY_NIGHTS } from '../shared/stay';
import type { BookStay, BookingFacts } from './decide';

type BookStayStash = CommandStash<Omit<BookStay, 'now' | keyof BookingFacts>, BookingFacts> & {
  /** Constraint key → night, to read nights back from BatchGetItem's unordered answer. */
  roomNightKeys?: Record<string, string>;
};

/** The first event of another aggregate's stream: its key in the store (streams start at version 1). */
function firstEventKey(streamType: string, id: string) {
  return util.dynamodb.toMapValues({ [PARTITION_KEY]: `${streamType}#${id}`, [SORT_KEY]: 1 });
}

export function request(ctx: Context<unknown, BookStayStash>): DynamoDBBatchGetItemRequest {
  const { command } = ctx.stash;
  const nights = nightsOf(command.dateStart, command.dateEnd, MAX_STAY_NIGHTS);
  ctx.stash.roomNightKeys = roomNightKeysOf(command.roomId, nights);
  const claimKeys = Object.keys(ctx.stash.roomNightKeys).map((key) =>
    util.dynamodb.toMapValues({ [PARTITION_KEY]: key, [SORT_KEY]: CONSTRAINT_VERSION }),
  );
  return {
    operation: 'BatchGetItem',
    tables: {
      [ctx.env.EVENT_STORE_TABLE!]: {
        keys: [firstEventKey('Guest', command.guestId), firstEventKey('Room', command.roomId), ...claimKeys],
        consistentRead: true,
      },
    },
  };
}

interface FirstEvent {
  streamId: string;
  version: number;
  type: string;
  data: { nightlyRate?: number; currency?: string };
}

export function response(ctx: Context<unknown, BookStayStash>): BookingFacts {
  const { command } = ctx.stash;
  const table = ctx.env.EVENT_STORE_TABLE!;
  const items = claimsFound(table, ctx.error, ctx.result) as unknown as (ConstraintItem | FirstEvent)[];
  const guestKey = `Guest#${command.guestId}`;
  const roomKey = `Room#${command.roomId}`;
  const roomEvent = items.find((item) => item.streamId === roomKey && item.version === 1) as FirstEvent | undefined;
  const held = items.filter((item) => item.version === CONSTRAINT_VERSION) as ConstraintItem[];
  const facts: BookingFacts = {
    guestFound: items.some((item) => item.streamId === guestKey && item.version === 1),
    room:
      roomEvent && roomEvent.type === 'RoomRegistered'
        ? { nightlyRate: roomEvent.data.nightlyRate ?? 0, currency: roomEvent.data.currency ?? '' }
        : null,
    ...nightsHeld(held, ctx.stash.roomNightKeys!),
  };
  ctx.stash.facts = facts;
  return facts;
}
