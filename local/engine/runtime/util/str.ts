/**
 * `util.str`, as documented in "String helpers in util.str"
 * (https://docs.aws.amazon.com/appsync/latest/devguide/str-helpers-in-util-str-js.html).
 */

const NORMALIZATION_FORMS = new Set(['NFC', 'NFD', 'NFKC', 'NFKD']);

/** `util.str` as APPSYNC_JS code sees it. */
export interface StringUtils {
  normalize(value: string, normalizationType: string): string;
}

/**
 * `util.str.normalize(value, form)`: Unicode normalization with "nfc", "nfd", "nfkc" or "nfkd".
 * Another form throws: AWS's docs only name these four.
 *
 * @example normalize('e\u0301', 'nfc') // "é"
 */
export function normalize(value: string, normalizationType: string): string {
  const form = String(normalizationType).toUpperCase();
  if (!NORMALIZATION_FORMS.has(form)) {
    throw new RangeError(`util.str.normalize: unknown normalization type ${String(normalizationType)}`);
  }
  return String(value).normalize(form);
}

/** Create `util.str`. */
export function createStringUtils(): StringUtils {
  return { normalize };
}
