/**
 * The reservation aggregate on AWS. Its decider is functions/reservation/;
 * the generic resolvers, its store rule and dead-letter queue come from
 * Aggregate. What is its own: two commands, and one read before deciding
 * a create (the room's nights already claimed), so a double booking is
 * refused at once; the store's unique constraint still settles a race.
 */
import type { Construct } from 'constructs';
import { RESERVATION_STREAM } from '../functions/reservation/stream';
import { Aggregate, type AggregateProps } from './Aggregate';

export class ReservationAggregate extends Aggregate {
  constructor(scope: Construct, id: string, props: AggregateProps) {
    super(scope, id, { ...props, folder: 'reservation', stream: RESERVATION_STREAM });
    this.command('Mutation.createReservation', [this.step('checkRoomNights', props.eventStore.tableSource)]);
    this.command('Mutation.cancelReservation');
  }
}
