import { readFile } from 'node:fs/promises';
import { BadRequestError, bundleResolverCode, evaluateCode, type HandlerName } from '../engine/index.ts';
import { readCliArguments } from './cliArguments.ts';

const USAGE = `usage: evaluate-code --code FILE(.js|.ts) --function request|response --context CTX.json
  --code      resolver or function code; a .ts file is bundled with esbuild first (ESM, @aws-appsync/utils external)
  --function  the handler to run (default: request)
  --context   the context: a JSON file, file://FILE, or inline JSON text
  --timeout-ms  interrupt a handler running longer (default 10000)
Prints the EvaluateCode output: { evaluationResult, error: { message, codeErrors }, logs, stash, outErrors }.`;

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

function parseArgs(argv: string[]): Map<string, string> {
  return readCliArguments(argv, (message) => new BadRequestError(message));
}

async function readContext(value: string): Promise<string> {
  if (value.trimStart().startsWith('{')) return value;
  return readFile(value.startsWith('file://') ? value.slice('file://'.length) : value, 'utf8');
}

/**
 * The evaluate-code command: AWS's `aws appsync evaluate-code`, offline. Returns the exit code:
 * 0 when the code was evaluated (even if it failed: the output says how), 2 for bad usage.
 *
 * @example
 * await main(['--code', 'resolvers/Query.getReservation.ts', '--function', 'request', '--context', 'ctx.json']);
 */
export async function main(
  argv: string[],
  io: CliIo = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) },
): Promise<number> {
  try {
    const options = parseArgs(argv);
    if (options.has('help')) {
      io.out(`${USAGE}\n`);
      return 0;
    }
    const file = options.get('code');
    if (!file) throw new BadRequestError('--code is required');
    const handler = (options.get('function') ?? 'request') as HandlerName;
    const context = await readContext(options.get('context') ?? '{}');
    const { code, originalPosition } = await bundleResolverCode(file.startsWith('file://') ? file.slice('file://'.length) : file);
    // codeErrors keep AWS's positions (in the code evaluated); messages name the .ts source.
    const timeoutMs = Number(options.get('timeout-ms') ?? 10_000);
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new BadRequestError('--timeout-ms must be a positive number');
    const output = evaluateCode(
      { runtime: { name: 'APPSYNC_JS', runtimeVersion: '1.0.0' }, code, context, function: handler },
      originalPosition ? { file, originalPosition, timeoutMs } : { file, timeoutMs },
    );
    io.out(`${JSON.stringify(output, null, 2)}\n`);
    return 0;
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    io.err(`evaluate-code: ${e.message}\n${error instanceof BadRequestError ? `${USAGE}\n` : ''}`);
    return 2;
  }
}
