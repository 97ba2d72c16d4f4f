/**
 * What a Task state hands its integration, and how a Resource ARN names one
 * ("Integrating services with Step Functions", https://docs.aws.amazon.com/step-functions/latest/dg/integrate-services.html):
 * `arn:aws:states:::service:action` (request-response), with `.sync`, `.sync:2` (run a job) or
 * `.waitForTaskToken` (callback); `arn:aws:states:::aws-sdk:service:action` for SDK integrations;
 * a Lambda function ARN for the legacy form.
 */

export type IntegrationPattern = 'request-response' | 'sync' | 'sync:2' | 'waitForTaskToken';

export interface TaskResource {
  arn: string;
  /** As history events name it: `events`, `dynamodb`, `aws-sdk:dynamodb`, `states`, `http`, `lambda`. */
  resourceType: string;
  /** As history events name it: `putEvents`, `putItem`, `startExecution.sync:2`. */
  resource: string;
  /** The service and action without the pattern suffix: `events` / `putEvents`. */
  service: string;
  action: string;
  pattern: IntegrationPattern;
}

export interface TaskCall {
  resource: TaskResource;
  /** Parameters (JSONPath) or Arguments (JSONata), evaluated. */
  parameters: unknown;
  stateName: string;
  executionArn: string;
  stateMachineArn: string;
  /** The execution's role (the state machine's RoleArn), as a task would act. */
  roleArn: string | undefined;
  /** Aborted when the task times out, the execution stops, or a sibling branch fails. */
  signal: AbortSignal;
}

/** Runs one task: resolves with its result, rejects with a `StatesError` named as AWS names the failure. */
export type TaskIntegration = (call: TaskCall) => Promise<unknown>;

/** Reads a Task state's Resource. Throws when it is not an ARN Step Functions would accept. */
export function parseTaskResource(arn: string): TaskResource {
  const states = /^arn:aws[\w-]*:states:::(aws-sdk:[a-z0-9-]+|[a-z0-9-]+):([A-Za-z0-9]+)(?:\.(sync:2|sync|waitForTaskToken))?$/.exec(arn);
  if (states) {
    const [, service, action, suffix] = states as unknown as [string, string, string, string | undefined];
    const pattern = (suffix ?? 'request-response') as IntegrationPattern;
    return { arn, resourceType: service, resource: suffix ? `${action}.${suffix}` : action, service, action, pattern };
  }
  const lambda = /^arn:aws[\w-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9-_]+(:[A-Za-z0-9-_$]+)?$/.exec(arn);
  if (lambda) return { arn, resourceType: 'lambda', resource: arn, service: 'lambda', action: 'invoke', pattern: 'request-response' };
  const activity = /^arn:aws[\w-]*:states:[a-z0-9-]+:\d{12}:activity:/.exec(arn);
  if (activity)
    return { arn, resourceType: 'activity', resource: arn, service: 'activity', action: 'getActivityTask', pattern: 'request-response' };
  throw new Error(
    `Resource ${arn} is not a Step Functions task resource (arn:aws:states:::service:action[.sync|.waitForTaskToken], an aws-sdk integration, or a Lambda function ARN).`,
  );
}
