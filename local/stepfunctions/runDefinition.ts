/**
 * One definition run by itself, answered like `aws stepfunctions start-sync-execution`: what the
 * `start-execution` CLI prints. Without a stack, only integrations that need nothing local run
 * (`http:invoke`); other tasks fail naming their resource.
 *
 * @example
 * const response = await runDefinition({ definition: '{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}', input: '{"x":1}' });
 * // { status: 'SUCCEEDED', output: '{"x":1}', … }
 */
import { StepFunctionsApiError } from './apiErrors.ts';
import type { Clock } from './clock.ts';
import { httpInvokeIntegration } from './integrations/http.ts';
import { LocalStepFunctions, type TaskIntegrations } from './LocalStepFunctions.ts';

export interface SyncExecutionResponse {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  startDate: number;
  stopDate: number;
  status: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
  output?: string;
  error?: string;
  cause?: string;
  input: string;
  [field: string]: unknown;
}

export interface RunDefinitionOptions {
  definition: string;
  input?: string;
  name?: string;
  stateMachineName?: string;
  clock?: Clock;
  integrations?: TaskIntegrations;
}

/** Throws `StepFunctionsApiError` (InvalidDefinition, InvalidExecutionInput, InvalidName) as the API would refuse the call. */
export async function runDefinition(options: RunDefinitionOptions): Promise<SyncExecutionResponse> {
  const sfn = new LocalStepFunctions({
    ...(options.clock ? { clock: options.clock } : {}),
    integrations: { 'http:invoke': httpInvokeIntegration(), ...(options.integrations ?? {}) },
  });
  const { stateMachineArn } = sfn.createStateMachine({
    name: options.stateMachineName ?? 'start-execution',
    definition: options.definition,
    type: 'EXPRESS',
  });
  const response = (await sfn.startSyncExecution({
    stateMachineArn,
    input: options.input ?? '{}',
    ...(options.name ? { name: options.name } : {}),
  })) as SyncExecutionResponse;
  await sfn.close();
  return response;
}

export { StepFunctionsApiError };
