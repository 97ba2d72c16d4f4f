/**
 * A command sent by a Step Functions execution that waits for its outcome
 * (`.waitForTaskToken`) carries the task token; the core answers it through an
 * AppSync HTTP data source signed for `states` (the Step Functions API's JSON 1.0
 * protocol): SendTaskSuccess with the stored outcome, or SendTaskFailure with the
 * refusal. Pure builders, valid APPSYNC_JS.
 *
 * SendTaskSuccess / SendTaskFailure:
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_SendTaskSuccess.html
 * (taskToken up to 2048 characters, output up to 256 KiB of JSON text; `error` up to 256
 * characters, `cause` up to 32768).
 */
import type { HTTPRequest } from '@aws-appsync/utils';
import type { Refusal } from '../shared/errors';

/** What an execution receives as its task's result when the command's event is answered. */
export interface TaskAnswer {
  id: string;
  commandId: string;
  /** SAVED, REJECTED or TIMED_OUT: the store's answer. */
  status: string;
  version: number | null;
  reason: string | null;
  /** The type of the event the command stored (e.g. PaymentDeclined), when SAVED. */
  eventType: string | null;
  /** True when this answers a command already answered (a redelivery, or the command sent again). */
  repeat: boolean;
}

function stepFunctionsCall(operation: 'SendTaskSuccess' | 'SendTaskFailure', body: Record<string, unknown>): HTTPRequest<string> {
  return {
    method: 'POST',
    resourcePath: '/',
    params: {
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AWSStepFunctions.${operation}` },
      body: JSON.stringify(body),
    },
  };
}

export function taskSuccessRequest(taskToken: string, answer: TaskAnswer): HTTPRequest<string> {
  return stepFunctionsCall('SendTaskSuccess', { taskToken, output: JSON.stringify(answer) });
}

/** The refusal as the execution's error: `Error` is the refusal type (BusinessRuleViolation …), `Cause` its message and violations as JSON. */
export function taskFailureRequest(taskToken: string, refusal: Refusal): HTTPRequest<string> {
  return stepFunctionsCall('SendTaskFailure', {
    taskToken,
    error: refusal.errorType,
    cause: JSON.stringify({ message: refusal.message, violations: refusal.violations }).slice(0, 32768),
  });
}

/** A task token that is no longer waited for (its task timed out, or was answered) is not the command's failure: logged only. */
export function logUnansweredToken(
  error: { message: string } | null | undefined,
  result: { statusCode: number; body: string } | null | undefined,
): void {
  if (error || (result && result.statusCode !== 200)) {
    console.log(`The task token was not answered: ${error?.message ?? result?.body ?? 'no answer'}`);
  }
}
