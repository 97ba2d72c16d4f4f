/**
 * `AWS::Pipes::Pipe` resources of a synthesized template (intrinsics already resolved), checked as
 * CreatePipe checks them: a DynamoDB stream source (`SourceParameters.DynamoDBStreamParameters`), its
 * `FilterCriteria`, the target's `InputTemplate` and `EventBridgeEventBusParameters`. Ranges and defaults
 * are the Pipes API reference's (PipeSourceDynamoDBStreamParameters); batch sizes above what the target
 * takes are refused (eb-pipes-batching-concurrency.html: an event bus takes 10). What the local runtime
 * cannot run is kept with its reason, so it is refused where it would act, never skipped in silence.
 *
 * @example
 * const pipes = pipesFromTemplate(stack.resources, { nameOf, arnOf });
 */
import { compileEventPattern, type CompiledEventPattern } from '../eventbridge/index.ts';
import { checkInputTemplate } from './inputTemplate.ts';

export interface DynamoDbStreamSource {
  /** The stream ARN as the template resolves it (`…:table/<name>/stream/<label>`). */
  streamArn: string;
  tableName: string;
  startingPosition: 'TRIM_HORIZON' | 'LATEST';
  batchSize: number;
  maximumBatchingWindowInSeconds: number;
  /** -1: retry until the record is too old (AWS's default). */
  maximumRetryAttempts: number;
  /** -1: no age limit (AWS's default). */
  maximumRecordAgeInSeconds: number;
  bisectOnFailure: boolean;
  deadLetterArn: string | undefined;
}

export type PipeTarget =
  | { kind: 'eventBus'; arn: string; busName: string; parameters: EventBusTargetParameters }
  /**
   * Targets without a batch API, which take the whole batch as one JSON array (eb-pipes-batching-concurrency.html):
   * `REQUEST_RESPONSE` (the default) waits for the outcome, `FIRE_AND_FORGET` only hands the batch over.
   */
  | { kind: 'stateMachine'; arn: string; invocationType: PipeInvocationType }
  | { kind: 'lambda'; arn: string; invocationType: PipeInvocationType }
  /** A target the local runtime does not deliver to: every batch for it is refused with `why`. */
  | { kind: 'unsupported'; arn: string; why: string };

/** PipeTargetStateMachineParameters / PipeTargetLambdaFunctionParameters `InvocationType` (Pipes API reference). */
export type PipeInvocationType = 'REQUEST_RESPONSE' | 'FIRE_AND_FORGET';

export interface EventBusTargetParameters {
  DetailType?: string;
  Source?: string;
  Resources?: string[];
  Time?: string;
}

export interface PipeDefinition {
  logicalId: string;
  name: string;
  arn: string;
  roleArn: string | undefined;
  desiredState: 'RUNNING' | 'STOPPED';
  /** Undefined when the source is not a DynamoDB stream: `unsupportedSource` says what it is. */
  source: DynamoDbStreamSource | undefined;
  unsupportedSource: string | undefined;
  filters: CompiledEventPattern[];
  target: PipeTarget;
  inputTemplate: string | undefined;
  /** An enrichment step (Lambda, Step Functions, API Gateway, API destination), which runs nowhere locally. */
  enrichmentArn: string | undefined;
}

/** The largest batch each target kind takes (eb-pipes-batching-concurrency.html, "Supported batchable targets"). */
const MAX_TARGET_BATCH = { eventBus: 10 } as const;
const MAX_FILTERS = 5;
const MAX_INPUT_TEMPLATE = 8192;

type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;

export function pipesFromTemplate(
  resources: Resources,
  naming: { nameOf: (logicalId: string) => string; arnOf: (logicalId: string) => string },
): PipeDefinition[] {
  return Object.entries(resources)
    .filter(([, resource]) => resource.Type === 'AWS::Pipes::Pipe')
    .map(([logicalId, resource]) => readPipe(logicalId, resource.Properties, naming.nameOf(logicalId), naming.arnOf(logicalId)));
}

