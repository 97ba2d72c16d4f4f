/**
 * The guest aggregate on AWS. Its decider is functions/guest/; the generic
 * resolvers, its store rule and dead-letter queue come from Aggregate. Its
 * own: one command, which reads the email's claim before deciding.
 */
import type { Construct } from 'constructs';
import { GUEST_STREAM } from '../functions/guest/stream';
import { Aggregate, type AggregateProps } from './Aggregate';

export class GuestAggregate extends Aggregate {
  constructor(scope: Construct, id: string, props: AggregateProps) {
    super(scope, id, { ...props, folder: 'guest', stream: GUEST_STREAM });
    this.command('Mutation.registerGuest', [this.step('checkEmail', props.eventStore.tableSource)]);
  }
}
