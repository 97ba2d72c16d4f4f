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
