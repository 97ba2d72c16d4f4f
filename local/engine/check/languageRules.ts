/**
 * The lists behind the APPSYNC_JS language check. Sources: AWS's "Supported runtime features"
 * page and the rules of `@aws-appsync/eslint-plugin` (no-disallowed-methods, no-function-passing,
 * no-promise, ...). Where the two are silent the engine refuses rather than allows: code that runs
 * here must not be refused by AWS.
 */

/** AWS's limit on the size of a resolver's or function's code. */
export const MAX_CODE_LENGTH = 32_768;

/** The modules APPSYNC_JS code may import. */
export const UTILS_MODULE = '@aws-appsync/utils';
export const DYNAMODB_MODULE = '@aws-appsync/utils/dynamodb';
export const ALLOWED_MODULES: ReadonlySet<string> = new Set([UTILS_MODULE, DYNAMODB_MODULE]);

/** The named exports of `@aws-appsync/utils` that exist at run time (types are erased by esbuild). */
export const UTILS_EXPORTS: ReadonlySet<string> = new Set(['util', 'runtime', 'extensions']);

/**
 * Built-ins of JavaScript that APPSYNC_JS does not offer. They are refused when code names them,
 * and removed from the sandbox's globals.
 */
export const BANNED_GLOBALS: ReadonlySet<string> = new Set([
  'Promise',
  'Proxy',
  'Reflect',
  'eval',
  'Function',
  'Symbol',
  'Map',
  'Set',
  'WeakMap',
  'WeakSet',
  'WeakRef',
  'FinalizationRegistry',
  'AggregateError',
  'Atomics',
  'SharedArrayBuffer',
  'ArrayBuffer',
  'DataView',
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
  'BigInt',
  'Intl',
  'WebAssembly',
  'RegExp',
  'globalThis',
  'escape',
  'unescape',
]);

/** Static methods refused by `@aws-appsync/eslint-plugin` (no-disallowed-methods), by global. */
export const DENIED_STATIC_METHODS: Readonly<Record<string, ReadonlySet<string>>> = {
  Object: new Set([
    'create',
    'defineProperties',
    'defineProperty',
    'freeze',
    'getOwnPropertyDescriptor',
    'getOwnPropertyDescriptors',
    'getOwnPropertyNames',
    'getOwnPropertySymbols',
    'getPrototypeOf',
    'hasOwnProperty',
    'is',
    'isExtensible',
    'isFrozen',
    'isPrototypeOf',
    'isSealed',
    'preventExtensions',
    'propertyIsEnumerable',
    'seal',
    'setPrototypeOf',
    'toLocaleString',
    'toString',
    'valueOf',
  ]),
  Array: new Set(['from', 'of']),
  String: new Set(['fromCharCode', 'fromCodePoint', 'raw']),
};

/**
 * Prototype methods removed from the sandbox although their names are too common to refuse
 * statically (`entries`, `keys`, `values` are fine as `Object.keys(...)`): calling them on an
 * array or a string fails at run time, as it would in AppSync.
 */
export const REMOVED_PROTOTYPE_METHODS: Readonly<Record<'Array' | 'String' | 'Date' | 'Function', readonly string[]>> = {
  Array: ['copyWithin', 'entries', 'keys', 'values', 'toLocaleString', 'group', 'groupToMap'],
  String: ['charCodeAt', 'localeCompare', 'matchAll', 'padEnd', 'padStart', 'repeat', 'search', 'toLocaleLowerCase', 'toLocaleUpperCase'],
  Date: [
    'setDate',
    'setFullYear',
    'setHours',
    'setMilliseconds',
    'setMinutes',
    'setMonth',
    'setSeconds',
    'setTime',
    'setUTCDate',
    'setUTCFullYear',
    'setUTCHours',
    'setUTCMilliseconds',
    'setUTCMinutes',
    'setUTCMonth',
    'setUTCSeconds',
    'setYear',
    'toGMTString',
    'toLocaleDateString',
    'toLocaleString',
    'toLocaleTimeString',
  ],
  Function: ['apply', 'bind', 'call'],
};

/**
 * Names of removed prototype methods that supported methods share (`Object.keys(...)`,
 * `Number.prototype.toLocaleString`, …): a call by such a name cannot be refused without knowing
 * its receiver, so only the sandbox refuses it, at run time.
 */
const NAMES_SHARED_WITH_SUPPORTED_METHODS: ReadonlySet<string> = new Set(['entries', 'keys', 'values', 'toLocaleString', 'search']);

/**
 * Prototype methods refused by `@aws-appsync/eslint-plugin` whose names no supported method shares,
 * so a call by that name is refused at load without knowing the receiver's type.
 */
export const DENIED_INSTANCE_METHODS: ReadonlySet<string> = new Set(
  Object.values(REMOVED_PROTOTYPE_METHODS)
    .flat()
    .filter((name) => !NAMES_SHARED_WITH_SUPPORTED_METHODS.has(name)),
);

/**
 * The only calls that may receive a function: the array methods of no-function-passing in
 * `@aws-appsync/eslint-plugin`. Not `sort`: AWS refuses `sort(compareFn)` when the code is saved
 * ("@aws-appsync/no-function-passing: Functions can not be passed as an argument",
 * aws/aws-appsync-community#325); `sort()` without a comparator is fine.
 */
export const CALLBACK_METHODS: ReadonlySet<string> = new Set([
  'map',
  'filter',
  'reduce',
  'reduceRight',
  'forEach',
  'find',
  'findIndex',
  'findLast',
  'findLastIndex',
  'some',
  'every',
  'flatMap',
]);
