/**
 * Encoding utilities of `util` ("Built-in utilities", encoding and return value behavior utils:
 * https://docs.aws.amazon.com/appsync/latest/devguide/built-in-util-js.html). AWS implements them in
 * Java; the rules below are the Java ones the docs name or imply. All use UTF-8.
 */

/** Characters `application/x-www-form-urlencoded` (Java's URLEncoder) leaves as they are. */
const FORM_UNRESERVED = /[A-Za-z0-9.\-*_]/;

/**
 * `util.urlEncode(value)`: `application/x-www-form-urlencoded`, so a space becomes `+` and
 * `~`, `!`, `'`, `(`, `)` are escaped (unlike `encodeURIComponent`).
 *
 * @example urlEncode("a b&c=d/é") // "a+b%26c%3Dd%2F%C3%A9"
 */
export function urlEncode(value: string): string {
  let encoded = '';
  for (const character of String(value)) {
    if (character === ' ') encoded += '+';
    else if (FORM_UNRESERVED.test(character)) encoded += character;
    else {
      for (const byte of Buffer.from(character, 'utf8')) encoded += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    }
  }
  return encoded;
}

/**
 * `util.urlDecode(value)`: the inverse of `urlEncode`: `+` is a space, `%XX` a UTF-8 byte.
 * A malformed escape throws, as Java's URLDecoder does.
 */
export function urlDecode(value: string): string {
  return decodeURIComponent(String(value).replace(/\+/g, ' '));
}

/** `util.base64Encode(value)`: the UTF-8 bytes of the string, base64 encoded. */
export function base64Encode(value: string): string {
  return Buffer.from(String(value), 'utf8').toString('base64');
}

/** `util.base64Decode(value)`: base64 decoded, read as UTF-8. */
export function base64Decode(value: string): string {
  return Buffer.from(String(value), 'base64').toString('utf8');
}

const JAVASCRIPT_ESCAPES: Record<string, string> = {
  "'": "\\'",
  '"': '\\"',
  '\\': '\\\\',
  '/': '\\/',
  '\b': '\\b',
  '\n': '\\n',
  '\t': '\\t',
  '\f': '\\f',
  '\r': '\\r',
};

/**
 * `util.escapeJavaScript(value)`: the string escaped for a JavaScript string literal. AWS's docs
 * give no table; this follows Apache Commons' `escapeEcmaScript`, which Java template engines
 * use: quotes, backslash and `/` escaped, control and non-ASCII characters as `\uXXXX`.
 *
 * @example escapeJavaScript('He said "hi"\n') // 'He said \\"hi\\"\\n'
 */
export function escapeJavaScript(value: string): string {
  let escaped = '';
  for (const character of String(value)) {
    const named = JAVASCRIPT_ESCAPES[character];
    if (named !== undefined) {
      escaped += named;
      continue;
    }
    const codePoint = character.codePointAt(0) ?? 0;
    if (codePoint < 0x20 || codePoint > 0x7e) {
      // UTF-16 code units, as Java strings hold them.
      for (let index = 0; index < character.length; index += 1) {
        escaped += `\\u${character.charCodeAt(index).toString(16).toUpperCase().padStart(4, '0')}`;
      }
    } else {
      escaped += character;
    }
  }
  return escaped;
}
