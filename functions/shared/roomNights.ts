/**
 * The room-night claim space that Reservation and Room share: a reserved
 * night and a closed night claim the same item, `RoomNight#<roomId>#<night>`,
 * so the store's unique constraint settles a race between them (one wins,
 * the other is REJECTED). Each claim names the rule a later claimer breaks.
 * Pure, valid APPSYNC_JS.
 */
import { nightsOf } from './calendarDate';

/** The rule a command breaks on a night a reservation holds. */
export const ROOM_RESERVED_RULE = 'RoomAlreadyReserved';
/** The rule a command breaks on a night a room's closure holds. */
export const ROOM_CLOSED_RULE = 'RoomClosed';

/** Key of the item that makes one room and one night reservable once only. */
export function roomNightKey(roomId: string, night: string): string {
  return `RoomNight#${roomId}#${night}`;
}

/** The keys of the nights `nights` of `roomId`, each mapped to its night (to read nights back from claims). */
export function roomNightKeysOf(roomId: string, nights: string[]): Record<string, string> {
  const keys: Record<string, string> = {};
  for (const night of nights) {
    keys[roomNightKey(roomId, night)] = night;
  }
  return keys;
}

/** The keys of every night of a stay (dateStart inclusive, dateEnd exclusive). */
export function roomNightKeysBetween(roomId: string, dateStart: string, dateEnd: string): string[] {
  return nightsOf(dateStart, dateEnd).map((night) => roomNightKey(roomId, night));
}

/**
 * The nights that claims found on a room's nights hold, sorted, split by what holds them: a reservation
 * (taken) or a closure (closed). `keys` maps each claim key to its night (roomNightKeysOf).
 */
export function nightsHeld(
  claims: { streamId: string; rule?: string }[],
  keys: Record<string, string>,
): { roomNightsTaken: string[]; roomNightsClosed: string[] } {
  const nightsWhere = (closed: boolean): string[] =>
    claims
      .filter((claim) => (claim.rule === ROOM_CLOSED_RULE) === closed)
      .map((claim) => keys[claim.streamId]!)
      .sort();
  return { roomNightsTaken: nightsWhere(false), roomNightsClosed: nightsWhere(true) };
}
