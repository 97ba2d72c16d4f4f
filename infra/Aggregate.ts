/**
 * One aggregate on AWS, whatever it is: given its stream type and its
 * folder (`functions/<folder>/aggregate.ts` holds its decider), it attaches
 *
 * 1. the generic resolvers every aggregate gets (save<X>Event, publish<X>Saved,
 *    get<X>, get<X>History, on<X>Saved), bundled with its decider; both
 *    IAM-only mutations exist whatever the delivery (the schema is one for
 *    every deployment), only the delivery's rule may call one;
 * 2. its decideCommand step, bundled with its decider, used by `command()`;
 * 3. its delivery (`delivery`, default 'bus'):
 *    - 'bus': commands publish their decided event and answer PENDING; an
 *      EventBridge rule sends each decided event to the IAM-only save<X>Event
 *      mutation, whose result reaches on<X>Saved;
 *    - 'direct': commands append their event themselves (the store's own steps
 *      at the end of the command pipeline) and answer SAVED or REJECTED; a rule
 *      sends each stored event the outbox pipe publishes (<X>EventStored) to
 *      the IAM-only publish<X>Saved mutation (NONE), whose result reaches
 *      on<X>Saved: stored events only, at least once, without the state;
 *      unless `storedEventSubscribers` is 'none': no such rule, on<X>Saved is
 *      silent, and on<X>CommandAnswered (bound to the command mutations
 *      themselves) carries each SAVED/REJECTED answer: one AppSync request
 *      fewer per command.
 *    Either rule calls its mutation as a role that may call that field only,
 *    with retries and a dead-letter queue.
 *
 * The aggregate's own stack file (e.g. ReservationAggregate.ts) then wires
 * its commands with `command()` and its read steps with `step()`.
 */
import { Duration } from 'aws-cdk-lib';
import * as appsync from 'aws-cdk-lib/aws-appsync';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { aggregateNames, STORED_EVENT_SOURCE, type AggregateNames } from '../functions/eventStore/naming';
import {
  AGGREGATE_FIELDS,
  COMMAND_PIPELINES,
  COMMAND_READS,
  MAX_PIPELINE_FUNCTIONS,
  PIPELINES,
  STEPS,
  type Delivery,
  type StepName,
} from '../functions/eventStore/pipelines';
import { fieldResolver, pipelineStep } from './appsyncCode';
import type { EventStore } from './EventStore';
import { buildAppSyncSchema, operationSelection, type AttachedResolver } from './schema';

export interface AggregateProps {
  api: appsync.GraphqlApi;
  eventStore: EventStore;
  /**
   * How commands reach the store: 'bus' (answer PENDING, outcome on on<X>Saved; the default) or
   * 'direct' (the command appends and answers SAVED/REJECTED). An aggregate's stack file sets its
   * own (`super(scope, id, { delivery: 'direct', ...props, … })`); the stack may override it.
   */
  delivery?: Delivery;
  /**
   * Direct delivery only: who tells on<X>Saved subscribers of a stored event. 'publish' (the default): the outbox's
   * <X>EventStored reaches the IAM-only publish<X>Saved mutation through a rule. 'none': no rule (no AppSync request, no
   * dead-letter queue), on<X>Saved stays silent for this aggregate, and subscribers listen on on<X>CommandAnswered,
   * which AppSync fills from the command mutation's own answer. Why a choice and not the new default: on<X>Saved
   * subscribers of a direct aggregate (other clients, the console) would hear nothing without a schema change on
   * their side. With 'bus' only 'publish' means anything: save<X>Event is how the event is stored.
   */
  storedEventSubscribers?: StoredEventSubscribers;
}

/** Who tells on<X>Saved subscribers of a direct aggregate's stored events: publish<X>Saved (from the outbox), or no one. */
export type StoredEventSubscribers = 'publish' | 'none';

export interface AggregateDefinitionProps extends AggregateProps {
  /** The folder under functions/ that holds `aggregate.ts` and the aggregate's own steps. */
  folder: string;
  /** The aggregate's stream: its type names every generated field (functions/eventStore/naming.ts). */
  stream: { streamType: string };
}

