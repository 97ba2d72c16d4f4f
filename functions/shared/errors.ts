/**
 * The one shape of a refused request, for every aggregate: a GraphQL
 * `errorType` from a small closed set, a message naming every broken rule,
 * and the violations themselves (`errorInfo.violations` on the wire).
 * Pure: `decide` and the input checks return these as values; `refuse`
 * (refuse.ts) is the one place that turns one into a GraphQL error.
 */

/** The closed set of error types a request can be refused with (GraphQL `errorType`). */
export type RefusalType = 'BusinessRuleViolation' | 'NotFound' | 'ValidationError';

/** One broken rule: its name (a stable string clients can switch on) and what to do about it. */
export interface Violation<Rule extends string = string> {
  rule: Rule;
  message: string;
}

/** A refused request: every broken rule at once, not only the first. */
export interface Refusal<Rule extends string = string> {
  errorType: RefusalType;
  message: string;
  violations: Violation<Rule>[];
}

/**
 * The refusal for `violations`, with a message that names every broken rule.
 * @example refusal('BusinessRuleViolation', [{ rule: 'StayTooLong', message: '…' }]).message
 * // 'Command refused, 1 rule broken: StayTooLong.'
 */
export function refusal<Rule extends string>(errorType: RefusalType, violations: Violation<Rule>[], subject = 'Command'): Refusal<Rule> {
  const rules = violations.map((violation) => violation.rule).join(', ');
  const count = violations.length === 1 ? '1 rule' : `${violations.length} rules`;
  return { errorType, message: `${subject} refused, ${count} broken: ${rules}.`, violations };
}
