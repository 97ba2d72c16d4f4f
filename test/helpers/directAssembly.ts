/**
 * The app synthesized with the guest aggregate delivered 'direct' (context
 * `delivery=Guest:direct`, infra/app.ts): the same aggregate, the same code,
 * served the other way, for the suites that test direct delivery. Synthesized
 * once per test process (test files of a worker share modules), into its own
 * folder beside the suite's synthesis.
 *
 * @example
 * const core = useTemplateResolvers({ assembly: directAssembly });
 */
import path from 'node:path';
import { synthesize } from '../../local/index.ts';

/** The aggregate the direct suites serve 'direct': it has a unique constraint (email), one read step, and projections. */
export const DIRECT_STREAM_TYPE = 'Guest';

let synthesis: Promise<string> | undefined;

export function directAssembly(): Promise<string> {
  synthesis ??= synthesize(process.cwd(), path.resolve('.local/cdk.out.direct'), {
    context: { delivery: `${DIRECT_STREAM_TYPE}:direct` },
  }).then((result) => result.outdir);
  return synthesis;
}

let silentSynthesis: Promise<string> | undefined;

/**
 * The same, with no rule telling onGuestSaved of stored guest events (context
 * `storedEventSubscribers=Guest:none`): subscribers hear each answer on onGuestCommandAnswered.
 */
export function directSilentAssembly(): Promise<string> {
  silentSynthesis ??= synthesize(process.cwd(), path.resolve('.local/cdk.out.direct-silent'), {
    context: { delivery: `${DIRECT_STREAM_TYPE}:direct`, storedEventSubscribers: `${DIRECT_STREAM_TYPE}:none` },
  }).then((result) => result.outdir);
  return silentSynthesis;
}
