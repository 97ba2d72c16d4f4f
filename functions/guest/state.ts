/** The state of one guest stream, folded by `evolve`. */
import type { Guest } from '../../schema/generated/types.ts';

export const GUEST_STATE_VERSION = 1;

export type GuestState =
  { status: 'NONE'; version: number } | { status: 'REGISTERED'; version: number; id: string; name: string; email: string };

export const initialState: GuestState = { status: 'NONE', version: 0 };

export function toGuest(state: GuestState): Guest | null {
  return state.status === 'NONE' ? null : { id: state.id, name: state.name, email: state.email, version: state.version };
}
