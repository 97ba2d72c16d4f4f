import { loadCode, type LoadedCode } from './loadCode.ts';

/** One code to load: its source and the file name its errors and stack traces show. */
export interface CodeToLoad {
  source: string;
  file: string;
}

/**
 * Codes loaded once each, by file and source. A pipeline function is one resource that many
 * resolvers name (this project's API: 25 functions in 144 places of its pipelines), and loading is
 * the engine's language check, a realm and the module's evaluation: milliseconds each.
 *
 * Sharing one `LoadedCode` between resolvers is safe: an evaluation is synchronous, and a module with
 * top-level state runs its body afresh for each one, so resolvers share only what the requests of one
 * resolver already share. Given the codes of a previous version of the API (a reload), unchanged codes
 * are taken from it instead of being loaded again.
 *
 * @example
 * const codes = new LoadedCodes();
 * await codes.preload([{ source, file: 'Query.getThing.js' }]); // between turns of the event loop
 * codes.load(source, 'Query.getThing.js'); // the same LoadedCode, not loaded again
 */
export class LoadedCodes {
  private readonly codes = new Map<string, LoadedCode>();
  /** The previous version's map, not the object: a long run of reloads must not chain every version. */
  private readonly previous: ReadonlyMap<string, LoadedCode> | undefined;

  constructor(previous?: LoadedCodes) {
    this.previous = previous?.codes;
  }

  /** The code loaded from `source`, loading it now if no earlier call did; throws `CodeLoadError` as `loadCode` does. */
  load(source: string, file: string): LoadedCode {
    const key = `${file}\0${source}`;
    let code = this.codes.get(key) ?? this.previous?.get(key);
    if (!code) code = loadCode(source, { file });
    this.codes.set(key, code);
    return code;
  }

  /**
   * Load each code, one per turn of the event loop: a start loads its codes while it waits for
   * DynamoDB Local, whose readiness polls run on the same loop. Rejects with the first code refused.
   */
  async preload(codes: readonly CodeToLoad[]): Promise<void> {
    for (const { source, file } of codes) {
      this.load(source, file);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}
