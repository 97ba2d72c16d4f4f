/**
 * Mutation.bookStay: checks the input's shape and stashes the command, with the
 * ids of the reservation and payment the booking will create (derived from the
 * booking id, so a retried bookStay names the same ones); the command pipeline
 * (with the booking's checkStay) decides it, publishes BookingStarted, and
 * startBooking starts the state machine's execution named after the booking id.
 * Answers `{ id, commandId, status: PENDING }`; every step arrives on onBookingUpdated(id).
 */
import { util, type Context } from '@aws-appsync/utils';
import type { CommandAccepted, MutationBookStayArgs } from '../schema/generated/types';
import type { BookingCommandRequest } from '../functions/booking/decide';
import { BOOKING_STREAM } from '../functions/booking/stream';
import { validateBookStayInput } from '../functions/booking/validate';
import { commandAccepted, newStreamId, stashCommand } from '../functions/eventStore/commandRequest';
import type { CommandStash } from '../functions/eventStore/stash';
import { refuseIfAny } from '../functions/shared/refuse';
import { ulidFromCommandId } from '../functions/shared/ulid';

type BookStayStash = CommandStash<BookingCommandRequest> & { cardToken?: string };

export function request(ctx: Context<MutationBookStayArgs, BookStayStash>) {
  const { input } = ctx.args;
  refuseIfAny('ValidationError', validateBookStayInput(input));
  const id = newStreamId(input);
  stashCommand(ctx, BOOKING_STREAM, {
    type: 'BookStay',
    id,
    commandId: input.commandId ?? util.autoUlid(),
    // Rooms and guests are keyed by their upper-cased ULID; a reservation of the room must claim the same nights.
    guestId: input.guestId.toUpperCase(),
    roomId: input.roomId.toUpperCase(),
    dateStart: input.dateStart,
    dateEnd: input.dateEnd,
    reservationId: ulidFromCommandId(`${id}:reservation`),
    paymentId: ulidFromCommandId(`${id}:payment`),
  });
  // The card token travels with the execution's input only, never into the store.
  ctx.stash.cardToken = input.cardToken;
  return {};
}

export function response(ctx: Context<MutationBookStayArgs, BookStayStash>): CommandAccepted {
  return commandAccepted(ctx);
}
