/** Reservation ids are ULIDs, compared upper-case. A malformed id is refused with a clear error rather than looked up. */
import { util } from '@aws-appsync/utils';
import { isUlid } from './ulid';

export function reservationIdOrRefuse(id: string): string {
  if (!isUlid(id)) {
    util.error(`id "${id.slice(0, 64)}" is not a reservation id: expected a 26-character ULID.`, 'ValidationError', null, {
      violations: [{ rule: 'InvalidId', message: 'id must be a ULID (26 Crockford base32 characters).' }],
    });
  }
  return id.toUpperCase();
}
