/**
 * Just enough IAM policy evaluation for the calls the local bus makes as a
 * rule's role: may this role call `appsync:GraphQL` on this field's ARN?
 * Explicit Deny wins, then any Allow; wildcards `*` and `?` as IAM reads them.
 */
import type { IamRoleModel } from './template/cloudAssembly.ts';

function wildcard(pattern: string): RegExp {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, 'i');
}

function matchesAny(patterns: string | string[], value: string): boolean {
  return [patterns].flat().some((pattern) => wildcard(pattern).test(value));
}

export function isAllowedByRole(role: IamRoleModel | undefined, action: string, resource: string): boolean {
  if (!role) return false;
  const applicable = role.statements.filter(
    (statement) => matchesAny(statement.Action, action) && matchesAny(statement.Resource, resource),
  );
  if (applicable.some((statement) => statement.Effect === 'Deny')) return false;
  return applicable.some((statement) => statement.Effect === 'Allow');
}

/** The ARN AppSync authorizes an IAM call against: one per root field of the operation. */
export function appSyncFieldArn(apiArn: string, typeName: string, fieldName: string): string {
  return `${apiArn}/types/${typeName}/fields/${fieldName}`;
}