function readPipe(logicalId: string, props: Record<string, unknown>, name: string, arn: string): PipeDefinition {
  const where = `Pipe ${logicalId}`;
  const sourceArn = String(props.Source ?? '');
  const sourceParameters = (props.SourceParameters ?? {}) as {
    DynamoDBStreamParameters?: Record<string, unknown>;
    FilterCriteria?: { Filters?: { Pattern?: unknown }[] };
  };
  const streamTable = /^arn:aws[\w-]*:dynamodb:[^:]*:[^:]*:table\/([^/]+)\/stream\/.+$/.exec(sourceArn)?.[1];
  const target = targetOf(String(props.Target ?? ''), (props.TargetParameters ?? {}) as Record<string, unknown>, where);
  const source = streamTable
    ? dynamoDbSource(sourceArn, streamTable, sourceParameters.DynamoDBStreamParameters ?? {}, target, where)
    : undefined;
  const inputTemplate = (props.TargetParameters as { InputTemplate?: unknown } | undefined)?.InputTemplate;
  if (inputTemplate !== undefined) {
    if (typeof inputTemplate !== 'string' || inputTemplate.length > MAX_INPUT_TEMPLATE)
      throw new Error(`${where}: InputTemplate must be text of at most ${MAX_INPUT_TEMPLATE} characters.`);
    checkInputTemplate(inputTemplate, where);
  }
  return {
    logicalId,
    name,
    arn,
    roleArn: props.RoleArn === undefined ? undefined : String(props.RoleArn),
    desiredState: props.DesiredState === 'STOPPED' ? 'STOPPED' : 'RUNNING',
    source,
    unsupportedSource: source
      ? undefined
      : `its source ${sourceArn} is not a DynamoDB stream; the local runtime's pipes read DynamoDB streams only`,
    filters: filtersOf(sourceParameters.FilterCriteria, where),
    target,
    inputTemplate,
    enrichmentArn: props.Enrichment === undefined ? undefined : String(props.Enrichment),
  };
}

function dynamoDbSource(
  streamArn: string,
  tableName: string,
  params: Record<string, unknown>,
  target: PipeTarget,
  where: string,
): DynamoDbStreamSource {
  const integer = (key: string, fallback: number, valid: (value: number) => boolean, range: string): number => {
    const value = params[key] === undefined ? fallback : Number(params[key]);
    if (!Number.isInteger(value) || !valid(value))
      throw new Error(`${where}: DynamoDBStreamParameters.${key} must be ${range}, not ${String(params[key])}.`);
    return value;
  };
  const startingPosition = params.StartingPosition;
  if (startingPosition !== 'TRIM_HORIZON' && startingPosition !== 'LATEST') {
    throw new Error(`${where}: DynamoDBStreamParameters.StartingPosition must be TRIM_HORIZON or LATEST, not ${String(startingPosition)}.`);
  }
  const batchSize = integer('BatchSize', 100, (value) => value >= 1 && value <= 10_000, 'from 1 to 10000');
  if (target.kind === 'eventBus' && params.BatchSize !== undefined && batchSize > MAX_TARGET_BATCH.eventBus) {
    throw new Error(
      `${where}: BatchSize ${batchSize} is larger than an event bus target takes (${MAX_TARGET_BATCH.eventBus}); a pipe's batch size cannot exceed its target's.`,
    );
  }
  integer('ParallelizationFactor', 1, (value) => value >= 1 && value <= 10, 'from 1 to 10');
  if (params.OnPartialBatchItemFailure !== undefined && params.OnPartialBatchItemFailure !== 'AUTOMATIC_BISECT') {
    throw new Error(
      `${where}: DynamoDBStreamParameters.OnPartialBatchItemFailure must be AUTOMATIC_BISECT, not ${String(params.OnPartialBatchItemFailure)}.`,
    );
  }
  return {
    streamArn,
    tableName,
    startingPosition,
    batchSize,
    maximumBatchingWindowInSeconds: integer('MaximumBatchingWindowInSeconds', 0, (value) => value >= 0 && value <= 300, 'from 0 to 300'),
    maximumRetryAttempts: integer('MaximumRetryAttempts', -1, (value) => value >= -1 && value <= 10_000, 'from -1 (no limit) to 10000'),
    maximumRecordAgeInSeconds: integer(
      'MaximumRecordAgeInSeconds',
      -1,
      (value) => value === -1 || (value >= 60 && value <= 604_800),
      '-1 (no limit) or from 60 to 604800',
    ),
    bisectOnFailure: params.OnPartialBatchItemFailure === 'AUTOMATIC_BISECT',
    deadLetterArn:
      (params.DeadLetterConfig as { Arn?: unknown } | undefined)?.Arn === undefined
        ? undefined
        : String((params.DeadLetterConfig as { Arn: unknown }).Arn),
  };
}

