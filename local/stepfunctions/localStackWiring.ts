/**
 * How the local stack plugs Step Functions in: the template's state machines created (unsupported task
 * resources listed in the dev log), the integrations it can serve (the local bus, DynamoDB Local, HTTP,
 * the Lambda port), and EventBridge rule targets that start executions as the rule's role.
 */
import type { DeliveryResult, LocalEventBus, TargetCall } from '../eventbridge/index.ts';
import { isAllowedByRole } from '../iamPolicy.ts';
import type { CloudAssemblyModel, IamRoleModel } from '../template/cloudAssembly.ts';
import { StepFunctionsApiError } from './apiErrors.ts';
import { DynamoDbTasks } from './integrations/dynamoDb.ts';
import { putEventsIntegration } from './integrations/eventBridge.ts';
import { httpInvokeIntegration } from './integrations/http.ts';
import { lambdaIntegration, type LambdaInvoker } from './integrations/lambda.ts';
import type { LocalStepFunctions, TaskIntegrations } from './LocalStepFunctions.ts';
import { stateMachinesFromTemplate } from './template.ts';

/** The integrations a local stack serves, and how to release their clients. */
export function stepFunctionsIntegrations(dependencies: {
  bus: LocalEventBus;
  dynamoDbEndpoint: string;
  region: string;
  /** Runs the template's Lambda functions (local/lambda); without it, Lambda tasks fail naming the function. */
  lambda?: LambdaInvoker;
}): {
  integrations: TaskIntegrations;
  close: () => void;
} {
  const dynamoDb = new DynamoDbTasks(dependencies.dynamoDbEndpoint, dependencies.region);
  return {
    integrations: {
      'events:putEvents': putEventsIntegration(dependencies.bus),
      'dynamodb:*': dynamoDb.optimized,
      'aws-sdk:dynamodb:*': dynamoDb.sdk,
      'http:invoke': httpInvokeIntegration(),
      'lambda:*': lambdaIntegration(dependencies.lambda),
    },
    close: () => dynamoDb.close(),
  };
}

/** Creates (or replaces) every state machine of the assembly; logs task resources that will fail locally. */
export function loadStateMachines(sfn: LocalStepFunctions, assembly: CloudAssemblyModel, onEvent?: (line: string) => void): void {
  for (const stack of assembly.stacks) {
    for (const machine of stateMachinesFromTemplate(stack.resources, assembly.directory, stack.naming)) {
      try {
        sfn.createStateMachine({
          name: machine.name,
          arn: machine.arn,
          definition: machine.definition,
          type: machine.type,
          ...(machine.roleArn ? { roleArn: machine.roleArn } : {}),
        });
      } catch (error) {
        throw new Error(`State machine ${machine.logicalId}: ${(error as Error).message}`);
      }
      const unsupported = sfn.unsupportedResources(machine.arn);
      if (unsupported.length > 0)
        onEvent?.(
          `stepfunctions ${machine.name}: task resources the local runtime does not run (those tasks will fail): ${unsupported.join(', ')}`,
        );
    }
  }
}

/**
 * An EventBridge rule target that is a state machine: the rule's role must be allowed `states:StartExecution`
 * on it (as AWS checks the target's role), then the transformed input starts an execution.
 */
export function stepFunctionsTargetInvoker(
  sfn: LocalStepFunctions,
  roles: Record<string, IamRoleModel>,
): (call: TargetCall) => DeliveryResult {
  return (call) => {
    const role = call.roleArn ? roles[call.roleArn] : undefined;
    if (!isAllowedByRole(role, 'states:StartExecution', call.targetArn)) {
      return {
        ok: false,
        error: new Error(`AccessDenied: role ${call.roleArn ?? '(none)'} may not states:StartExecution on ${call.targetArn}`),
      };
    }
    try {
      sfn.startExecution({ stateMachineArn: call.targetArn, input: call.input });
      return { ok: true };
    } catch (error) {
      const code = error instanceof StepFunctionsApiError ? `${error.code}: ` : '';
      return { ok: false, error: new Error(`${code}${(error as Error).message}`) };
    }
  };
}
