/**
 * `arn:aws:states:::lambda:invoke` and Lambda function ARNs as Task resources: a port. The local runtime
 * has no Lambda functions yet (issue 12, item 4 brings them); until a function runner is plugged in,
 * a Lambda task fails, naming the function, instead of being skipped.
 */
import { StatesError } from '../errors.ts';
import type { TaskIntegration } from './types.ts';

/** What a Lambda runner answers for one invocation: the function's result, or its error as Lambda reports it. */
export type LambdaInvoker = (request: {
  functionName: string;
  payload: unknown;
  invocationType: 'RequestResponse' | 'Event';
}) => Promise<{ payload: unknown; functionError?: { errorType: string; errorMessage: string } }>;

/**
 * The Lambda task integration: with an invoker, `lambda:invoke` answers `{ Payload, StatusCode, ExecutedVersion }`
 * and a function error fails the task with the function's error type; without one, the task fails with a clear message.
 */
export function lambdaIntegration(invoker?: LambdaInvoker): TaskIntegration {
  return async (call) => {
    const legacy = call.resource.resourceType === 'lambda' && call.resource.arn.startsWith('arn:aws:lambda:');
    const parameters = (call.parameters ?? {}) as {
      FunctionName?: string;
      Payload?: unknown;
      InvocationType?: 'RequestResponse' | 'Event';
    };
    const functionName = legacy ? call.resource.arn : String(parameters.FunctionName ?? '');
    if (!invoker) {
      throw new StatesError(
        'States.Runtime',
        `Task ${call.stateName} invokes the Lambda function ${functionName}; the local runtime does not run Lambda functions yet (issue 12, item 4). Use a service integration, or run this machine on AWS.`,
      );
    }
    const answer = await invoker({
      functionName,
      payload: legacy ? call.parameters : parameters.Payload,
      invocationType: parameters.InvocationType ?? 'RequestResponse',
    });
    if (answer.functionError) throw new StatesError(answer.functionError.errorType, JSON.stringify(answer.functionError));
    return legacy ? answer.payload : { Payload: answer.payload, StatusCode: 200, ExecutedVersion: '$LATEST' };
  };
}
