/**
 * What the front-end server knows of each reservation it shows: the details the
 * user asked for and the states it went through, in order (received, then the
 * outcome the subscription brought). Pages render the last state; Server-Sent
 * Events replay the states after the one a page shows, then follow new ones.
 * In memory: a real front end would keep this in its session store.
 */
import type { Reservation, ReservationSaved } from './reservationApi.ts';

export type ViewState = 'processing' | 'confirmed' | 'cancelled' | 'rejected' | 'timed-out' | 'no-answer';
export type CommandKind = 'create' | 'cancel';

export interface StateChange {
  /** 1, 2, 3 … per reservation: the SSE event id, so a reconnecting page resumes where it was. */
  seq: number;
  state: ViewState;
  /** The command this state answers; null for a state read from the query side. */
  command: CommandKind | null;
  commandId: string | null;
  reason: string | null;
  reservation: Reservation | null;
  at: string;
}

export interface ReservationDetails {
  userId: string;
  roomId: string;
  dateStart: string;
  dateEnd: string;
}

export interface ReservationView {
  id: string;
  details: ReservationDetails;
  changes: StateChange[];
}

type Listener = (change: StateChange, view: ReservationView) => void;

export function isTerminal(state: ViewState): boolean {
  return state !== 'processing';
}

/** The view state a subscription message means for the command it answers. */
export function stateOfOutcome(saved: ReservationSaved, command: CommandKind): ViewState {
  switch (saved.status) {
    case 'SAVED':
      return (saved.reservation?.status ?? (command === 'cancel' ? 'CANCELLED' : 'CONFIRMED')) === 'CANCELLED' ? 'cancelled' : 'confirmed';
    case 'REJECTED':
      return 'rejected';
    case 'TIMED_OUT':
      return 'timed-out';
    default: {
      const unknown: never = saved.status;
      throw new Error(`Unknown outcome status ${String(unknown)}`);
    }
  }
}

export class ReservationViews {
  private readonly views = new Map<string, ReservationView>();
  private readonly listeners = new Map<string, Set<Listener>>();

  get(id: string): ReservationView | undefined {
    return this.views.get(id);
  }

  open(id: string, details: ReservationDetails): ReservationView {
    const view = this.views.get(id) ?? { id, details, changes: [] };
    this.views.set(id, view);
    return view;
  }

  forget(id: string): void {
    this.views.delete(id);
  }

  /** Record a new state and tell every page following this reservation. */
  record(id: string, change: Omit<StateChange, 'seq' | 'at'>): StateChange {
    const view = this.views.get(id);
    if (!view) throw new Error(`No view of reservation ${id}`);
    const recorded: StateChange = { ...change, seq: view.changes.length + 1, at: new Date().toISOString() };
    view.changes.push(recorded);
    if (recorded.reservation) view.details = detailsOf(recorded.reservation);
    for (const listener of this.listeners.get(id) ?? []) listener(recorded, view);
    return recorded;
  }

  /** Follow a reservation's new states; returns the function that stops following. */
  follow(id: string, listener: Listener): () => void {
    const set = this.listeners.get(id) ?? new Set<Listener>();
    set.add(listener);
    this.listeners.set(id, set);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(id);
    };
  }
}

export function detailsOf(reservation: Reservation): ReservationDetails {
  return { userId: reservation.userId, roomId: reservation.roomId, dateStart: reservation.dateStart, dateEnd: reservation.dateEnd };
}

export function lastChange(view: ReservationView): StateChange | undefined {
  return view.changes[view.changes.length - 1];
}
