/**
 * The booking's state machine (Step Functions, Standard, JSONata, no Lambda):
 * reserve → authorize nights × nightly rate → capture → CONFIRMED; on a failure,
 * compensate in reverse order (refund a capture or void an authorization, cancel
 * the reservation) and end FAILED with a reason. docs/saga.md tells why it is built
 * this way and what it costs.
 *
 * How it calls the core: every command goes out as an EventBridge event
 * (`events:putEvents.waitForTaskToken`, the task token in the command's input);
 * one rule per command field calls that AppSync mutation as a role allowed that
 * field only (IAM, like any client), and the core answers the token: the command
 * pipeline with SendTaskFailure when it refuses the command, the store pipeline
 * with SendTaskSuccess and the stored outcome (functions/eventStore/taskToken.ts).
 * Each such task has the step deadline (`TimeoutSeconds`, from the execution's
 * input, which bookStay fills from the API's BOOKING_STEP_TIMEOUT_SECONDS).
 * https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html#connect-wait-token
 * https://docs.aws.amazon.com/step-functions/latest/dg/connect-eventbridge.html
 *
 * After each step is stored, `publishBookingUpdate` goes out the same way without
 * waiting: its resolver folds the booking's stream and AppSync sends the result to
 * onBookingUpdated(id). The machine runs one step at a time, so updates go out in order.
 */
import { Duration } from 'aws-cdk-lib';
import type * as appsync from 'aws-cdk-lib/aws-appsync';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { EventStore } from './EventStore';
import { buildAppSyncSchema, operationSelection } from './schema';

/** The EventBridge source of the machine's commands; each rule matches one detail-type, the mutation's name. */
export const BOOKING_SAGA_SOURCE = 'app.booking.saga';

/** The mutations the machine sends, with their input types. */
export const SAGA_COMMANDS = {
  createReservation: 'CreateReservationInput',
  cancelReservation: 'CancelReservationInput',
  authorizePayment: 'AuthorizePaymentInput',
  capturePayment: 'PaymentCommandInput',
  voidPayment: 'PaymentCommandInput',
  refundPayment: 'PaymentCommandInput',
  recordBookingStep: 'RecordBookingStepInput',
  publishBookingUpdate: 'PublishBookingUpdateInput',
} as const;

export type SagaCommand = keyof typeof SAGA_COMMANDS;

export interface BookingSagaProps {
  api: appsync.GraphqlApi;
  eventStore: EventStore;
  /** A step with no answer within this fails the booking TimedOut (compensated). Default 20 s. */
  stepTimeout?: Duration;
}

type State = Record<string, unknown>;

/** A command sent through the bus, waiting for the core to answer its task token, within the step deadline. */
function command(field: SagaCommand, input: Record<string, unknown>, rest: State): State {
  return {
    Type: 'Task',
    Resource: 'arn:aws:states:::events:putEvents.waitForTaskToken',
    Arguments: {
      Entries: [
        {
          EventBusName: '${BusName}',
          Source: BOOKING_SAGA_SOURCE,
          DetailType: field,
          Detail: { input: { ...input, taskToken: '{% $states.context.Task.Token %}' } },
        },
      ],
    },
    TimeoutSeconds: '{% $b.stepSeconds %}',
    ...rest,
  };
}

/** The booking reached `status`: tell onBookingUpdated(id) subscribers (no answer awaited). */
function publish(status: string, next: string): State {
  return {
    Type: 'Task',
    Resource: 'arn:aws:states:::events:putEvents',
    Arguments: {
      Entries: [
        {
          EventBusName: '${BusName}',
          Source: BOOKING_SAGA_SOURCE,
          DetailType: 'publishBookingUpdate',
          Detail: { input: { id: '{% $b.bookingId %}', status } },
        },
      ],
    },
    Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 1, BackoffRate: 2, MaxAttempts: 3 }],
    Next: next,
  };
}

/** Record a step in the booking's stream (retried while BookingStarted is not stored yet: NotFound). */
function record(status: string, next: string, extra: Record<string, unknown> = {}, rest: State = {}): State {
  return command(
    'recordBookingStep',
    { id: '{% $b.bookingId %}', commandId: `{% $b.bookingId & '.${status.toLowerCase()}' %}`, status, ...extra },
    {
      Retry: [
        { ErrorEquals: ['NotFound'], IntervalSeconds: 1, BackoffRate: 1.5, MaxAttempts: 5 },
        { ErrorEquals: ['States.Timeout'], IntervalSeconds: 1, MaxAttempts: 2 },
      ],
      Next: next,
      ...rest,
    },
  );
}

