/**
 * given/when/then for the reservation decider, built on the real `decide` and `fold`:
 *
 *   given([created()]).when(cancel()).then([{ type: 'ReservationCancelled', data }]);
 *   given([]).when(create({ dateEnd: '2026-01-01' })).thenRefuses('BusinessRuleViolation', ['DateRangeInvalid']);
 *
 * `given` takes stored events, or bare events that it wraps in envelopes at versions
 * 1, 2, 3 … of the command's stream. Call `then` directly in the test; do not return or
 * await the `when(…)` object (its `then` method would make it look like a promise).
 */
import { expect } from 'vitest';
import {
  decide,
  type CancelReservation,
  type CreateReservation,
  type Decision,
  type DomainErrorType,
  type ReservationCommand,
  type ReservationRule,
} from '../../functions/reservation/decide.ts';
import {
  RESERVATION_SCHEMA_VERSION,
  type NewReservationEvent,
  type ReservationEvent,
} from '../../functions/reservation/events.ts';
import { fold } from '../../functions/reservation/evolve.ts';

export const RESERVATION_ID = '01JCZ5P1Q8M4T2V6X9Y3ZB7KDA';
export const NOW = '2026-01-10T09:30:00.000Z';
export const OCCURRED_AT = '2026-01-05T12:00:00.000Z';

/** A stored envelope around `event`, at `version` of stream `aggregateId`. */
export function envelope(
  event: NewReservationEvent,
  version: number,
  aggregateId: string = RESERVATION_ID,
  occurredAt: string = OCCURRED_AT,
): ReservationEvent {
  return {
    eventId: `01JCZ5P1Q8M4T2V6X9Y3ZB7K${String(version).padStart(2, '0')}`,
    aggregateId,
    version,
    occurredAt,
    commandId: `command-${version}`,
    correlationId: `correlation-${version}`,
    causationId: `command-${version}`,
    actor: null,
    schemaVersion: RESERVATION_SCHEMA_VERSION,
    ...event,
  } as ReservationEvent;
}

/** Wrap bare events in envelopes at versions 1..N (stored ones are kept as they are). */
export function stream(
  events: ReadonlyArray<NewReservationEvent | ReservationEvent>,
  aggregateId: string = RESERVATION_ID,
): ReservationEvent[] {
  return events.map((event, index) =>
    'version' in event ? event : envelope(event, index + 1, aggregateId),
  );
}

export function created(data: Partial<Extract<NewReservationEvent, { type: 'ReservationCreated' }>['data']> = {}): NewReservationEvent {
  return {
    type: 'ReservationCreated',
    data: { userId: 'user-1', roomId: 'room-101', dateStart: '2026-02-01', dateEnd: '2026-02-04', ...data },
  };
}

export function cancelled(data: Partial<Extract<NewReservationEvent, { type: 'ReservationCancelled' }>['data']> = {}): NewReservationEvent {
  return {
    type: 'ReservationCancelled',
    data: { roomId: 'room-101', dateStart: '2026-02-01', dateEnd: '2026-02-04', reason: null, ...data },
  };
}

export function timedOut(reason = 'not stored within 10 s'): NewReservationEvent {
  return { type: 'CommandTimedOut', data: { reason } };
}

export function create(fields: Partial<Omit<CreateReservation, 'type'>> = {}): CreateReservation {
  return {
    type: 'CreateReservation',
    id: RESERVATION_ID,
    commandId: 'create-1',
    userId: 'user-1',
    roomId: 'room-101',
    dateStart: '2026-02-01',
    dateEnd: '2026-02-04',
    now: NOW,
    roomNightsTaken: [],
    ...fields,
  };
}

export function cancel(fields: Partial<Omit<CancelReservation, 'type'>> = {}): CancelReservation {
  return {
    type: 'CancelReservation',
    id: RESERVATION_ID,
    commandId: 'cancel-1',
    reason: null,
    now: NOW,
    ...fields,
  };
}

export interface Outcome {
  readonly decision: Decision;
  /** Assert the command is accepted with exactly these events. */
  then(expected: NewReservationEvent[]): void;
  /** Assert the command is refused with this error type and exactly these rules, in order. */
  thenRefuses(errorType: DomainErrorType, rules: ReservationRule[]): void;
}

export function given(events: ReadonlyArray<NewReservationEvent | ReservationEvent>) {
  return {
    when(command: ReservationCommand): Outcome {
      const decision = decide(fold(stream(events, command.id)), command);
      return {
        decision,
        then(expected) {
          expect(decision).toEqual({ ok: true, events: expected });
        },
        thenRefuses(errorType, rules) {
          expect(decision.ok).toBe(false);
          if (decision.ok) return;
          expect(decision.error.errorType).toBe(errorType);
          expect(decision.error.violations.map((violation) => violation.rule)).toEqual(rules);
          for (const violation of decision.error.violations) {
            expect(violation.message.length).toBeGreaterThan(0);
          }
        },
      };
    },
  };
}
