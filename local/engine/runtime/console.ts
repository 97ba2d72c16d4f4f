import type { CurrentEvaluation } from './evaluation.ts';

function formatArgument(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return '[Function]';
  try {
    // JSON.stringify reads objects of the sandbox realm as well as Node's.
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * The `console` of APPSYNC_JS: `console.log` and `console.error` lines are captured into the
 * evaluation's logs (what CloudWatch shows for the request), prefixed with their level.
 *
 * @example
 * const console = createConsole(() => state);
 * console.log('id', { a: 1 }); // state.logs: ['INFO - id {"a":1}']
 */
export function createConsole(current: CurrentEvaluation) {
  const write = (level: string, args: unknown[]): void => {
    current().logs.push(`${level} - ${args.map(formatArgument).join(' ')}`);
  };
  return {
    // Only log and error: AWS documents no other console method.
    log: (...args: unknown[]): void => write('INFO', args),
    error: (...args: unknown[]): void => write('ERROR', args),
  };
}
