/**
 * A pipe's Step Functions state machine and Lambda function targets. Neither has a batch API, so the
 * batch goes as one JSON array, a batch of one included, each record shaped by the InputTemplate on its
 * own ([batching] eb-pipes-batching-concurrency.html, "Batching behavior"; [targets]
 * pipes-targets-specifics.html, "Lambda functions and Step Functions workflows").
 *
 * `REQUEST_RESPONSE`, the default, waits for the outcome: StartSyncExecution (Express machines only: "not
 * supported for STANDARD state machine workflows", API_PipeTargetStateMachineParameters) or a synchronous
 * Invoke. An execution that does not succeed, or a function error, fails the whole batch, which the pipe
 * retries as its source's retry policy says. `FIRE_AND_FORGET` succeeds once the batch is handed over:
 * StartExecution, or an `Event` invocation whose retries are Lambda's own queue's. The pipe acts as its
 * role: `states:StartSyncExecution` or `states:StartExecution`, `lambda:InvokeFunction` on the target.
 *
 * Not read: a `batchItemFailures` answer of these targets (their partial batch failures): the whole
 * batch succeeds or fails.
 */
import { isAllowedByRole } from '../iamPolicy.ts';
import type { PipeTargetCallOptions, TargetOutcome } from './eventBusTarget.ts';
import { renderInputTemplate } from './inputTemplate.ts';
import type { PipeTarget } from './pipeDefinition.ts';

/** What the pipes call: the local Step Functions and Lambda services, as far as a target needs them. */
export interface InvocationServices {
  stepFunctions?: {
    describeStateMachine(request: { stateMachineArn: string }): Record<string, unknown>;
    startExecution(request: { stateMachineArn: string; input: string }): unknown;
    startSyncExecution(request: { stateMachineArn: string; input: string }): Promise<Record<string, unknown>>;
  };
  lambda?: () => {
    invoke(invocation: {
      functionName: string;
      payload: unknown;
      invocationType: 'RequestResponse' | 'Event';
    }): Promise<{ payload: unknown; functionError?: unknown }>;
  };
}

type InvocationTarget = Extract<PipeTarget, { kind: 'stateMachine' | 'lambda' }>;

export async function deliverToInvocationTarget(
  services: InvocationServices,
  target: InvocationTarget,
  events: unknown[],
  options: PipeTargetCallOptions,
): Promise<TargetOutcome> {
  const failAll = (code: string, message: string): TargetOutcome => ({
    failed: events.map((_event, index) => index),
    error: { code, message },
  });
  const sync = target.invocationType === 'REQUEST_RESPONSE';
  const action = target.kind === 'lambda' ? 'lambda:InvokeFunction' : sync ? 'states:StartSyncExecution' : 'states:StartExecution';
  if (!isAllowedByRole(options.role, action, target.arn)) {
    return failAll('AccessDeniedException', `role ${options.roleArn ?? '(none)'} may not call ${action} on ${target.arn}`);
  }
  const ingestionTime = new Date().toISOString();
  const batch = events.map((event) =>
    options.inputTemplate === undefined
      ? event
      : jsonOrText(renderInputTemplate(options.inputTemplate, event, { ...options.template, ingestionTime })),
  );
  try {
    if (target.kind === 'stateMachine') {
      const stepFunctions = services.stepFunctions;
      if (!stepFunctions) return failAll('NotRunLocally', 'no local Step Functions service was given to the pipes');
      const request = { stateMachineArn: target.arn, input: JSON.stringify(batch) };
      if (!sync) {
        stepFunctions.startExecution(request);
        return { failed: [] };
      }
      const outcome = await stepFunctions.startSyncExecution(request);
      if (outcome.status === 'SUCCEEDED') return { failed: [] };
      return failAll(
        String(outcome.error ?? `States.${String(outcome.status)}`),
        String(outcome.cause ?? `execution ${String(outcome.executionArn)} ended ${String(outcome.status)}`),
      );
    }
    const lambda = services.lambda?.();
    if (!lambda) return failAll('NotRunLocally', 'no local Lambda service was given to the pipes');
    const answer = await lambda.invoke({ functionName: target.arn, payload: batch, invocationType: sync ? 'RequestResponse' : 'Event' });
    if (answer.functionError === undefined) return { failed: [] };
    return failAll('Lambda.FunctionError', JSON.stringify(answer.payload));
  } catch (thrown) {
    const code = (thrown as { code?: unknown }).code;
    return failAll(typeof code === 'string' ? code : 'InternalException', (thrown as Error).message);
  }
}

/** What an InputTemplate made of a record: the JSON it wrote, or its text when it is no JSON. */
function jsonOrText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * Why the pipe cannot start with this target, or undefined: a REQUEST_RESPONSE pipe to a Standard machine,
 * which AWS refuses ("REQUEST_RESPONSE is not supported for STANDARD state machine workflows").
 */
export function invocationTargetRefusal(services: InvocationServices, target: InvocationTarget): string | undefined {
  if (target.kind !== 'stateMachine' || target.invocationType !== 'REQUEST_RESPONSE' || !services.stepFunctions) return undefined;
  let type: unknown;
  try {
    type = services.stepFunctions.describeStateMachine({ stateMachineArn: target.arn }).type;
  } catch {
    return undefined; // a machine that does not exist fails each batch, with Step Functions' own error
  }
  return type === 'STANDARD'
    ? `its target ${target.arn} is a STANDARD state machine, which takes no REQUEST_RESPONSE invocation (StartSyncExecution): set StepFunctionStateMachineParameters.InvocationType to FIRE_AND_FORGET, or make the machine EXPRESS`
    : undefined;
}
