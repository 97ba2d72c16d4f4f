/** `util.time`: timestamps, Java DateTimeFormatter patterns and IANA zones. */
export interface TimeUtils {
  nowISO8601(): string;
  nowEpochMilliSeconds(): number;
}

/**
 * Create `util.time`.
 *
 * @example
 * createTimeUtils().nowISO8601(); // "2018-02-06T19:01:35.749Z"
 */
export function createTimeUtils(): TimeUtils {
  return {
    nowISO8601: () => new Date().toISOString(),
    nowEpochMilliSeconds: () => Date.now(),
  };
}
