/**
 * Who sent a command and which request it belongs to, read from the AppSync
 * context the same way for every aggregate. Valid APPSYNC_JS.
 */

/** The caller as the envelope's `actor`: user (Cognito/OIDC), IAM principal, or the API key. */
export function actorOf(identity: unknown): string {
  const id = (identity ?? {}) as Record<string, unknown>;
  if (typeof id.sub === 'string' && id.sub.length > 0) {
    return `user:${id.sub}`;
  }
  if (typeof id.userArn === 'string' && id.userArn.length > 0) {
    return `iam:${id.userArn}`;
  }
  if (typeof id.username === 'string' && id.username.length > 0) {
    return `user:${id.username}`;
  }
  return 'apiKey';
}

/** A front end may tie its requests together with an `x-correlation-id` header; otherwise the command starts a correlation. */
export function correlationIdOf(headers: Record<string, string> | undefined, commandId: string): string {
  const header = headers?.['x-correlation-id'];
  return typeof header === 'string' && header.length > 0 && header.length <= 128 ? header : commandId;
}
