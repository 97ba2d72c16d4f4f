import vm from 'node:vm';
import { BANNED_GLOBALS, REMOVED_PROTOTYPE_METHODS, DENIED_STATIC_METHODS } from '../check/languageRules.ts';

/**
 * Helpers compiled inside the sandbox, so the objects they build have the sandbox's prototypes:
 * nothing the handler can reach leads back to Node (a host object's `constructor.constructor` is
 * Node's `Function`, which could compile `return process`).
 */
export interface SandboxHelpers {
  /** Copy host data into the sandbox with JSON's rules (functions and undefined dropped, toJSON honoured). */
  toSandbox(value: unknown): unknown;
  /** Make a sandbox view of a host library (util, runtime, ...): functions are wrapped, results copied in. */
  wrapHost(value: unknown): unknown;
  /** Build a handler's `ctx` from host parts, copying each part into the sandbox once (`args` is `arguments`). */
  makeContext(parts: Record<string, unknown>): Record<string, unknown>;
  /** Define a global of the sandbox (util, runtime, extensions, console). */
  defineGlobal(name: string, value: unknown): void;
  /**
   * The module loader handed to the module's code: a sandbox function (a Node function there
   * would lead to Node's `Function` through `.constructor`).
   */
  makeImporter(modules: Record<string, unknown>): (name: string) => unknown;
}

/** The global through which a time-limited call passes its handler and context (see `callWithTimeout`). */
export const INVOKE_SLOT = '__appsyncJsSlot__';

export interface Realm {
  context: vm.Context;
  helpers: SandboxHelpers;
  /** A sandbox object, global as `__appsyncJsSlot__`, through which `callWithTimeout` passes a call. */
  slot: { fn?: unknown; ctx?: unknown; out?: unknown };
}

// Runs once per realm, before any user code, in strict mode. It captures the intrinsics it needs
// first: user code may later shadow nothing global (module code cannot), but it could try to
// monkey-patch prototypes, which `lockDown` freezes anyway.
const HELPERS_SOURCE = `(function (bannedGlobals, removedMethods, deniedStatics) {
  'use strict';
  const isArray = Array.isArray;
  const keys = Object.keys;
  const defineProperty = Object.defineProperty;
  const freeze = Object.freeze;
  const ArrayConstructor = Array;
  const TypeErrorConstructor = TypeError;
  const MAX_DEPTH = 1000;
  const global = globalThis;
  // Taken before Function.prototype.call is removed below: a bound function needs no lookup later.
  const errorToString = Function.prototype.call.bind(Error.prototype.toString);

  // Inbound data is JSON data (the request, data source results, util results): no toJSON to
  // honour, and for-in over a plain object is the fastest walk V8 offers here.
  function toSandbox(value, depth) {
    if (value === null) return null;
    const type = typeof value;
    if (type !== 'object') return type === 'function' || type === 'symbol' || type === 'bigint' ? undefined : value;
    const level = (depth || 0) + 1;
    if (level > MAX_DEPTH) throw new TypeErrorConstructor('Converting circular structure to JSON');
    if (isArray(value)) {
      const out = new ArrayConstructor(value.length);
      for (let i = 0; i < value.length; i += 1) {
        const item = toSandbox(value[i], level);
        out[i] = item === undefined ? null : item;
      }
      return out;
    }
    const out = {};
    for (const name in value) {
      const item = toSandbox(value[name], level);
      if (item === undefined) continue;
      if (name === '__proto__') defineProperty(out, name, { value: item, enumerable: true, writable: true, configurable: true });
      else out[name] = item;
    }
    return out;
  }

  function wrapFunction(hostFunction) {
    return function (...args) {
      const result = hostFunction(...args);
      return result === undefined || result === null || typeof result !== 'object' ? (typeof result === 'function' ? undefined : result) : toSandbox(result, 0);
    };
  }

  function wrapHost(value, depth) {
    const level = (depth || 0) + 1;
    if (typeof value === 'function') return wrapFunction(value);
    if (value === null || typeof value !== 'object') return value;
    if (level > 16) return undefined;
    if (isArray(value)) return toSandbox(value, 0);
    const out = {};
    for (const name of keys(value)) out[name] = wrapHost(value[name], level);
    return freeze(out);
  }

  function makeContext(parts) {
    const args = toSandbox(parts.arguments, 0) ?? {};
    const ctx = {
      arguments: args,
      args,
      identity: parts.identity === undefined ? null : toSandbox(parts.identity, 0),
      source: parts.source === undefined ? null : toSandbox(parts.source, 0),
      request: toSandbox(parts.request, 0) ?? { headers: {}, domainName: null },
      info: toSandbox(parts.info, 0) ?? {},
      stash: toSandbox(parts.stash, 0) ?? {},
    };
    if (parts.prev !== undefined) ctx.prev = toSandbox(parts.prev, 0);
    if (parts.result !== undefined) ctx.result = toSandbox(parts.result, 0);
    if (parts.error !== undefined) ctx.error = toSandbox(parts.error, 0);
    if (parts.env !== undefined) ctx.env = toSandbox(parts.env, 0);
    return ctx;
  }

  function makeImporter(hostModules) {
    const table = {};
    for (const name of keys(hostModules)) table[name] = hostModules[name];
    return function (name) { return table[name]; };
  }

  function defineGlobal(name, value) {
    defineProperty(global, name, { value, writable: false, enumerable: false, configurable: false });
  }

  // Errors of this realm format their own stack, in V8's default form ("TypeError: m", then
  // "    at f (code.js:3:5)" per frame), whatever formatter the host process installed. Node asks
  // the realm that created an error for its Error.prepareStackTrace before the main realm's
  // (lib/internal/errors.js, maybeOverridePrepareStackTrace). Why it matters: since V8 change
  // 4459251 (after V8 11.3: Node 22 and 24, not Node 20) 'stack' is a JavaScript accessor of the
  // error's realm, so V8 builds the CallSite frames in this realm, whose functions have no
  // call/apply/bind (removed below); a host formatter that calls frame.getFileName.call(frame), as
  // vite's module runner and source-map-support do, then throws. On Node 20 the frames are the
  // reader's (Node's own objects), which is also why handlers must never reach them: Error is
  // frozen with this formatter in place. Frames are joined through their own toString, which needs
  // neither call nor bind.
  function prepareStackTrace(error, frames) {
    let text;
    try {
      text = errorToString(error);
    } catch (ignored) {
      text = '<error>';
    }
    for (let i = 0; i < frames.length; i += 1) text += '\\n    at ' + frames[i];
    return text;
  }
  defineProperty(Error, 'prepareStackTrace', { value: prepareStackTrace, writable: false, enumerable: false, configurable: false });

  // What APPSYNC_JS does not offer: banned built-ins, then methods AWS does not implement.
  for (const name of bannedGlobals) delete global[name];
  delete global.console;
  for (const owner of keys(removedMethods)) {
    const prototype = owner === 'Function' ? (function () {}).constructor.prototype : global[owner].prototype;
    for (const name of removedMethods[owner]) delete prototype[name];
  }
  for (const owner of keys(deniedStatics)) {
    for (const name of deniedStatics[owner]) delete global[owner][name];
  }

  // Freeze the intrinsics: module code runs many times in this realm, and a handler that patched
  // Array.prototype would otherwise leak into every later request. (Measured: making prototype
  // properties read-only one by one instead is not faster overall, and leaves V8's prototypes in
  // dictionary mode.)
  function lockDown() {
    const roots = [Object, Array, String, Number, Boolean, Date, Math, JSON, Error, TypeError, RangeError,
      SyntaxError, ReferenceError, EvalError, URIError, (function () {}).constructor];
    for (const root of roots) {
      freeze(root);
      if (root.prototype) freeze(root.prototype);
    }
  }

  return { toSandbox, wrapHost, makeContext, defineGlobal, makeImporter, lockDown };
})`;