const pass = (assign: Record<string, unknown>, next: string): State => ({ Type: 'Pass', Assign: assign, Next: next });
const compensated = (step: string) =>
  `{% $append($compensation, [{'step': '${step}', 'outcome': $states.result.eventType ? $states.result.eventType : $states.result.status}]) %}`;
const skipped = (step: string) => `{% $append($compensation, [{'step': '${step}', 'outcome': $states.errorOutput.Error}]) %}`;

/** The machine's definition (Amazon States Language, JSONata); `${BusName}` is substituted by CloudFormation. */
export function bookingDefinition(): Record<string, unknown> {
  const id = '$b.bookingId';
  return {
    Comment: 'The booking: reserve, authorize, capture; compensate in reverse order on any failure (infra/BookingSaga.ts).',
    QueryLanguage: 'JSONata',
    StartAt: 'Begin',
    States: {
      Begin: pass(
        {
          b: '{% $states.input %}',
          reservationHeld: false,
          paymentHeld: false,
          stored: null,
          reason: null,
          failedStep: null,
          compensation: [],
        },
        'Reserve',
      ),

      Reserve: command(
        'createReservation',
        {
          id: '{% $b.reservationId %}',
          commandId: `{% ${id} & '.reserve' %}`,
          userId: '{% $b.guestId %}',
          roomId: '{% $b.roomId %}',
          dateStart: '{% $b.dateStart %}',
          dateEnd: '{% $b.dateEnd %}',
        },
        {
          Assign: { reservationHeld: "{% $states.result.status = 'SAVED' %}", stored: '{% $states.result.status %}' },
          Catch: [
            // No answer in time: a late reservation may still be stored, so it is cancelled (NotFound tolerated).
            {
              ErrorEquals: ['States.Timeout'],
              Assign: { reason: 'TimedOut', reservationHeld: true },
              Next: 'PublishStartedThenCompensate',
            },
            // Refused at command time (nights taken since bookStay, or closed).
            { ErrorEquals: ['States.ALL'], Assign: { reason: 'RoomUnavailable' }, Next: 'PublishStartedThenCompensate' },
          ],
          Next: 'PublishStarted',
        },
      ),
      PublishStarted: publish('STARTED', 'WasReserved'),
      PublishStartedThenCompensate: publish('STARTED', 'Compensate'),
      WasReserved: {
        Type: 'Choice',
        Choices: [
          { Condition: '{% $reservationHeld %}', Next: 'RecordReserved' },
          { Condition: "{% $stored = 'TIMED_OUT' %}", Next: 'StoreTimedOut' },
        ],
        Default: 'RoomUnavailable',
      },
      RoomUnavailable: pass({ reason: 'RoomUnavailable' }, 'Compensate'),
      // The store answered TIMED_OUT (the command's event not stored within its deadline, e.g. DynamoDB down): a step
      // with no answer in time, not a refusal. Nothing was stored (the tombstone holds the slot), so nothing more to undo.
      StoreTimedOut: pass({ reason: 'TimedOut' }, 'Compensate'),
      RecordReserved: record(
        'RESERVED',
        'PublishReserved',
        {},
        { Catch: [{ ErrorEquals: ['States.ALL'], Assign: { reason: 'TimedOut' }, Next: 'Compensate' }] },
      ),
      PublishReserved: publish('RESERVED', 'Authorize'),

      Authorize: command(
        'authorizePayment',
        {
          id: '{% $b.paymentId %}',
          commandId: `{% ${id} & '.authorize' %}`,
          reservationId: '{% $b.reservationId %}',
          amount: '{% $b.amount %}',
          currency: '{% $b.currency %}',
          cardToken: '{% $b.cardToken %}',
        },
        {
          Assign: { authorization: '{% $states.result.eventType %}', stored: '{% $states.result.status %}' },
          Catch: [
            // No answer in time: an authorization that arrives later is voided.
            { ErrorEquals: ['States.Timeout'], Assign: { reason: 'TimedOut', paymentHeld: true }, Next: 'Compensate' },
            { ErrorEquals: ['States.ALL'], Assign: { reason: 'PaymentFailed' }, Next: 'Compensate' },
          ],
          Next: 'WasAuthorized',
        },
      ),
      WasAuthorized: {
        Type: 'Choice',
        Choices: [
          { Condition: "{% $authorization = 'PaymentAuthorized' %}", Next: 'Authorized' },
          { Condition: "{% $authorization = 'PaymentDeclined' %}", Next: 'PaymentDeclined' },
          { Condition: "{% $stored = 'TIMED_OUT' %}", Next: 'StoreTimedOut' },
        ],
        Default: 'PaymentFailed',
      },
      Authorized: pass({ paymentHeld: true }, 'RecordAuthorized'),
      PaymentDeclined: pass({ reason: 'PaymentDeclined' }, 'Compensate'),
      PaymentFailed: pass({ reason: 'PaymentFailed' }, 'Compensate'),
      RecordAuthorized: record(
        'PAYMENT_AUTHORIZED',
        'PublishAuthorized',
        {},
        { Catch: [{ ErrorEquals: ['States.ALL'], Assign: { reason: 'TimedOut' }, Next: 'Compensate' }] },
      ),
      PublishAuthorized: publish('PAYMENT_AUTHORIZED', 'Capture'),

      Capture: command(
        'capturePayment',
        { id: '{% $b.paymentId %}', commandId: `{% ${id} & '.capture' %}` },
        {
          Assign: { capture: '{% $states.result.eventType %}', stored: '{% $states.result.status %}' },
          Catch: [
            { ErrorEquals: ['States.Timeout'], Assign: { reason: 'TimedOut' }, Next: 'Compensate' },
            { ErrorEquals: ['States.ALL'], Assign: { reason: 'PaymentFailed' }, Next: 'Compensate' },
          ],
          Next: 'WasCaptured',
        },
      ),
      WasCaptured: {
        Type: 'Choice',
        Choices: [
          { Condition: "{% $capture = 'PaymentCaptured' %}", Next: 'RecordConfirmed' },
          { Condition: "{% $stored = 'TIMED_OUT' %}", Next: 'StoreTimedOut' },
        ],
        Default: 'PaymentFailed',
      },
      RecordConfirmed: record(
        'CONFIRMED',
        'PublishConfirmed',
        {},
        { Catch: [{ ErrorEquals: ['States.ALL'], Assign: { reason: 'TimedOut' }, Next: 'Compensate' }] },
      ),
      PublishConfirmed: publish('CONFIRMED', 'Confirmed'),
      Confirmed: { Type: 'Succeed', Output: "{% {'bookingId': $b.bookingId, 'status': 'CONFIRMED'} %}" },

      // Compensation, in reverse order: the payment (void an authorization, else refund a capture), then the reservation.
      Compensate: { Type: 'Choice', Choices: [{ Condition: '{% $paymentHeld %}', Next: 'VoidPayment' }], Default: 'ReservationHeld' },
      VoidPayment: command(
        'voidPayment',
        { id: '{% $b.paymentId %}', commandId: `{% ${id} & '.void' %}` },
        {
          Assign: { compensation: compensated('voidPayment') },
          Retry: [
            // A late authorization is not stored yet: wait for it (past the provider's 25-30 s), then void it.
            { ErrorEquals: ['NotFound'], IntervalSeconds: 2, BackoffRate: 1.5, MaxAttempts: 7 },
            { ErrorEquals: ['States.Timeout'], IntervalSeconds: 1, MaxAttempts: 3 },
          ],
          Catch: [
            // Not AUTHORIZED: captured (refund it), or nothing held (declined, failed, voided).
            { ErrorEquals: ['BusinessRuleViolation'], Next: 'RefundPayment' },
            { ErrorEquals: ['NotFound'], Assign: { compensation: skipped('voidPayment') }, Next: 'ReservationHeld' },
            { ErrorEquals: ['States.ALL'], Assign: { failedStep: 'voidPayment' }, Next: 'ReservationHeld' },
          ],
          Next: 'ReservationHeld',
        },
      ),
      RefundPayment: command(
        'refundPayment',
        { id: '{% $b.paymentId %}', commandId: `{% ${id} & '.refund' %}` },
        {
          Assign: { compensation: compensated('refundPayment') },
          Retry: [{ ErrorEquals: ['States.Timeout'], IntervalSeconds: 1, MaxAttempts: 3 }],
          Catch: [
            { ErrorEquals: ['BusinessRuleViolation'], Assign: { compensation: skipped('refundPayment') }, Next: 'ReservationHeld' },
            { ErrorEquals: ['States.ALL'], Assign: { failedStep: 'refundPayment' }, Next: 'ReservationHeld' },
          ],
          Next: 'ReservationHeld',
        },
      ),
      ReservationHeld: {
        Type: 'Choice',
        Choices: [{ Condition: '{% $reservationHeld %}', Next: 'CancelReservation' }],
        Default: 'RecordFailed',
      },
      CancelReservation: command(
        'cancelReservation',
        { id: '{% $b.reservationId %}', commandId: `{% ${id} & '.cancel' %}`, reason: `{% 'booking ' & ${id} & ' failed: ' & $reason %}` },
        {
          Assign: { compensation: compensated('cancelReservation') },
          Retry: [
            { ErrorEquals: ['NotFound'], IntervalSeconds: 2, BackoffRate: 1.5, MaxAttempts: 5 },
            { ErrorEquals: ['States.Timeout'], IntervalSeconds: 1, MaxAttempts: 3 },
          ],
          Catch: [
            // Never stored, or already cancelled: nothing holds the nights.
            {
              ErrorEquals: ['NotFound', 'BusinessRuleViolation'],
              Assign: { compensation: skipped('cancelReservation') },
              Next: 'RecordFailed',
            },
            { ErrorEquals: ['States.ALL'], Assign: { failedStep: 'cancelReservation' }, Next: 'RecordFailed' },
          ],
          Next: 'RecordFailed',
        },
      ),
      RecordFailed: record(
        'FAILED',
        'PublishFailed',
        { reason: '{% $reason %}', compensation: "{% $string({'steps': $compensation, 'failedStep': $failedStep}) %}" },
        {
          Catch: [
            {
              ErrorEquals: ['States.ALL'],
              Assign: { failedStep: "{% $failedStep ? $failedStep : 'recordBookingStep' %}" },
              Next: 'PublishFailed',
            },
          ],
        },
      ),
      PublishFailed: publish('FAILED', 'CompensationDone'),
      // A compensation that kept failing stays visible: the execution fails, naming the step (and the rule's dead-letter queue holds failed deliveries).
      CompensationDone: {
        Type: 'Choice',
        Choices: [{ Condition: '{% $failedStep != null %}', Next: 'CompensationFailed' }],
        Default: 'Failed',
      },
      CompensationFailed: {
        Type: 'Fail',
        Error: 'CompensationFailed',
        Cause: "{% 'booking ' & $b.bookingId & ': ' & $failedStep & ' kept failing; see the execution history' %}",
      },
      Failed: {
        Type: 'Succeed',
        Output: "{% {'bookingId': $b.bookingId, 'status': 'FAILED', 'reason': $reason, 'compensation': $compensation} %}",
      },
    },
  };
}

