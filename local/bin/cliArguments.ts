import { readFile } from 'node:fs/promises';

/**
 * `--name value`, `--name=value` and `--help`/`-h`, read into a map, for the local
 * runtime's small CLIs. A malformed command line is reported through `usageError`,
 * so each CLI answers it with its own error type and exit code.
 */
export function readCliArguments(argv: string[], usageError: (message: string) => Error): Map<string, string> {
  const options = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] as string;
    if (arg === '--help' || arg === '-h') {
      options.set('help', 'true');
      continue;
    }
    if (!arg.startsWith('--')) throw usageError(`unexpected argument ${arg}`);
    const eq = arg.indexOf('=');
    if (eq > 0) {
      options.set(arg.slice(2, eq), arg.slice(eq + 1));
      continue;
    }
    const value = argv[i + 1];
    if (value === undefined) throw usageError(`${arg} needs a value`);
    options.set(arg.slice(2), value);
    i += 1;
  }
  return options;
}

/**
 * A JSON argument given inline (an object or array's JSON text) or as a file (`FILE` or `file://FILE`): its text. A missing value
 * or an unreadable file is reported through `usageError`.
 *
 * @example
 * const pattern = await readJsonArgument('pattern', options.get('pattern'), (message) => new UsageError(message));
 */
export async function readJsonArgument(name: string, value: string | undefined, usageError: (message: string) => Error): Promise<string> {
  if (value === undefined) throw usageError(`--${name} is required`);
  if (/^\s*[{[]/.test(value)) return value;
  const file = value.startsWith('file://') ? value.slice('file://'.length) : value;
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw usageError(`cannot read --${name} ${file}: ${(error as Error).message}`);
  }
}
