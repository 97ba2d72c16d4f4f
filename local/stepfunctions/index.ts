/**
 * Step Functions in the local runtime: an Amazon States Language interpreter (JSONPath and JSONata),
 * the service's API (executions, history, task tokens), its JSON 1.0 endpoint, the task integrations
 * the local stack can serve, and state machines read from a synthesized template.
 *
 * @example
 * import { LocalStepFunctions, putEventsIntegration } from './local/stepfunctions/index.ts';
 * const sfn = new LocalStepFunctions({ integrations: { 'events:putEvents': putEventsIntegration(bus) } });
 * const { stateMachineArn } = sfn.createStateMachine({ name: 'saga', definition });
 * sfn.startExecution({ stateMachineArn, input: '{}' });
 */
export {
  LocalStepFunctions,
  type Execution,
  type LocalStepFunctionsOptions,
  type StateMachine,
  type StateMachineType,
  type TaskIntegrations,
} from './LocalStepFunctions.ts';
export { StepFunctionsApiError } from './apiErrors.ts';
export { handleStepFunctionsRequest, handleAppSyncStepFunctionsCall, type AppSyncHttpCall, type JsonProtocolResponse } from './api.ts';
export { StepFunctionsServer, type StepFunctionsServerOptions } from './server.ts';
export { realClock, ManualClock, type Clock } from './clock.ts';
export { parseDefinition, type StateMachineDefinition, type QueryLanguage } from './definition.ts';
export { StatesError, InvalidDefinitionError, STATES_ERRORS } from './errors.ts';
export type { HistoryEvent } from './history.ts';
export type { ExecutionOutcome, ExecutionStatus } from './interpreter.ts';
export { stateMachinesFromTemplate, type StateMachineModel } from './template.ts';
export { putEventsIntegration } from './integrations/eventBridge.ts';
export { DynamoDbTasks } from './integrations/dynamoDb.ts';
export { httpInvokeIntegration } from './integrations/http.ts';
export { lambdaIntegration, type LambdaInvoker } from './integrations/lambda.ts';
export { parseTaskResource, type TaskCall, type TaskIntegration, type TaskResource } from './integrations/types.ts';
export { runDefinition, type SyncExecutionResponse } from './runDefinition.ts';
