/**
 * The booking aggregate on AWS. Its decider is functions/booking/; the generic
 * resolvers, its store rule and dead-letter queue come from Aggregate. Its own:
 * bookStay (reads the guest, the room and the nights with checkStay, then starts
 * the state machine with startBooking), the state machine's recordBookingStep,
 * and publishBookingUpdate / onBookingUpdated, the booking's progress for clients.
 * The state machine itself is BookingSaga; it is given here through `stateMachineArn`.
 */
import type * as appsync from 'aws-cdk-lib/aws-appsync';
import type { Construct } from 'constructs';
import { BOOKING_STREAM } from '../functions/booking/stream';
import { Aggregate, type AggregateProps } from './Aggregate';

export interface BookingAggregateProps extends AggregateProps {
  /** The data source that starts the booking's executions (signed for `states`, allowed states:StartExecution on the machine). */
  stepFunctionsSource: appsync.BaseDataSource;
}

export class BookingAggregate extends Aggregate {
  constructor(scope: Construct, id: string, props: BookingAggregateProps) {
    super(scope, id, { ...props, folder: 'booking', stream: BOOKING_STREAM });
    this.command(
      'Mutation.bookStay',
      [this.step('checkStay', props.eventStore.tableSource)],
      [this.step('startBooking', props.stepFunctionsSource)],
    );
    this.command('Mutation.recordBookingStep');
    this.field('Mutation.publishBookingUpdate', 'state', [this.step('claimUpdate', props.eventStore.tableSource)]);
    this.field('Subscription.onBookingUpdated', null);
  }
}
