/**
 * `util.math`, as documented in "Math helpers in util.math"
 * (https://docs.aws.amazon.com/appsync/latest/devguide/math-helpers-in-util-math-js.html).
 */

/** `util.math` as APPSYNC_JS code sees it. */
export interface MathUtils {
  roundNum(value: number): number;
  minVal(first: number, second: number): number;
  maxVal(first: number, second: number): number;
  randomDouble(): number;
  randomWithinRange(start: number, end: number): number;
}

/**
 * Create `util.math`. `random` is injectable so tests can pin it.
 *
 * @example createMathUtils().roundNum(2.5) // 3 (half up, as Java's Math.round)
 */
export function createMathUtils(random: () => number = Math.random): MathUtils {
  return {
    // Math.round rounds half up (towards +∞) exactly as Java's Math.round does.
    roundNum: (value) => Math.round(Number(value)),
    minVal: (first, second) => Math.min(Number(first), Number(second)),
    maxVal: (first, second) => Math.max(Number(first), Number(second)),
    randomDouble: () => random(),
    // "A random integer value within the specified range": AWS does not say whether the upper
    // bound can be drawn; both bounds are included here, and the order of the bounds does not matter.
    randomWithinRange: (start, end) => {
      const low = Math.ceil(Math.min(Number(start), Number(end)));
      const high = Math.floor(Math.max(Number(start), Number(end)));
      return low + Math.floor(random() * (high - low + 1));
    },
  };
}
