/**
 * The local stack's defaults, in a module of their own so the CLI can print its help and parse its
 * arguments before it loads the runtime (seconds of module loading, done beside the synthesis).
 */

export const DEFAULT_PORT = 20002;
export const DEFAULT_API_KEY = 'da2-fakeApiId123456';
