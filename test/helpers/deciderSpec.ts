/**
 * given/when/then for any aggregate's decider, built on the real `decide` and
 * the store's fold (functions/eventStore/fold.ts):
 *
 *   const { given } = deciderSpec(reservation, { aggregateId });
 *   given([created()]).when(cancel()).then([{ type: 'ReservationCancelled', data }]);
 *   given([]).when(create({ dateEnd: '2026-01-01' })).thenRefuses('BusinessRuleViolation', ['DateRangeInvalid']);
 *
 * `given` takes stored events, or bare events (the aggregate's, or the store's
 * tombstone `timedOut()`) that it wraps in envelopes at versions 1, 2, 3 … of the
 * command's stream. Call `then` directly in the test; do not return or await the
 * `when(…)` object (its `then` method would make it look like a promise).
 */
import { expect } from 'vitest';
import type { EventEnvelope, NewEvent } from '../../functions/eventStore/envelope.ts';
import { evolveStored as evolveStoredEvent, foldStream } from '../../functions/eventStore/fold.ts';
import { TIMED_OUT_EVENT_TYPE } from '../../functions/eventStore/storeOutcome.ts';
import type { Aggregate, CommandBase, Decision, NewEventOf, VersionedState } from '../../functions/shared/decider.ts';
import type { RefusalType } from '../../functions/shared/errors.ts';

export const OCCURRED_AT = '2026-01-05T12:00:00.000Z';

/** The store's tombstone, as `given` takes it: a timeout that took the slot of a command that never arrived. */
export function timedOut(reason = 'not stored within 10 s'): NewEvent<typeof TIMED_OUT_EVENT_TYPE, { reason: string }> {
  return { type: TIMED_OUT_EVENT_TYPE, data: { reason } };
}

export interface Outcome<Event extends EventEnvelope, Rule extends string> {
  readonly decision: Decision;
  /** Assert the command is accepted with exactly these events. */
  then(expected: NewEventOf<Event>[]): void;
  /** Assert the command is refused with this error type and exactly these rules, in order. */
  thenRefuses(errorType: RefusalType, rules: Rule[]): void;
}

export function deciderSpec<
  State extends VersionedState,
  Event extends EventEnvelope,
  Command extends CommandBase,
  Rule extends string = string,
>(aggregate: Aggregate<State, Event, Command>, defaults: { aggregateId: string; occurredAt?: string }) {
  /** A stored envelope around `event`, at `version` of stream `aggregateId`. */
  function envelope(
    event: NewEvent,
    version: number,
    aggregateId = defaults.aggregateId,
    occurredAt = defaults.occurredAt ?? OCCURRED_AT,
  ): Event {
    return {
      eventId: `01JCZ5P1Q8M4T2V6X9Y3ZB7K${String(version).padStart(2, '0')}`,
      aggregateId,
      version,
      occurredAt,
      commandId: `command-${version}`,
      correlationId: `correlation-${version}`,
      causationId: `command-${version}`,
      actor: null,
      schemaVersion: aggregate.eventSchemaVersion,
      ...event,
    } as Event;
  }

  /** Wrap bare events in envelopes at versions 1..N (stored ones are kept as they are). */
  function stream(events: ReadonlyArray<NewEvent | Event>, aggregateId = defaults.aggregateId): Event[] {
    return events.map((event, index) => ('version' in event ? (event as Event) : envelope(event, index + 1, aggregateId)));
  }

  /** The state after `events` (bare or stored), from `from`: the store's fold, tombstones included. */
  function fold(events: ReadonlyArray<NewEvent | Event>, from?: State): State {
    return foldStream(aggregate, stream(events), from);
  }

  /** The state after one stored event, the store's tombstone included (it only advances the version). */
  function evolveStored(state: State, event: Event | EventEnvelope): State {
    return evolveStoredEvent(aggregate, state, event);
  }

  function given(events: ReadonlyArray<NewEvent | Event>) {
    return {
      when(command: Command): Outcome<Event, Rule> {
        const decision = aggregate.decide(fold(stream(events, command.id)), command);
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

  return { envelope, stream, fold, evolveStored, given };
}
