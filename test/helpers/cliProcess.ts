/**
 * A local runtime CLI run as its npm script runs it (tsx), on files of a temporary folder removed after
 * the test file: what the CLI tests share.
 *
 * @example
 * const cli = useCliProcess('local/bin/start-execution.ts', 'start-execution-');
 * const out = cli.run('--definition', cli.file('def.json', definition));
 * expect(out.code).toBe(0);
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll } from 'vitest';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function useCliProcess(
  script: string,
  prefix: string,
): { dir: string; file(name: string, content: unknown): string; run(...args: string[]): CliRun } {
  const root = resolve(import.meta.dirname, '../..');
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return {
    dir,
    file(name, content) {
      const path = join(dir, name);
      writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
      return path;
    },
    run(...args) {
      const result = spawnSync(join(root, 'node_modules/.bin/tsx'), [join(root, script), ...args], {
        cwd: root,
        encoding: 'utf8',
        timeout: 30_000,
      });
      return { code: result.status, stdout: result.stdout, stderr: result.stderr };
    },
  };
}
