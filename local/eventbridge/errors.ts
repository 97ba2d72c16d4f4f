/**
 * Errors of the local bus, told apart by `code` (AWS's exception or error-code names), not by class.
 * `InvalidEventPatternException` is what TestEventPattern / PutRule answer for a bad pattern;
 * `ValidationException` is a request AWS would refuse as a whole.
 */
export type EventBridgeErrorCode = 'InvalidEventPatternException' | 'ValidationException' | 'ResourceNotFoundException' | 'InvalidTemplate';

export class EventBridgeError extends Error {
  readonly code: EventBridgeErrorCode;
  /** Why, when `message` is AWS's terse wording (e.g. "Parameter Event is not valid."). */
  readonly reason: string | undefined;

  constructor(code: EventBridgeErrorCode, message: string, reason?: string) {
    super(message);
    this.name = code;
    this.code = code;
    this.reason = reason;
  }
}

/**
 * A pattern AWS would refuse. The message follows AWS's shape,
 * `Event pattern is not valid. Reason: <reason> at <where>`, where `where` is the JSON path in the pattern.
 */
export function invalidPattern(reason: string, path: readonly string[]): EventBridgeError {
  const where = path.length === 0 ? '(pattern root)' : path.join('.');
  return new EventBridgeError('InvalidEventPatternException', `Event pattern is not valid. Reason: ${reason} at ${where}`, reason);
}
