/** What the projection applier's steps share in `ctx.stash` (resolver → readCursor → load steps → applyToReadModels). */
import type { LoadStash } from '../eventStore/stash';

export interface ProjectionStash extends LoadStash {
  /** The stored event that arrived: its stream key and version (set by the resolver). */
  storedEvent: { streamId: string; version: number };
  /** The last version of the stream the read models reflect, 0 for none (set by readCursor). */
  cursor?: number;
  /** The version applyToReadModels moves the cursor to. */
  appliedUpTo?: number;
}
