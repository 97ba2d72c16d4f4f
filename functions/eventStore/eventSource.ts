/**
 * The EventBridge `source` of the events an aggregate decides. Shared by the
 * publish step (APPSYNC_JS) and infra (the rule's pattern), so the two agree.
 */
export function eventSourceOf(streamType: string): string {
  return `app.${streamType.toLowerCase()}`;
}
