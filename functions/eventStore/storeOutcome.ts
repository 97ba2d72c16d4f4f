/**
 * Turns what the store found into the one answer of a command: SAVED,
 * REJECTED or TIMED_OUT, and whether it is the command's first answer (sent
 * to subscribers) or a repeat (filtered out). Pure and generic: every
 * aggregate's store pipeline uses it. Valid APPSYNC_JS.
 *
 * A command is answered exactly once because every first answer is written
 * down in one place the next attempt looks at: SAVED and TIMED_OUT-by-tombstone
 * in the command's stream slot (the event or the tombstone), REJECTED and
 * TIMED_OUT-against-another-command in a CommandAnswer item, written only if
 * the slot still holds nothing of this command.
 */
import type { EventEnvelope } from './envelope';
import type { AppendOutcome, SlotOccupant } from './stash';
import type { CommandAnswerItem } from './storedEvent';

/**
 * The tombstone a timeout stores in the slot its command would have taken.
 * It competes with the command's real event for that slot, so exactly one of
 * "stored" and "timed out" wins.
 */
export const TIMED_OUT_EVENT_TYPE = 'CommandTimedOut';

/** The event types the store itself writes into any stream; every aggregate's event type enum gets them (schema/generated). */
export const STORE_EVENT_TYPES = [TIMED_OUT_EVENT_TYPE];

/** True for an event of the store's own (a tombstone): it takes a slot and changes no aggregate state. */
export function isStoreEvent(event: { type: string }): boolean {
  return event.type === TIMED_OUT_EVENT_TYPE;
}

export type StoreStatus = 'SAVED' | 'REJECTED' | 'TIMED_OUT';

export interface StoreOutcome {
  status: StoreStatus;
  /** The version the command's event holds, when SAVED. */
  version: number | null;
  reason: string | null;
  /**
   * True when the command was answered before (its event delivered again, or its timeout
   * arriving after it was answered): the same outcome, not sent to subscribers again.
   */
  repeat: boolean;
}

/** An outcome on its way to the client; `recorded` is false while a first REJECTED/TIMED_OUT still has to be written down. */
export interface StoreAnswer extends StoreOutcome {
  recorded: boolean;
}

const TIMED_OUT_REASON = 'The command was not stored before its deadline; a late store is refused.';

/** What the store answered this command before, if anything: the slot holds its event or tombstone, or its answer was recorded. */
export function priorAnswerOf(event: EventEnvelope, occupant: SlotOccupant, recorded: CommandAnswerItem | null): StoreAnswer | null {
  if (occupant && occupant.commandId === event.commandId) {
    return occupant.type === TIMED_OUT_EVENT_TYPE
      ? answer('TIMED_OUT', null, TIMED_OUT_REASON, true)
      : answer('SAVED', occupant.version, null, true);
  }
  if (recorded) {
    return answer(recorded.status, null, recorded.reason, true);
  }
  return null;
}

/** The first answer to give when nothing was answered before. REJECTED and TIMED_OUT-against-another-command must be recorded. */
export function firstAnswerOf(event: EventEnvelope, append: AppendOutcome, occupant: SlotOccupant): StoreAnswer {
  const isTimeout = event.type === TIMED_OUT_EVENT_TYPE;
  if (append.kind === 'APPENDED') {
    return isTimeout ? answer('TIMED_OUT', null, TIMED_OUT_REASON, false) : answer('SAVED', event.version, null, false);
  }
  if (isTimeout) {
    // Another command holds the slot: this one can never be stored, and its deadline has passed.
    return { ...answer('TIMED_OUT', null, TIMED_OUT_REASON, false), recorded: false };
  }
  if (append.kind === 'CONSTRAINT_TAKEN') {
    // Each holder once, with the rule the claim names: "RoomClosed: held by Room 01…".
    const held = append.holders.map(
      (holder) => `${holder.rule ?? 'Taken'}: held by ${holder.streamType ?? 'Reservation'} ${holder.aggregateId}. `,
    );
    return {
      ...answer(
        'REJECTED',
        null,
        `Already held by another stream: ${append.keys.join(', ')}. ${uniqueOf(held).join('')}Choose other values and send a new command.`,
        false,
      ),
      recorded: false,
    };
  }
  const winner = occupant ? ` by command ${occupant.commandId}` : '';
  return {
    ...answer(
      'REJECTED',
      null,
      `Version conflict: version ${event.version} of ${event.aggregateId} was stored${winner} first. Reload and send the command again.`,
      false,
    ),
    recorded: false,
  };
}

/** The distinct strings, in their first order. */
function uniqueOf(values: string[]): string[] {
  return values.filter((value, index) => values.indexOf(value) === index);
}

function answer(status: StoreStatus, version: number | null, reason: string | null, repeat: boolean): StoreAnswer {
  return { status, version, reason, repeat, recorded: true };
}
