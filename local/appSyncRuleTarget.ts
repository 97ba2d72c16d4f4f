/** EventBridge rules' AppSync targets, run in-process against the served API as the rule's role. */
import { parse, type OperationDefinitionNode } from 'graphql';
import type { AppSyncTargetCall, DeliveryResult } from './eventbridge/index.ts';
import { appSyncFieldArn, isAllowedByRole } from './iamPolicy.ts';
import { roleAuth } from './server/authorization.ts';
import type { Served } from './servedApi.ts';

/**
 * An AppSync rule target, called in-process as the rule's IAM role: the role must be allowed
 * `appsync:GraphQL` on every root field of the operation (as AWS checks it), then the operation runs
 * exactly as an HTTP request would, subscriptions included. A GraphQL error is a failed attempt, so
 * the rule's retry policy applies to a store that is briefly unavailable.
 */
export async function invokeAppSyncTarget(served: Served, call: AppSyncTargetCall): Promise<DeliveryResult> {
  const { api, stack } = served;
  const role = call.roleArn ? stack.roles[call.roleArn] : undefined;
  const operation = parse(call.operation).definitions.find(
    (definition): definition is OperationDefinitionNode => definition.kind === 'OperationDefinition',
  );
  const typeName = operation?.operation === 'mutation' ? 'Mutation' : operation?.operation === 'subscription' ? 'Subscription' : 'Query';
  for (const selection of operation?.selectionSet.selections ?? []) {
    if (selection.kind !== 'Field') continue;
    const resource = appSyncFieldArn(api.model.arn, typeName, selection.name.value);
    if (!isAllowedByRole(role, 'appsync:GraphQL', resource)) {
      return { ok: false, error: new Error(`AccessDenied: role ${call.roleArn ?? '(none)'} may not call appsync:GraphQL on ${resource}`) };
    }
  }
  const response = await api.execute(
    { query: call.operation, variables: call.variables },
    roleAuth(call.roleArn!, stack.account.accountId, role),
    {
      headers: { 'user-agent': 'local-eventbridge' },
      sourceIp: '127.0.0.1',
      domainName: null,
    },
  );
  if (response.errors && response.errors.length > 0) {
    return {
      ok: false,
      error: new Error(
        response.errors
          .map((error) => `${'errorType' in error && error.errorType ? `${error.errorType}: ` : ''}${error.message}`)
          .join('; '),
      ),
    };
  }
  return { ok: true };
}
