import { EventBridgeError } from '../errors.ts';
import { compileEventPattern, type CompiledEventPattern } from './compilePattern.ts';
import { matchesCompiledPattern } from './matchPattern.ts';

/**
 * Fields TestEventPattern requires in the event. The API reference also lists `resources`, but the
 * service accepts events without it (LocalStack's AWS-validated provider notes the same), so it is not required here.
 */
export const TEST_EVENT_MANDATORY_FIELDS = ['id', 'account', 'source', 'time', 'region', 'detail-type'] as const;
/** TestEventPattern's length constraint on EventPattern. */
export const MAX_EVENT_PATTERN_LENGTH = 4096;

/**
 * Whether `event` matches `pattern` (JSON text, a parsed pattern, or a compiled one).
 * Throws `InvalidEventPatternException` for a pattern AWS would refuse.
 *
 * @example
 * matchesEventPattern({ source: [{ prefix: 'app.' }] }, { source: 'app.reservation' }); // true
 */
export function matchesEventPattern(pattern: string | object | CompiledEventPattern, event: unknown): boolean {
  const compiled = isCompiled(pattern) ? pattern : compileEventPattern(pattern);
  return matchesCompiledPattern(compiled, event);
}

function isCompiled(pattern: unknown): pattern is CompiledEventPattern {
  return typeof pattern === 'object' && pattern !== null && 'root' in pattern && 'source' in pattern;
}

/**
 * AWS's `TestEventPattern`, offline: same request and response shapes, same refusals
 * (`InvalidEventPatternException` for the pattern, `ValidationException` "Parameter Event is not valid." for the event).
 *
 * @example
 * testEventPattern({ EventPattern: '{"source":["app.reservation"]}', Event: JSON.stringify(event) }); // { Result: true }
 */
export function testEventPattern(request: { EventPattern: string; Event: string }): { Result: boolean } {
  if (typeof request?.EventPattern !== 'string') {
    throw new EventBridgeError(
      'ValidationException',
      "1 validation error detected: Value null at 'eventPattern' failed to satisfy constraint: Member must not be null",
    );
  }
  if (typeof request.Event !== 'string') {
    throw new EventBridgeError(
      'ValidationException',
      "1 validation error detected: Value null at 'event' failed to satisfy constraint: Member must not be null",
    );
  }
  if (request.EventPattern.length > MAX_EVENT_PATTERN_LENGTH) {
    throw new EventBridgeError(
      'ValidationException',
      `1 validation error detected: Value at 'eventPattern' failed to satisfy constraint: Member must have length less than or equal to ${MAX_EVENT_PATTERN_LENGTH}`,
    );
  }
  const pattern = compileEventPattern(request.EventPattern);
  let event: unknown;
  try {
    event = JSON.parse(request.Event);
  } catch (error) {
    throw new EventBridgeError(
      'ValidationException',
      'Parameter Event is not valid.',
      `Event is not valid JSON (${(error as Error).message})`,
    );
  }
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    throw new EventBridgeError('ValidationException', 'Parameter Event is not valid.', 'Event must be a JSON object');
  }
  const missing = TEST_EVENT_MANDATORY_FIELDS.filter((field) => !Object.hasOwn(event, field));
  if (missing.length > 0) {
    throw new EventBridgeError(
      'ValidationException',
      'Parameter Event is not valid.',
      `Event lacks the mandatory field(s) ${missing.join(', ')}`,
    );
  }
  return { Result: matchesCompiledPattern(pattern, event) };
}
