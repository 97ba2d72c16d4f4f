/** The events of a guest stream, and the email claim a registration makes. */
import type { EventEnvelope, NewEvent, UniqueConstraints } from '../eventStore/envelope.ts';
import type { GuestEventType as SchemaEventType, StoreEventType } from '../../schema/generated/types.ts';

export type GuestEventType = Exclude<SchemaEventType, StoreEventType>;

export const GUEST_SCHEMA_VERSION = 1;

/** The rule a registration breaks when its email is held. */
export const EMAIL_TAKEN_RULE = 'EmailTaken';

export interface GuestRegistered {
  name: string;
  email: string;
}

export type GuestEvent = EventEnvelope<'GuestRegistered', GuestRegistered>;
export type NewGuestEvent = NewEvent<'GuestRegistered', GuestRegistered>;

/** Key of the item that makes an email belong to one guest: lower-cased, so case does not make a second guest. */
export function guestEmailKey(email: string): string {
  return `GuestEmail#${email.toLowerCase()}`;
}

export function uniqueConstraintsOf(event: NewGuestEvent): UniqueConstraints {
  return { claim: [guestEmailKey(event.data.email)], release: [], claimRule: EMAIL_TAKEN_RULE };
}
