/** What a delivery attempt needs besides the bus: a target's kind, its retry defaults, failure texts, the log line. */
import type { DeliveryLog, Target, TargetKind } from './busModel.ts';

export const DEFAULT_MAX_RETRIES = 185;
export const DEFAULT_MAX_AGE_SECONDS = 86_400;

/** Not worth retrying: the same input fails the same way. */
export class PermanentFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The kind of a target: AppSync by its parameters, others by the service in their ARN. */
export function targetKindOf(target: Pick<Target, 'Arn' | 'AppSyncParameters'>): TargetKind {
  if (target.AppSyncParameters) return 'appsync';
  const [, , service, , , resource = ''] = String(target.Arn).split(':');
  switch (service) {
    case 'lambda':
      return 'lambda';
    case 'sqs':
      return 'sqs';
    case 'sns':
      return 'sns';
    case 'states':
      return 'stepFunctions';
    case 'appsync':
      return 'appsync';
    case 'events':
      return resource.startsWith('api-destination/') ? 'apiDestination' : 'eventBus';
    default:
      return 'other';
  }
}

/** The one readable line the dev server prints for an attempt. */
export function formatDeliveryLog(log: Omit<DeliveryLog, 'event'>): string {
  const mark = log.outcome === 'delivered' ? 'delivered' : log.outcome === 'retrying' ? 'retrying' : 'FAILED';
  const tail =
    log.outcome === 'retrying'
      ? ` - ${log.error ?? 'error'}; next attempt in ${log.nextAttemptInMs ?? 0} ms`
      : log.outcome === 'failed'
        ? ` - ${log.error ?? 'error'}`
        : '';
  return `eventbridge ${mark} ${log.source}/${log.detailType} ${log.eventId.slice(0, 8)} → rule ${log.ruleName} → ${log.targetKind} ${log.targetId} (attempt ${log.attempt}/${log.maxAttempts}, ${Math.round(log.durationMs)} ms)${tail}`;
}

/** An attempt's error as the delivery log and the failed-deliveries list give it. */
export function errorText(error: unknown): { code: string; message: string } {
  if (error instanceof PermanentFailure) return { code: error.code, message: error.message };
  if (error instanceof Error) return { code: (error as { code?: string }).code ?? error.name, message: error.message };
  if (typeof error === 'string') return { code: 'Error', message: error };
  return { code: 'Error', message: JSON.stringify(error) ?? String(error) };
}
