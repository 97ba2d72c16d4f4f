/**
 * The aggregate a generic step or resolver is bundled with. Generic code
 * imports `aggregate` from '@aggregate'; infra's bundler aliases that name to
 * `functions/<name>/aggregate.ts` for each aggregate (APPSYNC_JS cannot choose
 * code at run time, so the choice is made at bundle time). TypeScript resolves
 * '@aggregate' here (tsconfig paths), so generic code is checked against the
 * Aggregate interface alone.
 */
import type { Aggregate } from '../shared/decider';

export declare const aggregate: Aggregate;
