/**
 * A stay's limits, shared by every decider that takes one (a reservation, a booking), so
 * both state the same rules with the same words. Pure, valid APPSYNC_JS.
 */

/** Longest stay, in nights. */
export const MAX_STAY_NIGHTS = 30;

/** A stay: the check-out day is exclusive; at most MAX_STAY_NIGHTS nights; not in the past. */
export const STAY_LIMITS = {
  dateEndMeans: 'the check-out day',
  mayStartInPast: false,
  maxNights: MAX_STAY_NIGHTS,
  tooLongRule: 'StayTooLong' as const,
  tooLongAdvice: 'Book a shorter stay, or several reservations.',
  name: 'The stay',
};
