/**
 * Local AWS credentials, one set per IAM role of the template, as if each role
 * had been assumed once at start: an access key id derived from the role (the
 * same on every start, `ASIA…` like STS's temporary keys), and a secret and
 * session token drawn at random for this run. A request signed with them is
 * the only way to call the local API as that role.
 *
 * @example
 * const credentials = new LocalCredentials(Object.values(stack.roles));
 * const store = credentials.forRole('ReservationStoreRoleDD500CBF');
 * // sign with { accessKeyId, secretAccessKey, sessionToken } like any SDK client
 */
import { createHash, randomBytes } from 'node:crypto';
import type { IamRoleModel } from '../template/cloudAssembly.ts';

export interface RoleCredentials {
  /** The role's logical id in the template. */
  roleLogicalId: string;
  roleArn: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** `AROA…`: the role's unique id, as STS reports it in an assumed-role caller's user id. */
  roleId: string;
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** 16 base-32 characters from a hash of `seed`: the body of an AWS-style key id. */
function keyBody(seed: string): string {
  const digest = createHash('sha256').update(seed).digest();
  let body = '';
  for (let index = 0; index < 16; index += 1) body += BASE32[digest[index]! % 32];
  return body;
}

export class LocalCredentials {
  private readonly byKeyId = new Map<string, RoleCredentials>();
  private readonly byRole = new Map<string, RoleCredentials>();

  constructor(roles: IamRoleModel[]) {
    for (const role of roles) {
      const credentials: RoleCredentials = {
        roleLogicalId: role.logicalId,
        roleArn: role.arn,
        accessKeyId: `ASIA${keyBody(`access-key:${role.arn}`)}`,
        secretAccessKey: randomBytes(30).toString('base64'),
        sessionToken: randomBytes(48).toString('base64'),
        roleId: `AROA${keyBody(`role-id:${role.arn}`)}`,
      };
      this.byKeyId.set(credentials.accessKeyId, credentials);
      this.byRole.set(role.arn, credentials);
      this.byRole.set(role.logicalId, credentials);
    }
  }

  /** The credentials of a role, by its logical id or ARN; throws for a role the template lacks. */
  forRole(roleLogicalIdOrArn: string): RoleCredentials {
    const credentials = this.byRole.get(roleLogicalIdOrArn);
    if (!credentials) {
      throw new Error(
        `No IAM role ${roleLogicalIdOrArn} in the template; roles: ${
          this.list()
            .map((role) => role.roleLogicalId)
            .join(', ') || '(none)'
        }.`,
      );
    }
    return { ...credentials };
  }

  /** Who signed with `accessKeyId`, if it was issued here. */
  byAccessKeyId(accessKeyId: string): RoleCredentials | undefined {
    return this.byKeyId.get(accessKeyId);
  }

  list(): RoleCredentials[] {
    return [...this.byKeyId.values()].map((credentials) => ({ ...credentials }));
  }
}
