/**
 * An EventBridge rule target that is a Lambda function: the event (after the target's input
 * transformation) is the function's event, invoked asynchronously as EventBridge does
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-targets.html). An unknown function and a
 * function error are failed attempts, retried by the rule's retry policy and dead-lettered as any
 * target's are (local/eventbridge); on AWS the function's own errors are retried by Lambda's asynchronous
 * invocation instead (local/lambda/README.md, "Differences").
 */
import type { DeliveryResult, TargetCall } from '../eventbridge/index.ts';
import type { LocalLambda } from './LocalLambda.ts';

/** The bus's invoker for `lambda` targets, reading the functions served at delivery time. */
export function lambdaRuleTargetInvoker(lambda: () => LocalLambda): (call: TargetCall) => Promise<DeliveryResult> {
  return async (call) => {
    let event: unknown;
    try {
      event = JSON.parse(call.input);
    } catch {
      event = call.input;
    }
    try {
      const answer = await lambda().invoke({ functionName: call.targetArn, payload: event });
      if (!answer.functionError) return { ok: true };
      const error = Object.assign(new Error(answer.functionError.errorMessage), { code: answer.functionError.errorType });
      return { ok: false, error };
    } catch (error) {
      const code = (error as { code?: string }).code;
      return {
        ok: false,
        error: Object.assign(new Error((error as Error).message), { code: code ? `Lambda.${code}` : 'Lambda.ServiceException' }),
      };
    }
  };
}