export class Aggregate extends Construct {
  /** Every resolver this aggregate attached. */
  readonly resolvers: AttachedResolver[] = [];
  readonly names: AggregateNames;
  readonly delivery: Delivery;
  readonly storedEventSubscribers: StoredEventSubscribers;
  /** The rule that calls save<X>Event ('bus') or publish<X>Saved ('direct'); none with storedEventSubscribers 'none'. */
  readonly storeRule: events.Rule | undefined;
  readonly deadLetterQueue: sqs.Queue | undefined;
  private readonly api: appsync.GraphqlApi;
  private readonly eventStore: EventStore;
  private readonly folder: string;
  private readonly boundSteps = new Map<StepName, appsync.AppsyncFunction>();

  constructor(scope: Construct, id: string, props: AggregateDefinitionProps) {
    super(scope, id);
    this.api = props.api;
    this.eventStore = props.eventStore;
    this.folder = props.folder;
    this.names = aggregateNames(props.stream.streamType);
    this.delivery = props.delivery ?? 'bus';
    this.storedEventSubscribers = props.storedEventSubscribers ?? 'publish';
    if (this.delivery === 'bus' && this.storedEventSubscribers === 'none') {
      throw new Error(
        `${this.names.viewType}: storedEventSubscribers 'none' applies to 'direct' delivery only (with 'bus', save${this.names.viewType}Event is how events are stored and what on${this.names.viewType}Saved hears). Deliver it 'direct', or drop the option.`,
      );
    }

    // 1. The generic fields, each on its declared pipeline.
    for (const [nameKey, field] of Object.entries(AGGREGATE_FIELDS)) {
      const fieldName = this.names[nameKey as keyof typeof AGGREGATE_FIELDS];
      const typeName = nameKey.endsWith('Mutation') ? 'Mutation' : nameKey === 'savedSubscription' ? 'Subscription' : 'Query';
      const pipeline =
        field.pipeline === null ? props.eventStore.noneSource : PIPELINES[field.pipeline].map((name) => this.genericStep(name as StepName));
      this.attach(`${typeName}.${fieldName}`, pipeline, `functions/eventStore/fields/${field.file}.ts`);
    }

    // 3. The rule of this delivery, calling its one mutation as a role allowed that field only. None when no one tells
    // on<X>Saved subscribers: publish<X>Saved keeps its resolver (the schema is one for every deployment, as for a bus
    // aggregate), and no role may call it.
    if (this.storedEventSubscribers === 'none') {
      this.storeRule = undefined;
      this.deadLetterQueue = undefined;
      return;
    }
    const { mutation, description, eventPattern, variables } =
      this.delivery === 'bus'
        ? {
            mutation: this.names.saveMutation,
            description: `Stores each decided ${this.names.viewField} event through the IAM-only ${this.names.saveMutation} mutation`,
            eventPattern: { source: [this.names.eventSource] },
            variables: { input: events.EventField.fromPath('$.detail') },
          }
        : {
            mutation: this.names.publishSavedMutation,
            description: `Sends each stored ${this.names.viewField} event to ${this.names.savedSubscription} through the IAM-only ${this.names.publishSavedMutation} mutation`,
            eventPattern: { source: [STORED_EVENT_SOURCE], detailType: [this.names.storedDetailType] },
            variables: {
              input: {
                streamId: events.EventField.fromPath('$.detail.streamId'),
                version: events.EventField.fromPath('$.detail.version'),
                commandId: events.EventField.fromPath('$.detail.command'),
              },
            },
          };
    const storeRole = new iam.Role(this, 'StoreRole', {
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com'),
      description: `EventBridge calls Mutation.${mutation} as this role`,
    });
    props.api.grantMutation(storeRole, mutation);
    this.deadLetterQueue = new sqs.Queue(this, 'StoreDeadLetters', {
      retentionPeriod: Duration.days(14),
      enforceSSL: true,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
    });
    this.storeRule = new events.Rule(this, 'StoreRule', {
      eventBus: props.eventStore.bus,
      description,
      eventPattern,
      targets: [
        new targets.AppSync(props.api, {
          // The selection is what on<X>Saved subscribers receive: every field of <X>Saved, the view's too.
          graphQLOperation: operationSelection(buildAppSyncSchema(), 'mutation', mutation, this.mutationInputType(mutation)),
          variables: events.RuleTargetInput.fromObject(variables),
          eventRole: storeRole,
          retryAttempts: 8,
          maxEventAge: Duration.minutes(5),
          deadLetterQueue: this.deadLetterQueue,
        }),
      ],
    });
  }

