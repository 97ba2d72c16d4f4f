/**
 * EventBridge Pipes, locally: DynamoDB stream sources, filters, input templates, event bus, Step Functions and Lambda targets,
 * batches, retries and failed batches (the dead-letter queue's stand-in). See README.md.
 *
 * @example
 * import { LocalPipes, pipesFromTemplate } from './local/pipes/index.ts';
 * const pipes = new LocalPipes({ dynamoDbEndpoint, bus, region });
 * await pipes.start(pipesFromTemplate(resources, naming), roles);
 */
export { LocalPipes, formatPipeBatchLog, type LocalPipesOptions, type PipeState } from './LocalPipes.ts';
export {
  pipesFromTemplate,
  type PipeDefinition,
  type PipeTarget,
  type DynamoDbStreamSource,
  type EventBusTargetParameters,
  type PipeInvocationType,
} from './pipeDefinition.ts';
export { renderInputTemplate, checkInputTemplate, targetParameter, type PipeTemplateContext } from './inputTemplate.ts';
export { pipeEventOf, type DynamoDbStreamEvent } from './streamEvent.ts';
export { deliverToEventBus, type TargetOutcome } from './eventBusTarget.ts';
export { deliverToInvocationTarget, type InvocationServices } from './invocationTargets.ts';
export { StreamPipe, type FailedPipeBatch, type PipeBatchLog, type PipeTiming } from './streamPipe.ts';
