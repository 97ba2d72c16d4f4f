/**
 * What applying stored events does to the read models, as values: each read
 * model says what changes, the applier writes them in one transaction. A
 * transaction may touch an item once, so changes to one key are merged first:
 * the last put or delete wins, counters add up. Pure, valid APPSYNC_JS.
 */
import type { ReadModelKey } from './readModelTable';

export type ReadModelChange =
  | { op: 'put'; key: ReadModelKey; item: Record<string, unknown> }
  | { op: 'delete'; key: ReadModelKey }
  /** Adds to counters (creating them at 0), and sets fields only where they are absent. */
  | { op: 'add'; key: ReadModelKey; counters: Record<string, number>; setIfAbsent: Record<string, unknown> };

function keyOf(change: ReadModelChange): string {
  return `${change.key.pk}|${change.key.sk}`;
}

/** One change per key, in the order keys first appear. */
export function mergeChanges(changes: ReadModelChange[]): ReadModelChange[] {
  const byKey: Record<string, ReadModelChange> = {};
  const order: string[] = [];
  for (const change of changes) {
    const key = keyOf(change);
    const earlier = byKey[key];
    if (!earlier) {
      order.push(key);
      byKey[key] = change;
    } else if (change.op === 'add' && earlier.op === 'add') {
      const counters = { ...earlier.counters };
      for (const name of Object.keys(change.counters)) {
        counters[name] = (counters[name] ?? 0) + (change.counters[name] ?? 0);
      }
      byKey[key] = { op: 'add', key: change.key, counters, setIfAbsent: { ...change.setIfAbsent, ...earlier.setIfAbsent } };
    } else {
      byKey[key] = change;
    }
  }
  return order.map((key) => byKey[key]!);
}
