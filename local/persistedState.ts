/**
 * What `persistDir` keeps besides DynamoDB's data, one folder per part of the runtime, and how a stack started
 * again on it picks each part up: Step Functions executions (`stepfunctions/`), Lambda's asynchronous queue
 * (`lambda/`), the bus's deliveries (`eventbridge/`) and the Scheduler's schedules (`scheduler/`). On AWS each
 * of these is the service's own durable state, untouched by a caller's restart; locally their journals stand
 * in for that. Without `persistDir` every part stays in memory and nothing is resumed.
 *
 * @example
 * const bus = new LocalEventBus({ ...journalDirOf(options, 'eventbridge') });
 * resumePersistedState({ stepFunctions, lambda, bus, scheduler }, progress); // once everything is served
 */
import path from 'node:path';
import type { LocalEventBus } from './eventbridge/index.ts';
import type { LocalLambda } from './lambda/index.ts';
import type { LocalScheduler } from './scheduler/LocalScheduler.ts';
import type { LocalStepFunctions } from './stepfunctions/index.ts';

export type PersistedPart = 'stepfunctions' | 'lambda' | 'eventbridge' | 'scheduler';

/** `{ journalDir: <persistDir>/<part> }` with a `persistDir`, else `{}` (in memory). */
export function journalDirOf(options: { persistDir?: string }, part: PersistedPart): { journalDir?: string } {
  return options.persistDir ? { journalDir: path.join(options.persistDir, part) } : {};
}

/**
 * Last at start, once everything a resumed step calls is up: executions go on, the Lambda queue's waiting
 * events, the bus's deliveries, then the schedules (whose firing puts on the bus). One progress line per part
 * that had something to resume.
 */
export function resumePersistedState(
  parts: { stepFunctions: LocalStepFunctions; lambda: LocalLambda; bus: LocalEventBus; scheduler: LocalScheduler },
  progress: (line: string) => void,
): void {
  const resumed = parts.stepFunctions.resumeJournaledExecutions();
  if (resumed > 0) progress(`resumed ${resumed} Step Functions execution(s) left unfinished`);
  const requeued = parts.lambda.resumeJournaledInvocations();
  if (requeued > 0) progress(`queued again ${requeued} Lambda asynchronous invocation(s) left waiting`);
  const redelivering = parts.bus.resumeJournaledDeliveries();
  if (redelivering > 0) progress(`resumed ${redelivering} EventBridge delivery(ies) left under way`);
  const rearmed = parts.scheduler.resumeJournaled();
  if (rearmed > 0) progress(`re-armed ${rearmed} Scheduler schedule(s) left pending`);
}
