/**
 * `--parameters` in the shape `cdk deploy --parameters` takes it: `Name=Value` pairs after one
 * `--parameters` (`--parameters A=1 B=2`), the option repeated (`--parameters A=1 --parameters B=2`),
 * or inline (`--parameters=A=1`); `Stack:Name=Value` names one stack's parameter. The value is
 * everything after the first `=`, so it may hold `=` itself.
 *
 * @example
 * const { parameters, rest } = takeParametersOption(['--port', '0', '--parameters', 'Url=https://x?a=b', 'Key=k']);
 * // parameters: { Url: 'https://x?a=b', Key: 'k' }, rest: ['--port', '0']
 */
export function takeParametersOption(argv: string[]): { parameters: Record<string, string>; rest: string[] } {
  const parameters: Record<string, string> = {};
  const rest: string[] = [];
  const add = (pair: string) => {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new Error(`--parameters takes Name=Value pairs (for example --parameters Stage=dev), not "${pair}".`);
    parameters[pair.slice(0, eq)] = pair.slice(eq + 1);
  };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] as string;
    if (arg.startsWith('--parameters=')) {
      add(arg.slice('--parameters='.length));
      continue;
    }
    if (arg !== '--parameters') {
      rest.push(arg);
      continue;
    }
    const first = i + 1;
    while (i + 1 < argv.length && !(argv[i + 1] as string).startsWith('--')) {
      i += 1;
      add(argv[i] as string);
    }
    if (i + 1 === first) throw new Error('--parameters needs at least one Name=Value pair (for example --parameters Stage=dev).');
  }
  return { parameters, rest };
}
