/**
 * Sends a refusal to the client as AppSync's GraphQL error: `errorType`,
 * the message, and `errorInfo.violations` (every broken rule). The only
 * place a refusal becomes an error; APPSYNC_JS has no throw, util.error ends
 * the request.
 */
import { util } from '@aws-appsync/utils';
import { refusal, type Refusal, type RefusalType, type Violation } from './errors';

export function refuse(refused: Refusal): never {
  return util.error(refused.message, refused.errorType, null, { violations: refused.violations });
}

/** Refuses with every violation when there is any; returns otherwise. */
export function refuseIfAny(errorType: RefusalType, violations: Violation[], subject?: string): void {
  if (violations.length > 0) {
    refuse(refusal(errorType, violations, subject));
  }
}
