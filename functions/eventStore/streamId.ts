/** Aggregate ids are ULIDs, compared upper-case. A malformed id is refused with a clear error rather than looked up. */
import { refusal } from '../shared/errors';
import { refuse } from '../shared/refuse';
import { ulidViolations } from '../shared/inputChecks';

export function streamIdOrRefuse(streamType: string, id: string): string {
  const violations = ulidViolations('id', id, 'InvalidId');
  if (violations.length > 0) {
    refuse({
      ...refusal('ValidationError', violations, 'Query'),
      message: `id "${id.slice(0, 64)}" is not a ${streamType.toLowerCase()} id: expected a 26-character ULID.`,
    });
  }
  return id.toUpperCase();
}
