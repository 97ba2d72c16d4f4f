/**
 * `util.matches(pattern, value)` ("Built-in utilities", type and pattern matching utils:
 * https://docs.aws.amazon.com/appsync/latest/devguide/built-in-util-js.html). AWS uses
 * `java.util.regex.Pattern.matches`, which must match the whole value, not a part of it.
 */

const compiledPatterns = new Map<string, RegExp>();

/**
 * True when the regular expression matches the whole value. Java-only syntax (possessive
 * quantifiers, `\p{javaLowerCase}`...) is not understood by JavaScript's engine and throws.
 *
 * @example matches('a*b', 'aaaaab') // true
 */
export function matches(pattern: string, value: string): boolean {
  const source = String(pattern);
  let wholeMatch = compiledPatterns.get(source);
  if (wholeMatch === undefined) {
    wholeMatch = new RegExp(`^(?:${source})$`, 'u');
    compiledPatterns.set(source, wholeMatch);
  }
  return wholeMatch.test(String(value));
}
