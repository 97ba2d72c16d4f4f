/**
 * The body of one Lambda execution environment: a child process (forked by functionRunner.ts) that
 * loads one function's handler from its code directory and runs the invocations its parent sends,
 * one at a time, as AWS's Node.js runtime does
 * (https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html):
 * - the handler is `file.export` resolved in the code directory (`.js`, `.mjs`, `.cjs`; CommonJS or ES module);
 * - it is called with `(event, context, callback)`: an async handler's promise, or the callback, gives the answer;
 * - a thrown error answers `{ errorType, errorMessage, trace }`, as the runtime serializes it;
 * - console output is written `time\trequestId\tLEVEL\tmessage`, as the runtime writes it to CloudWatch Logs.
 * Plain JavaScript on purpose: a function runs in plain Node.js, without this project's TypeScript loader.
 */
import { existsSync, readFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { format } from 'node:util';

const codeDirectory = process.env.LAMBDA_TASK_ROOT ?? process.cwd();
const handlerName = process.env._HANDLER ?? 'index.handler';
let currentRequestId;
/** The handler, loaded once (a failed load fails every invocation the same way, as a broken deployment does). */
let handlerPromise;

for (const [method, level] of [
  ['log', 'INFO'],
  ['info', 'INFO'],
  ['warn', 'WARN'],
  ['error', 'ERROR'],
  ['debug', 'DEBUG'],
  ['trace', 'TRACE'],
]) {
  console[method] = (...args) => {
    process.stdout.write(`${new Date().toISOString()}\t${currentRequestId ?? 'undefined'}\t${level}\t${format(...args)}\n`);
  };
}

/** The runtime's error shape: `Runtime.*` errors keep their type; any other thrown value is named by its class. */
function errorPayload(error, errorType) {
  if (error instanceof Error) {
    return {
      errorType: errorType ?? error.name ?? 'Error',
      errorMessage: error.message,
      trace: String(error.stack ?? '').split('\n'),
    };
  }
  return { errorType: errorType ?? typeof error, errorMessage: typeof error === 'string' ? error : JSON.stringify(error) };
}

class RuntimeError extends Error {
  constructor(type, message) {
    super(message);
    this.type = type;
  }
}

/**
 * Whether a `.js` file of the code directory is an ES module: only when a package.json inside the code
 * directory says `"type": "module"`. On AWS the code directory is the package's whole world (/var/task); here
 * it sits inside a project whose own package.json (`"type": "module"` in this one) must not decide.
 */
function isModuleScope(file) {
  for (let directory = path.dirname(file); directory.startsWith(codeDirectory); directory = path.dirname(directory)) {
    const manifest = path.join(directory, 'package.json');
    if (existsSync(manifest)) return JSON.parse(readFileSync(manifest, 'utf8')).type === 'module';
    if (directory === codeDirectory) break;
  }
  return false;
}

// `.js` files of the code directory outside a module scope compile as CommonJS, whatever package.json lies above it.
const compileJs = Module._extensions['.js'];
Module._extensions['.js'] = function (module, filename) {
  if (filename.startsWith(codeDirectory + path.sep) && !isModuleScope(filename)) module._compile(readFileSync(filename, 'utf8'), filename);
  else compileJs.call(this, module, filename);
};

/** `dir/file.export.nested` → the module `dir/file` and the export path `export.nested`, as the runtime splits it. */
async function loadHandler() {
  const slash = handlerName.lastIndexOf('/');
  const base = handlerName.slice(slash + 1);
  const dot = base.indexOf('.');
  if (dot < 0) throw new RuntimeError('Runtime.MalformedHandlerName', `Bad handler ${handlerName}`);
  const modulePath = path.resolve(codeDirectory, handlerName.slice(0, slash + 1) + base.slice(0, dot));
  const exportPath = base.slice(dot + 1).split('.');
  const file = ['.js', '.mjs', '.cjs'].map((extension) => modulePath + extension).find((candidate) => existsSync(candidate));
  if (!file) {
    throw new RuntimeError('Runtime.ImportModuleError', `Error: Cannot find module '${path.relative(codeDirectory, modulePath)}'`);
  }
  let loaded;
  try {
    const commonJs = file.endsWith('.cjs') || (file.endsWith('.js') && !isModuleScope(file));
    loaded = commonJs ? { default: createRequire(file)(file) } : await import(pathToFileURL(file).href);
  } catch (error) {
    throw new RuntimeError('Runtime.ImportModuleError', `${error?.name ?? 'Error'}: ${error?.message ?? String(error)}`);
  }
  // A CommonJS module's exports are the default export of `import()`; named exports only where Node can see them.
  let handler = exportPath.reduce((value, key) => value?.[key], loaded);
  if (typeof handler !== 'function') handler = exportPath.reduce((value, key) => value?.[key], loaded.default);
  if (typeof handler !== 'function') {
    throw new RuntimeError('Runtime.HandlerNotFound', `${path.basename(modulePath)}.${exportPath.join('.')} is undefined or not exported`);
  }
  return handler;
}

/** The context object: https://docs.aws.amazon.com/lambda/latest/dg/nodejs-context.html */
function contextFor(invocation) {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: invocation.invokedFunctionArn,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: invocation.requestId,
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    getRemainingTimeInMillis: () => Math.max(0, invocation.deadline - Date.now()),
  };
}

/** Runs the handler once: resolves with its answer, rejects with what it threw or passed to the callback. */
function runHandler(handler, invocation) {
  return new Promise((resolve, reject) => {
    let settled = false;
    const callback = (error, result) => {
      if (settled) return;
      settled = true;
      if (error !== undefined && error !== null) reject(error);
      else resolve(result);
    };
    const returned = handler(invocation.event, contextFor(invocation), callback);
    // An async handler answers with its promise; a callback handler (three parameters) with the callback; a plain
    // function's return value is not the answer (the runtime answers null), as documented for non-async handlers.
    if (returned && typeof returned.then === 'function')
      returned.then(
        (result) => callback(null, result),
        (error) => callback(error ?? new Error('null')),
      );
    else if (handler.length < 3) callback(null, null);
  });
}

function send(message) {
  process.send?.(message);
}

process.on('message', async (invocation) => {
  currentRequestId = invocation.requestId;
  try {
    const handler = await handlerPromise;
    const result = await runHandler(handler, invocation);
    send({ requestId: invocation.requestId, payload: result === undefined ? null : JSON.parse(JSON.stringify(result) ?? 'null') });
  } catch (error) {
    send({ requestId: invocation.requestId, error: errorPayload(error, error instanceof RuntimeError ? error.type : undefined) });
  }
});

// An error no handler caught ends the environment, as the runtime does; the parent answers the invocation with it.
for (const event of ['uncaughtException', 'unhandledRejection']) {
  process.on(event, (error) => {
    const type = event === 'unhandledRejection' ? 'Runtime.UnhandledPromiseRejection' : undefined;
    send({ requestId: currentRequestId, error: errorPayload(error, type), fatal: true });
    process.exitCode = 129;
    setImmediate(() => process.exit(129));
  });
}

// The server went away (even killed outright): end with it, so no environment outlives the runtime that started it.
process.on('disconnect', () => process.exit(0));

// The init phase: the module loads before the first invocation, outside its timeout, as Lambda's init does.
handlerPromise = loadHandler();
handlerPromise.then(
  () => send({ ready: true }),
  () => send({ ready: true }),
);
