/**
 * The room aggregate on AWS. Its decider is functions/room/; the generic
 * resolvers, its store rule and dead-letter queue come from Aggregate. Its
 * own: three commands, two of which read claims before deciding (the room
 * number's, the room-nights' a closure wants), so a taken number or a
 * reserved night is refused at once; the store's constraints still settle races.
 */
import type { Construct } from 'constructs';
import { ROOM_STREAM } from '../functions/room/stream';
import { Aggregate, type AggregateProps } from './Aggregate';

export class RoomAggregate extends Aggregate {
  constructor(scope: Construct, id: string, props: AggregateProps) {
    super(scope, id, { ...props, folder: 'room', stream: ROOM_STREAM });
    this.command('Mutation.registerRoom', [this.step('checkRoomNumber', props.eventStore.tableSource)]);
    this.command('Mutation.closeRoom', [this.step('checkClosureNights', props.eventStore.tableSource)]);
    this.command('Mutation.reopenRoom');
  }
}