export class BookingSaga extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly deadLetterQueue: sqs.Queue;
  readonly stepTimeout: Duration;

  constructor(scope: Construct, id: string, props: BookingSagaProps) {
    super(scope, id);
    const { api, eventStore } = props;
    this.stepTimeout = props.stepTimeout ?? Duration.seconds(20);

    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromString(JSON.stringify(bookingDefinition(), null, 1)),
      definitionSubstitutions: { BusName: eventStore.bus.eventBusName },
      // Far above the sum of the steps' deadlines and retries: an execution never hangs for ever.
      timeout: Duration.hours(1),
      tracingEnabled: true,
    });
    eventStore.bus.grantPutEventsTo(this.stateMachine);

    // The core answers the machine's tokens, and bookStay starts its executions, through the Step Functions data source.
    this.stateMachine.grantTaskResponse(eventStore.stepFunctionsSource);
    this.stateMachine.grantStartExecution(eventStore.stepFunctionsSource);
    api.addEnvironmentVariable('BOOKING_STATE_MACHINE_ARN', this.stateMachine.stateMachineArn);
    api.addEnvironmentVariable('BOOKING_STEP_TIMEOUT_SECONDS', String(this.stepTimeout.toSeconds()));

    // Bus → AppSync, one rule per mutation, as a role allowed those mutations only.
    const role = new iam.Role(this, 'CommandRole', {
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com'),
      description: "EventBridge calls the booking state machine's commands on AppSync as this role",
    });
    api.grantMutation(role, ...Object.keys(SAGA_COMMANDS));
    this.deadLetterQueue = new sqs.Queue(this, 'CommandDeadLetters', {
      retentionPeriod: Duration.days(14),
      enforceSSL: true,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
    });
    const schema = buildAppSyncSchema();
    for (const [field, inputType] of Object.entries(SAGA_COMMANDS)) {
      new events.Rule(this, `${field.charAt(0).toUpperCase()}${field.slice(1)}Rule`, {
        eventBus: eventStore.bus,
        description: `Sends the booking state machine's ${field} to AppSync`,
        eventPattern: { source: [BOOKING_SAGA_SOURCE], detailType: [field] },
        targets: [
          new targets.AppSync(api, {
            graphQLOperation: operationSelection(schema, 'mutation', field, `${inputType}!`),
            variables: events.RuleTargetInput.fromObject({ input: events.EventField.fromPath('$.detail.input') }),
            eventRole: role,
            retryAttempts: 8,
            maxEventAge: Duration.minutes(5),
            deadLetterQueue: this.deadLetterQueue,
          }),
        ],
      });
    }
  }
}