/**
 * Create a sandbox realm with the globals of APPSYNC_JS: the ECMAScript built-ins AWS supports
 * (Object, Array, String, Number, Boolean, Math, JSON, Date, errors, parseInt...), and nothing of
 * Node (no process, require, setTimeout, fetch, Buffer, globalThis). Code generation from strings
 * (eval, the Function constructor reached through `(() => {}).constructor`) and WebAssembly are
 * disabled at the V8 level. Errors of the realm format their own stack (V8's default form), whatever
 * `Error.prepareStackTrace` the host process installed.
 *
 * Call `define` for util/runtime/extensions/console, then `lock` before running user code.
 */
export function createRealm(): Realm & { define(globals: Record<string, unknown>): void; lock(): void } {
  const context = vm.createContext(Object.create(null) as object, {
    name: 'APPSYNC_JS',
    codeGeneration: { strings: false, wasm: false },
  });
  const factory = new vm.Script(HELPERS_SOURCE, { filename: 'appsync-js-engine:realm' }).runInContext(context) as (
    banned: string[],
    removed: Record<string, readonly string[]>,
    statics: Record<string, string[]>,
  ) => SandboxHelpers & { lockDown(): void };
  const helpers = factory(
    [...BANNED_GLOBALS],
    { ...REMOVED_PROTOTYPE_METHODS },
    Object.fromEntries(Object.entries(DENIED_STATIC_METHODS).map(([owner, names]) => [owner, [...names]])),
  );
  const slot = helpers.toSandbox({}) as Realm['slot'];
  return {
    context,
    helpers,
    slot,
    define(globals) {
      for (const [name, value] of Object.entries(globals)) helpers.defineGlobal(name, value);
    },
    lock() {
      helpers.defineGlobal(INVOKE_SLOT, slot);
      helpers.lockDown();
    },
  };
}

const invokeScript = new vm.Script(`${INVOKE_SLOT}.out = ${INVOKE_SLOT}.fn(${INVOKE_SLOT}.ctx)`, { filename: 'appsync-js-engine:invoke' });

/**
 * Call a sandbox function with a time limit: V8 interrupts it after `timeoutMs` (an infinite
 * for-of, say). Costs a watchdog thread per call (tens of microseconds), so it is opt-in.
 */
export function callWithTimeout(realm: Realm, fn: (ctx: unknown) => unknown, ctx: unknown, timeoutMs: number): unknown {
  const { slot } = realm;
  slot.fn = fn;
  slot.ctx = ctx;
  try {
    invokeScript.runInContext(realm.context, { timeout: timeoutMs });
    return slot.out;
  } finally {
    slot.fn = undefined;
    slot.ctx = undefined;
    slot.out = undefined;
  }
}
