import { EarlyReturnSignal } from './evaluation.ts';

/** Where `runtime.earlyReturn(value, { skipTo })` sends a pipeline: AWS's two documented targets. */
export type SkipTo = 'END' | 'NEXT';

/** `runtime.earlyReturn` with its `returnOptions`; the engine reads `skipTo` to route a pipeline. */
export class EarlyReturnWithOptions extends EarlyReturnSignal {
  constructor(
    value: unknown,
    readonly skipTo: SkipTo | undefined,
  ) {
    super(value);
  }
}

/** Read `skipTo` from any early return, whichever runtime threw it. */
export function skipToOf(signal: EarlyReturnSignal): SkipTo | undefined {
  return signal instanceof EarlyReturnWithOptions ? signal.skipTo : undefined;
}

/**
 * The `runtime` module of APPSYNC_JS.
 *
 * @example
 * const runtime = createRuntimeModule();
 * runtime.earlyReturn({ id: '1' }); // throws EarlyReturnSignal: the engine ends the handler with { id: '1' }
 */
export function createRuntimeModule() {
  return {
    earlyReturn(value?: unknown, returnOptions?: { skipTo?: unknown }): never {
      const skipTo = returnOptions?.skipTo;
      if (skipTo !== undefined && skipTo !== 'END' && skipTo !== 'NEXT') {
        throw new TypeError(`runtime.earlyReturn: skipTo must be 'END' or 'NEXT', got ${JSON.stringify(skipTo)}`);
      }
      throw new EarlyReturnWithOptions(value === undefined ? null : value, skipTo);
    },
  };
}
