export { EventBridgeError, type EventBridgeErrorCode } from './errors.ts';
export { compileEventPattern, type CompiledEventPattern } from './pattern/compilePattern.ts';
export { matchesEventPattern, testEventPattern, TEST_EVENT_MANDATORY_FIELDS, MAX_EVENT_PATTERN_LENGTH } from './pattern/testEventPattern.ts';
