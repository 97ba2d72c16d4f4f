/**
 * The reservation aggregate on AWS, top to bottom:
 * 1. its pipeline steps (checkRoomNights, decideCommand) next to the event store's;
 * 2. one JS pipeline resolver per schema field, code from `resolvers/<Type.field>.ts`;
 * 3. the EventBridge rule that sends each decided event to the IAM-only
 *    `saveReservationEvent` mutation, as a role that may call that field only.
 */
import { Duration } from 'aws-cdk-lib';
import * as appsync from 'aws-cdk-lib/aws-appsync';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { eventSourceOf } from '../functions/eventStore/eventSource';
import { RESERVATION_STREAM } from '../functions/reservation/stash';
import { bundleAppSyncCode, pipelineStep } from './appsyncCode';
import type { EventStore } from './EventStore';

export interface ReservationAggregateProps {
  api: appsync.GraphqlApi;
  eventStore: EventStore;
}

/** The selection the rule sends: what onReservationSaved subscribers receive. */
export const SAVE_RESERVATION_EVENT_OPERATION = `mutation SaveReservationEvent($input: ReservationEventInput!) {
  saveReservationEvent(input: $input) {
    id commandId status version reason repeat
    reservation { id userId roomId dateStart dateEnd status version createdAt updatedAt cancellationReason }
  }
}`;

export class ReservationAggregate extends Construct {
  /** `Type.field` of every resolver this construct attached. */
  readonly resolvedFields: string[] = [];
  readonly storeRule: events.Rule;
  readonly deadLetterQueue: sqs.Queue;
  private readonly api: appsync.GraphqlApi;

  constructor(scope: Construct, id: string, props: ReservationAggregateProps) {
    super(scope, id);
    const { api, eventStore } = props;
    this.api = api;

    // 1. Steps of this aggregate.
    const checkRoomNights = this.step('checkRoomNights', eventStore.tableSource);
    const decideCommand = this.step('decideCommand', eventStore.noneSource);

    // 2. Resolvers: validate in the resolver, then the steps, in order.
    // A command's timeout is scheduled before its events are published, so no published event lacks one.
    // loadStream runs twice: the newest snapshot and the events after it, or, when the stream has no
    // usable snapshot in its newest items, the second run reads it from the start (a no-op otherwise).
    const loadStream = [eventStore.loadStream, eventStore.loadStream];
    this.resolver('Mutation.createReservation', [...loadStream, checkRoomNights, decideCommand, eventStore.scheduleTimeout, eventStore.publishEvents]);
    this.resolver('Mutation.cancelReservation', [...loadStream, decideCommand, eventStore.scheduleTimeout, eventStore.publishEvents]);
    // A first REJECTED/TIMED_OUT is written down (recordAnswer); readAnswers runs again if that lost a race.
    // Once answered, the command's timeout schedule is deleted (cancelTimeout).
    this.resolver('Mutation.saveReservationEvent', [
      eventStore.appendEvent,
      eventStore.readAnswers,
      eventStore.recordAnswer,
      eventStore.readAnswers,
      ...loadStream,
      eventStore.cancelTimeout,
    ]);
    this.resolver('Query.getReservation', loadStream);
    // History reads every event from the start (the resolver sets loadFromStart): one run.
    this.resolver('Query.getReservationHistory', [eventStore.loadStream]);
    // Subscribers get first answers only: a unit resolver on NONE sets the filter.
    this.unitResolver('Subscription.onReservationSaved', eventStore.noneSource);

    // 3. Bus → store mutation, as a role allowed to call saveReservationEvent and nothing else.
    const storeRole = new iam.Role(this, 'StoreRole', {
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com'),
      description: 'EventBridge calls Mutation.saveReservationEvent as this role',
    });
    api.grantMutation(storeRole, 'saveReservationEvent');

    this.deadLetterQueue = new sqs.Queue(this, 'StoreDeadLetters', {
      retentionPeriod: Duration.days(14),
      enforceSSL: true,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
    });

    this.storeRule = new events.Rule(this, 'StoreRule', {
      eventBus: eventStore.bus,
      description: 'Stores each decided reservation event through the IAM-only saveReservationEvent mutation',
      eventPattern: { source: [eventSourceOf(RESERVATION_STREAM)] },
      targets: [
        new targets.AppSync(api, {
          graphQLOperation: SAVE_RESERVATION_EVENT_OPERATION,
          variables: events.RuleTargetInput.fromObject({ input: events.EventField.fromPath('$.detail') }),
          eventRole: storeRole,
          retryAttempts: 8,
          maxEventAge: Duration.minutes(5),
          deadLetterQueue: this.deadLetterQueue,
        }),
      ],
    });
  }

  private step(name: string, dataSource: appsync.BaseDataSource): appsync.AppsyncFunction {
    return pipelineStep(this, this.api, 'reservation', name, dataSource);
  }

  private unitResolver(field: string, dataSource: appsync.BaseDataSource): void {
    const [typeName, fieldName] = field.split('.') as [string, string];
    new appsync.Resolver(this, field.replace('.', ''), {
      api: this.api,
      typeName,
      fieldName,
      dataSource,
      runtime: appsync.FunctionRuntime.JS_1_0_0,
      code: appsync.Code.fromInline(bundleAppSyncCode(`resolvers/${field}.ts`)),
    });
    this.resolvedFields.push(field);
  }

  private resolver(field: string, pipeline: appsync.AppsyncFunction[]): void {
    const [typeName, fieldName] = field.split('.') as [string, string];
    new appsync.Resolver(this, field.replace('.', ''), {
      api: this.api,
      typeName,
      fieldName,
      runtime: appsync.FunctionRuntime.JS_1_0_0,
      code: appsync.Code.fromInline(bundleAppSyncCode(`resolvers/${field}.ts`)),
      pipelineConfig: pipeline,
    });
    this.resolvedFields.push(field);
  }
}