function filtersOf(criteria: { Filters?: { Pattern?: unknown }[] } | undefined, where: string): CompiledEventPattern[] {
  const filters = criteria?.Filters ?? [];
  if (filters.length > MAX_FILTERS)
    throw new Error(`${where}: FilterCriteria holds ${filters.length} filters; a pipe takes at most ${MAX_FILTERS}.`);
  return filters.map((filter, index) => {
    try {
      return compileEventPattern(String(filter.Pattern));
    } catch (error) {
      throw new Error(`${where}: FilterCriteria.Filters[${index}].Pattern is not a valid event pattern: ${(error as Error).message}`);
    }
  });
}

function targetOf(arn: string, parameters: Record<string, unknown>, where: string): PipeTarget {
  const bus = /^arn:aws[\w-]*:events:[^:]*:[^:]*:event-bus\/(.+)$/.exec(arn);
  if (bus) {
    const busParameters = (parameters.EventBridgeEventBusParameters ?? {}) as Record<string, unknown>;
    const text = (key: string) => (busParameters[key] === undefined ? undefined : String(busParameters[key]));
    if (busParameters.EndpointId !== undefined)
      throw new Error(
        `${where}: EventBridgeEventBusParameters.EndpointId names a global endpoint, which the local runtime does not serve.`,
      );
    return {
      kind: 'eventBus',
      arn,
      busName: bus[1]!,
      parameters: {
        DetailType: text('DetailType'),
        Source: text('Source'),
        Time: text('Time'),
        Resources: (busParameters.Resources as unknown[] | undefined)?.map(String),
      },
    };
  }
  if (/^arn:aws[\w-]*:states:[^:]*:[^:]*:stateMachine:.+$/.test(arn)) {
    return { kind: 'stateMachine', arn, invocationType: invocationTypeOf(parameters.StepFunctionStateMachineParameters, where) };
  }
  if (/^arn:aws[\w-]*:lambda:[^:]*:[^:]*:function:.+$/.test(arn)) {
    return { kind: 'lambda', arn, invocationType: invocationTypeOf(parameters.LambdaFunctionParameters, where) };
  }
  const service = /^arn:aws[\w-]*:([^:]+):/.exec(arn)?.[1] ?? 'unknown';
  return {
    kind: 'unsupported',
    arn,
    why: `targets of service "${service}" do not run locally; the local runtime's pipes deliver to event buses, Lambda functions and Step Functions state machines`,
  };
}

function invocationTypeOf(parameters: unknown, where: string): PipeInvocationType {
  const given = (parameters as { InvocationType?: unknown } | undefined)?.InvocationType;
  if (given === undefined) return 'REQUEST_RESPONSE';
  if (given === 'REQUEST_RESPONSE' || given === 'FIRE_AND_FORGET') return given;
  throw new Error(`${where}: InvocationType must be REQUEST_RESPONSE or FIRE_AND_FORGET, not ${JSON.stringify(given)}.`);
}
