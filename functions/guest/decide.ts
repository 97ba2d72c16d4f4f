/** The business rules of a guest: a command and the state in, events or every broken rule out. */
import type { Decision as SharedDecision } from '../shared/decider.ts';
import { refusal, type Violation as SharedViolation } from '../shared/errors.ts';
import type { NewGuestEvent } from './events.ts';
import type { GuestState } from './state.ts';

export interface RegisterGuest {
  type: 'RegisterGuest';
  id: string;
  commandId: string;
  name: string;
  email: string;
  now: string;
  /** The guest that holds this email already (any case), read from its claim at command time; null when free. */
  emailHeldBy: string | null;
}

export type GuestCommand = RegisterGuest;
export type GuestCommandRequest = Omit<RegisterGuest, 'now' | 'emailHeldBy'>;
export type GuestFacts = Pick<RegisterGuest, 'emailHeldBy'>;
export type GuestRule = 'GuestExists' | 'EmailTaken';
export type Decision = SharedDecision<NewGuestEvent, GuestRule>;

export function decide(state: GuestState, command: GuestCommand): Decision {
  const violations: SharedViolation<GuestRule>[] = [];
  if (state.status !== 'NONE') {
    violations.push({
      rule: 'GuestExists',
      message: `Guest ${command.id} is already registered: send the command without an id, or with a new ULID.`,
    });
  }
  if (command.emailHeldBy !== null && command.emailHeldBy !== command.id) {
    violations.push({
      rule: 'EmailTaken',
      message: `${command.email} belongs to guest ${command.emailHeldBy} (emails are compared ignoring case): sign in as that guest, or use another email.`,
    });
  }
  if (violations.length > 0) {
    return { ok: false, error: refusal('BusinessRuleViolation', violations) };
  }
  return { ok: true, events: [{ type: 'GuestRegistered', data: { name: command.name, email: command.email } }] };
}
