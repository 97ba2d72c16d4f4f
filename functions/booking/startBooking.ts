/**
 * Pipeline step (HTTP data source signed for `states`), last of bookStay: starts
 * the booking's state machine (StartExecution), the execution named after the
 * booking id. A Standard workflow's name is unique (for 90 days), so a bookStay
 * sent again with the same commandId starts nothing new: while the execution
 * runs, the same name and input answer the same execution; once it has ended,
 * ExecutionAlreadyExists, which is that same answer here. It runs on a repeat too
 * (the command already stored), so a retry after a failed start does start it.
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html
 */
import { util, runtime, type Context, type HTTPRequest } from '@aws-appsync/utils';
import type { CommandStash } from '../eventStore/stash';
import type { BookingCommandRequest } from './decide';
import type { BookingEventDataByType } from './events';

type BookStayStash = CommandStash<BookingCommandRequest> & { cardToken?: string };

/** What the state machine starts with: the booking as bookStay decided it, and the card token (kept out of the store). */
export type BookingExecutionInput = BookingEventDataByType['BookingStarted'] & {
  bookingId: string;
  cardToken: string;
  /** Each step's deadline (the state machine's TimeoutSeconds), from the API's BOOKING_STEP_TIMEOUT_SECONDS. */
  stepSeconds: number;
};

export function request(ctx: Context<unknown, BookStayStash>): HTTPRequest<string> {
  const { command } = ctx.stash;
  const decided = [...(ctx.stash.pendingEvents ?? []), ...(ctx.stash.loaded?.events ?? [])];
  const started = decided.find((event) => event.type === 'BookingStarted' && event.commandId === command.commandId);
  if (!started) {
    runtime.earlyReturn(null);
  }
  const input: BookingExecutionInput = {
    ...(started!.data as BookingEventDataByType['BookingStarted']),
    bookingId: command.id,
    cardToken: ctx.stash.cardToken ?? '',
    stepSeconds: Number(ctx.env.BOOKING_STEP_TIMEOUT_SECONDS ?? 20),
  };
  return {
    method: 'POST',
    resourcePath: '/',
    params: {
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AWSStepFunctions.StartExecution' },
      body: JSON.stringify({ stateMachineArn: ctx.env.BOOKING_STATE_MACHINE_ARN, name: command.id, input: JSON.stringify(input) }),
    },
  };
}

export function response(ctx: Context<unknown, BookStayStash>) {
  const body = ctx.result?.body ?? '';
  if (ctx.error || (ctx.result.statusCode !== 200 && body.indexOf('ExecutionAlreadyExists') < 0)) {
    util.error(
      `The booking was recorded but its process could not be started; send bookStay again with the same commandId. (${ctx.error?.message ?? body})`,
      'BookingNotStarted',
    );
  }
  return null;
}
