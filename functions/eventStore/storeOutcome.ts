/**
 * Turns what the append found into the one terminal answer of a command:
 * SAVED, REJECTED or TIMED_OUT. Pure and generic: every aggregate's store
 * resolver uses it. Valid APPSYNC_JS.
 */
import type { EventEnvelope } from './envelope';
import type { AppendOutcome, SlotOccupant } from './stash';

/**
 * The tombstone a timeout stores in the slot its command would have taken.
 * It competes with the command's real event for that slot, so exactly one of
 * "stored" and "timed out" wins.
 */
export const TIMED_OUT_EVENT_TYPE = 'CommandTimedOut';

export type StoreStatus = 'SAVED' | 'REJECTED' | 'TIMED_OUT';

export interface StoreOutcome {
  status: StoreStatus;
  /** The version the command's event holds, when SAVED. */
  version: number | null;
  reason: string | null;
  /**
   * True when the command was answered before (its event delivered again, or its timeout
   * arriving after it was stored): the same outcome, not sent to subscribers again.
   */
  repeat: boolean;
}

export function storeOutcomeOf(event: EventEnvelope, append: AppendOutcome, occupant: SlotOccupant): StoreOutcome {
  if (append.kind === 'APPENDED') {
    return event.type === TIMED_OUT_EVENT_TYPE ? timedOut(false) : saved(event.version, false);
  }
  if (append.kind === 'CONSTRAINT_TAKEN') {
    return rejected(`Already held by another stream: ${append.keys.join(', ')}. Choose other values and send a new command.`);
  }
  if (occupant && occupant.commandId === event.commandId) {
    // A redelivery of this command, or its timeout racing its event: the first outcome stands.
    return occupant.type === TIMED_OUT_EVENT_TYPE ? timedOut(true) : saved(occupant.version, true);
  }
  const winner = occupant ? ` by command ${occupant.commandId}` : '';
  return rejected(
    `Version conflict: version ${event.version} of ${event.aggregateId} was stored${winner} first. Reload and send the command again.`,
  );
}

function saved(version: number, repeat: boolean): StoreOutcome {
  return { status: 'SAVED', version, reason: null, repeat };
}

/**
 * Nothing is stored for a refused event, so a redelivery cannot be told from the first
 * delivery: both answer REJECTED with the same reason.
 */
function rejected(reason: string): StoreOutcome {
  return { status: 'REJECTED', version: null, reason, repeat: false };
}

function timedOut(repeat: boolean): StoreOutcome {
  return { status: 'TIMED_OUT', version: null, reason: 'The command was not stored before its deadline; a late store is refused.', repeat };
}
