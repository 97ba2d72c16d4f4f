/**
 * An EventBridge rule target that is a Lambda function: the event (after the target's input
 * transformation) is the function's event, invoked asynchronously (`InvocationType: Event`) as EventBridge
 * does (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async.html lists EventBridge among the
 * services that invoke asynchronously). The delivery succeeds once Lambda has accepted the event; the
 * function's own errors are then Lambda's to retry and send to the function's destinations
 * (asyncInvocation.ts). Only a failure to hand the event over (an unknown function) is a failed attempt,
 * retried by the rule's retry policy and dead-lettered as any target's are (local/eventbridge).
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
      await lambda().invoke({ functionName: call.targetArn, payload: event, invocationType: 'Event' });
      return { ok: true };
    } catch (error) {
      const code = (error as { code?: string }).code;
      return {
        ok: false,
        error: Object.assign(new Error((error as Error).message), { code: code ? `Lambda.${code}` : 'Lambda.ServiceException' }),
      };
    }
  };
}
