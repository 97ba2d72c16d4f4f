/**
 * `arn:aws:states:::lambda:invoke` and Lambda function ARNs as Task resources
 * (https://docs.aws.amazon.com/step-functions/latest/dg/connect-lambda.html): a port the local stack plugs
 * its functions into (local/lambda). `lambda:invoke` answers `{ Payload, StatusCode, ExecutedVersion }`; a bare
 * function ARN answers the function's result itself. A function error fails the task with the function's
 * `errorType` as the error name and its error payload as the cause; a failure of the Invoke call itself
 * (an unknown function) is `Lambda.<exception>`, e.g. `Lambda.ResourceNotFoundException`. Without a
 * function runner (a LocalStepFunctions used alone), a Lambda task fails naming the function.
 */
import { StatesError } from '../errors.ts';
import type { TaskIntegration } from './types.ts';

/**
 * What a Lambda runner answers for one invocation: the function's result, or its error as Lambda reports it.
 * It throws, with the Lambda API's exception name in `code`, when the call itself fails.
 */
export type LambdaInvoker = (request: {
  functionName: string;
  payload: unknown;
  invocationType: 'RequestResponse' | 'Event';
}) => Promise<{ payload: unknown; functionError?: { errorType: string; errorMessage: string }; requestId?: string }>;

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
        `Task ${call.stateName} invokes the Lambda function ${functionName}, and no Lambda functions run here: start the machine in a LocalStack (which runs the template's Node.js functions), or plug a LambdaInvoker into lambdaIntegration.`,
      );
    }
    const invocationType = legacy ? 'RequestResponse' : (parameters.InvocationType ?? 'RequestResponse');
    let answer: Awaited<ReturnType<LambdaInvoker>>;
    try {
      answer = await invoker({ functionName, payload: legacy ? call.parameters : (parameters.Payload ?? {}), invocationType });
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      throw new StatesError(`Lambda.${typeof code === 'string' ? code : 'ServiceException'}`, (error as Error).message);
    }
    if (answer.functionError) throw new StatesError(answer.functionError.errorType, JSON.stringify(answer.functionError));
    if (legacy) return answer.payload;
    // An asynchronous invocation is accepted with 202 and no payload (API_Invoke: StatusCode).
    if (invocationType === 'Event') return { Payload: '', StatusCode: 202 };
    // The output's shape in the Step Functions guide's example (connect-lambda.html): the SDK's metadata around the payload.
    const requestId = answer.requestId ?? '';
    return {
      ExecutedVersion: '$LATEST',
      Payload: answer.payload,
      SdkHttpMetadata: {
        HttpHeaders: { 'Content-Type': 'application/json', 'X-Amz-Executed-Version': '$LATEST', 'x-amzn-RequestId': requestId },
        HttpStatusCode: 200,
      },
      SdkResponseMetadata: { RequestId: requestId },
      StatusCode: 200,
    };
  };
}
