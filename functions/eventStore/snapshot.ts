/**
 * Snapshots: the state of a stream after version v, stored every
 * SNAPSHOT_INTERVAL events so a read folds at most SNAPSHOT_INTERVAL events.
 * Generic: the aggregate computes the state, the store only places it.
 * Valid APPSYNC_JS.
 *
 * Layout: an item in the stream's own partition at the FRACTIONAL sort key
 * `v + 0.5` (`kind: 'Snapshot'`, `snapshotOf: v`, `schemaVersion` of the
 * state's shape, `state` a map). Event slots stay integers, so the
 * conditional put on an event's slot and gapless versions are untouched.
 *
 * Written by: the command step that decides an event at a multiple of
 * SNAPSHOT_INTERVAL (it folded the stream up to v − 1 and evolves it by the
 * event), carried in the event's detail, put by appendEvent in the same
 * transaction as the event. Sound because the event lands at slot v only if
 * the slot is free, and the stream up to v − 1 is immutable: exactly what the
 * command step folded. A timeout's tombstone never carries one (a stream
 * whose event at a multiple of N is a tombstone falls back to a full read
 * until the next snapshot).
 */

/** One snapshot every this many events. */
export const SNAPSHOT_INTERVAL = 100;

/** The kind attribute of a snapshot item. */
export const SNAPSHOT_KIND = 'Snapshot';

/** What a command step attaches to the event whose version is a multiple of SNAPSHOT_INTERVAL. */
export interface SnapshotInput {
  /** Version of the state's shape: a snapshot of another shape is ignored by readers. */
  schemaVersion: number;
  /** The state after the event. */
  state: unknown;
}

/** A snapshot as stored. */
export interface SnapshotItem {
  streamId: string;
  /** snapshotOf + 0.5 */
  version: number;
  kind: typeof SNAPSHOT_KIND;
  snapshotOf: number;
  schemaVersion: number;
  state: unknown;
}

/** True when the event at `version` carries a snapshot of the state after it. */
export function takesSnapshot(version: number): boolean {
  return version % SNAPSHOT_INTERVAL === 0;
}

/** The sort key of the snapshot of the state after `version`. */
export function snapshotVersionOf(version: number): number {
  return version + 0.5;
}

export function snapshotItem(streamId: string, eventVersion: number, snapshot: SnapshotInput): SnapshotItem {
  return {
    streamId,
    version: snapshotVersionOf(eventVersion),
    kind: SNAPSHOT_KIND,
    snapshotOf: eventVersion,
    schemaVersion: snapshot.schemaVersion,
    state: snapshot.state,
  };
}
