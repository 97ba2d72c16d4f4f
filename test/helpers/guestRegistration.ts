/**
 * registerGuest as the direct-delivery tests send it through aws-amplify v6: the command's answer in
 * its response (SAVED with version, or REJECTED with reason), or the error a refused command gets.
 *
 * @example
 * const register = guestRegistration(amplify, 'Grace Hopper');
 * const answer = await register({ id: ulid(), email: uniqueEmail('grace') });
 * if (isAnswer(answer)) expect(answer.status).toBe('SAVED');
 */
import { ulid } from 'ulid';
import { isAmplifyError, type AmplifyFixture } from './amplifyClient.ts';

/** The sender selects version and reason: subscribers bound to the mutation get the fields it selected. */
export const REGISTER_GUEST =
  'mutation ($input: RegisterGuestInput!) { registerGuest(input: $input) { id commandId status version reason } }';

/** CommandAccepted as registerGuest selects it. */
export interface CommandAnswer {
  id: string;
  commandId: string;
  status: string;
  version: number | null;
  reason: string | null;
}

export type Registration = CommandAnswer | { errorType: string };

/** A sender of registerGuest with this name: the answer, or the first error. */
export function guestRegistration(amplify: AmplifyFixture, name: string): (input: Record<string, unknown>) => Promise<Registration> {
  return async (input) => {
    const answer = await amplify.send<{ registerGuest: CommandAnswer }>(REGISTER_GUEST, { input: { name, ...input } });
    return isAmplifyError(answer) ? answer.errors[0]! : answer.data.registerGuest;
  };
}

export const isAnswer = (registration: Registration): registration is CommandAnswer => 'status' in registration;

/** An email no other test uses (the guest's email is unique, case-insensitively). */
export const uniqueEmail = (prefix: string): string => `${prefix}.${ulid().slice(-10).toLowerCase()}@example.com`;
