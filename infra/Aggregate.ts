/**
 * One aggregate on AWS, whatever it is: given its stream type and its
 * folder (`functions/<folder>/aggregate.ts` holds its decider), it attaches
 *
 * 1. the generic resolvers every aggregate gets (save<X>Event, get<X>,
 *    get<X>History, on<X>Saved), bundled with its decider;
 * 2. its decideCommand step, bundled with its decider, used by `command()`;
 * 3. the EventBridge rule that sends each decided event to the IAM-only
 *    save<X>Event mutation as a role that may call that field only, with
 *    retries and a dead-letter queue.
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
import { aggregateNames, type AggregateNames } from '../functions/eventStore/naming';
import { AGGREGATE_FIELDS, COMMAND_READS, PIPELINES, STEPS, type StepName } from '../functions/eventStore/pipelines';
import { fieldResolver, pipelineStep } from './appsyncCode';
import type { EventStore } from './EventStore';
import { buildAppSyncSchema, operationSelection, type AttachedResolver } from './schema';

export interface AggregateProps {
  api: appsync.GraphqlApi;
  eventStore: EventStore;
}

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
  readonly storeRule: events.Rule;
  readonly deadLetterQueue: sqs.Queue;
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

    // 1. The generic fields, each on its declared pipeline.
    for (const [nameKey, field] of Object.entries(AGGREGATE_FIELDS)) {
      const fieldName = this.names[nameKey as keyof typeof AGGREGATE_FIELDS];
      const typeName = nameKey === 'saveMutation' ? 'Mutation' : nameKey === 'savedSubscription' ? 'Subscription' : 'Query';
      const pipeline =
        field.pipeline === null ? props.eventStore.noneSource : PIPELINES[field.pipeline].map((name) => this.genericStep(name as StepName));
      this.attach(`${typeName}.${fieldName}`, pipeline, `functions/eventStore/fields/${field.file}.ts`);
    }

    // 3. Bus → store mutation, as a role allowed to call save<X>Event and nothing else.
    const storeRole = new iam.Role(this, 'StoreRole', {
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com'),
      description: `EventBridge calls Mutation.${this.names.saveMutation} as this role`,
    });
    props.api.grantMutation(storeRole, this.names.saveMutation);
    this.deadLetterQueue = new sqs.Queue(this, 'StoreDeadLetters', {
      retentionPeriod: Duration.days(14),
      enforceSSL: true,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
    });
    this.storeRule = new events.Rule(this, 'StoreRule', {
      eventBus: props.eventStore.bus,
      description: `Stores each decided ${this.names.viewField} event through the IAM-only ${this.names.saveMutation} mutation`,
      eventPattern: { source: [this.names.eventSource] },
      targets: [
        new targets.AppSync(props.api, {
          // The selection is what on<X>Saved subscribers receive: every field of <X>Saved, the view's too.
          graphQLOperation: operationSelection(buildAppSyncSchema(), 'mutation', this.names.saveMutation, `${this.names.eventInput}!`),
          variables: events.RuleTargetInput.fromObject({ input: events.EventField.fromPath('$.detail') }),
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
   * and `after` (this aggregate's own steps) once the command is published and answered.
   */
  protected command(field: string, reads: appsync.AppsyncFunction[] = [], after: appsync.AppsyncFunction[] = []): void {
    const pipeline = PIPELINES.command.flatMap((name) => (name === COMMAND_READS ? reads : [this.genericStep(name as StepName)]));
    this.attach(field, [...pipeline, ...after]);
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
