/**
 * What the durable parts of the local runtime write down to survive a restart (`--persist DIR`): one JSON file per
 * entry, `<dir>/<name>.json`, written to a temporary name and renamed (atomic on one file system), so a crash
 * mid-write leaves the previous version whole; removed when the entry ends, so an ended one costs no space. A file
 * that cannot be read back (not JSON, or not an entry by the journal's own check) is moved to `<dir>/set-aside/`
 * and listed with the reason, never dropped. Lambda's asynchronous queue, the bus's deliveries and the Scheduler's
 * schedules each keep one (their own file names and checks); Step Functions keeps its executions its own way.
 *
 * @example
 * const journal = new FileJournal<Entry>('.local/data/x', (entry) => (isEntry(entry) ? undefined : 'not an entry'));
 * journal.write('a1', entry);
 * const { entries, setAside } = journal.read(); // after a restart
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Where files that cannot be read back go, inside the journal's folder. */
export const SET_ASIDE_DIR = 'set-aside';

/** A file of the journal that could not be read back, or an entry its owner cannot resume: where it was moved and why. */
export interface SetAsideEntry {
  file: string;
  reason: string;
}

export class FileJournal<T> {
  private open = true;

  /** `check` says why a parsed file is no entry, or undefined when it is one. */
  constructor(
    readonly dir: string,
    private readonly check: (entry: unknown) => string | undefined,
  ) {
    mkdirSync(dir, { recursive: true });
  }

  /**
   * Writes (or rewrites) one entry under `name` (a file name the owner made safe, without `.json`); nothing once
   * closed (a stopping runtime leaves its journal as it was). Synchronous on purpose: the caller answers after the
   * entry is on disk.
   */
  write(name: string, entry: T): void {
    if (!this.open) return;
    const file = this.fileOf(name);
    writeFileSync(`${file}.tmp`, JSON.stringify(entry));
    renameSync(`${file}.tmp`, file);
  }

  /** The entry has ended: its file goes. */
  remove(name: string): void {
    if (!this.open) return;
    rmSync(this.fileOf(name), { force: true });
  }

  /** Moves one entry to `set-aside/` (kept for a person, not resumed) and returns where. */
  setAside(name: string): string {
    return this.moveAside(this.fileOf(name));
  }

  close(): void {
    this.open = false;
  }

  /** Every entry written down and not ended (in no particular order), and the files set aside on the way. */
  read(): { entries: T[]; setAside: SetAsideEntry[] } {
    const entries: T[] = [];
    const setAside: SetAsideEntry[] = [];
    if (!existsSync(this.dir)) return { entries, setAside };
    for (const name of readdirSync(this.dir)) {
      const file = path.join(this.dir, name);
      // A temporary file is a write the process did not finish: the entry it replaces (if any) is whole beside it.
      if (name.endsWith('.json.tmp')) {
        rmSync(file, { force: true });
        continue;
      }
      if (!name.endsWith('.json')) continue;
      let reason: string | undefined;
      try {
        const entry: unknown = JSON.parse(readFileSync(file, 'utf8'));
        reason = this.check(entry);
        if (!reason) entries.push(entry as T);
      } catch (error) {
        reason = (error as Error).message;
      }
      if (reason) setAside.push({ file: this.moveAside(file), reason });
    }
    return { entries, setAside };
  }

  private moveAside(file: string): string {
    mkdirSync(path.join(this.dir, SET_ASIDE_DIR), { recursive: true });
    const kept = path.join(this.dir, SET_ASIDE_DIR, path.basename(file));
    renameSync(file, kept);
    return kept;
  }

  private fileOf(name: string): string {
    return path.join(this.dir, `${name}.json`);
  }
}