  /**
   * A command of this aggregate: `resolvers/<Type.field>.ts` validates and stashes it, then the
   * command pipeline runs, with `reads` (this aggregate's read steps) after the stream is loaded,
   * and `after` (this aggregate's own steps) once the command is published and answered
   * ('bus'), or appended and answered ('direct').
   */
  protected command(field: string, reads: appsync.AppsyncFunction[] = [], after: appsync.AppsyncFunction[] = []): void {
    const declared = PIPELINES[COMMAND_PIPELINES[this.delivery]];
    const pipeline = declared.flatMap((name) => (name === COMMAND_READS ? reads : [this.genericStep(name as StepName)]));
    if (pipeline.length + after.length > MAX_PIPELINE_FUNCTIONS) {
      throw new Error(
        `${field} would run ${pipeline.length + after.length} functions with '${this.delivery}' delivery; AppSync runs at most ${MAX_PIPELINE_FUNCTIONS} per pipeline. Merge its read steps into one, or deliver ${this.names.viewType} by 'bus'.`,
      );
    }
    this.attach(field, [...pipeline, ...after]);
  }

  /** The input type of the mutation a rule calls: the envelope for save<X>Event, the stored event's key for publish<X>Saved. */
  private mutationInputType(mutation: string): string {
    return mutation === this.names.saveMutation ? `${this.names.eventInput}!` : 'StoredEventOutcomeInput!';
  }

  /** Another field of this aggregate's: `resolvers/<Type.field>.ts` on one of the declared pipelines (bundled with this aggregate's steps), or a unit resolver on NONE. */
  protected field(field: string, pipeline: keyof typeof PIPELINES | null, after: appsync.AppsyncFunction[] = []): void {
    this.attach(
      field,
      pipeline === null ? this.eventStore.noneSource : [...PIPELINES[pipeline].map((name) => this.genericStep(name as StepName)), ...after],
    );
  }

  /** A step of this aggregate's own: `functions/<folder>/<name>.ts` on `dataSource`. */
  protected step(name: string, dataSource: appsync.BaseDataSource): appsync.AppsyncFunction {
    return pipelineStep(this, name, { api: this.api, file: `functions/${this.folder}/${name}.ts`, dataSource });
  }

  /** A generic step: the shared one, or this aggregate's own copy of a step bundled with its decider. */
  private genericStep(name: StepName): appsync.AppsyncFunction {
    const shared = this.eventStore.sharedSteps.get(name);
    if (shared) return shared;
    const existing = this.boundSteps.get(name);
    if (existing) return existing;
    const step = pipelineStep(this, name, {
      api: this.api,
      file: `functions/eventStore/${name}.ts`,
      name: `${name}${this.names.viewType}`,
      dataSource: this.eventStore.dataSource(STEPS[name].dataSource),
      aggregate: this.aggregateModule,
    });
    this.boundSteps.set(name, step);
    return step;
  }

  private get aggregateModule(): string {
    return `functions/${this.folder}/aggregate.ts`;
  }

  private attach(field: string, pipeline: appsync.AppsyncFunction[] | appsync.BaseDataSource, file?: string): void {
    fieldResolver(this, { api: this.api, field, pipeline, ...(file ? { file, aggregate: this.aggregateModule } : {}) });
    this.resolvers.push({ field, generic: file !== undefined });
  }
}
