/**
 * How Lambda treats a function's asynchronous invocations, read from the template: its
 * `AWS::Lambda::EventInvokeConfig` (MaximumRetryAttempts 0-2, default 2; MaximumEventAgeInSeconds
 * 60-21600, default 21600; DestinationConfig OnSuccess/OnFailure) and the function's own
 * `DeadLetterConfig.TargetArn`
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-lambda-eventinvokeconfig.html,
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html).
 */
import type { StackModel } from '../template/cloudAssembly.ts';

/** Lambda's defaults: 2 retries, 6 hours in the queue. */
export const DEFAULT_ASYNC_RETRIES = 2;
export const DEFAULT_ASYNC_MAX_EVENT_AGE_SECONDS = 21_600;

export interface AsyncInvocationConfig {
  maximumRetryAttempts: number;
  maximumEventAgeSeconds: number;
  /** Destination ARNs: an EventBridge bus, a Lambda function, an SQS queue, an SNS topic or an S3 bucket. */
  onSuccess?: string;
  onFailure?: string;
  /** The function's DeadLetterConfig: an SQS queue or SNS topic that gets the event of a discarded invocation. */
  deadLetterArn?: string;
}

export const DEFAULT_ASYNC_CONFIG: AsyncInvocationConfig = {
  maximumRetryAttempts: DEFAULT_ASYNC_RETRIES,
  maximumEventAgeSeconds: DEFAULT_ASYNC_MAX_EVENT_AGE_SECONDS,
};

/**
 * The asynchronous-invocation settings of one function, by its physical name and ARN (intrinsics
 * already resolved). Only the `$LATEST` qualifier is read: versions and aliases are not served.
 * Values outside AWS's ranges are refused, as CloudFormation refuses them.
 *
 * @example
 * const config = asyncInvocationConfigOf(stack, { logicalId: 'Fn', name: 'Stack-Fn', arn });
 */
export function asyncInvocationConfigOf(
  stack: Pick<StackModel, 'resources'>,
  fn: { logicalId: string; name: string; arn: string },
): AsyncInvocationConfig {
  const config: AsyncInvocationConfig = { ...DEFAULT_ASYNC_CONFIG };
  const deadLetter = (stack.resources[fn.logicalId]?.Properties.DeadLetterConfig as { TargetArn?: unknown } | undefined)?.TargetArn;
  if (typeof deadLetter === 'string') config.deadLetterArn = deadLetter;
  for (const [logicalId, resource] of Object.entries(stack.resources)) {
    if (resource.Type !== 'AWS::Lambda::EventInvokeConfig') continue;
    const props = resource.Properties;
    const named = String(props.FunctionName ?? '');
    if (named !== fn.name && named !== fn.arn && !named.endsWith(`:function:${fn.name}`)) continue;
    if (props.Qualifier !== undefined && props.Qualifier !== '$LATEST') continue;
    config.maximumRetryAttempts = inRange(logicalId, 'MaximumRetryAttempts', props.MaximumRetryAttempts, 0, 2, DEFAULT_ASYNC_RETRIES);
    config.maximumEventAgeSeconds = inRange(
      logicalId,
      'MaximumEventAgeInSeconds',
      props.MaximumEventAgeInSeconds,
      60,
      DEFAULT_ASYNC_MAX_EVENT_AGE_SECONDS,
      DEFAULT_ASYNC_MAX_EVENT_AGE_SECONDS,
    );
    const destinations = props.DestinationConfig as
      { OnSuccess?: { Destination?: unknown }; OnFailure?: { Destination?: unknown } } | undefined;
    if (typeof destinations?.OnSuccess?.Destination === 'string') config.onSuccess = destinations.OnSuccess.Destination;
    if (typeof destinations?.OnFailure?.Destination === 'string') config.onFailure = destinations.OnFailure.Destination;
  }
  return config;
}

function inRange(logicalId: string, property: string, value: unknown, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < min || number > max) {
    throw new Error(
      `${logicalId} (AWS::Lambda::EventInvokeConfig): ${property} must be an integer from ${min} to ${max}, got ${String(value)}.`,
    );
  }
  return number;
}
