// Stand-in Lambda runtime for Node.js: the emulator contract of our stand-in base images.
// (Runs inside the stand-in image under its own Node.js 22 or 24; not part of the package; never used in AWS.)
//
// Contract (shared with bootstrap.py; /lambda-entrypoint.sh execs this file with the image's CMD as arguments):
//   /lambda-entrypoint.sh HANDLER
//     HANDLER  as in Lambda: "[dir/]module.export[.nested]", relative to $LAMBDA_TASK_ROOT (/var/task).
//   The event is the JSON text of the file named by $STANDIN_EVENT_FILE, else standard input
//   (empty input means {}). One invocation per process.
//   Standard output carries exactly one JSON document and nothing else: the handler's result
//   (undefined becomes null). Everything the handler prints goes to standard error.
//   Exit 0: the handler returned a result.
//   Exit 1: the handler threw or rejected, or init failed; stdout is Lambda's error shape
//           {"errorType", "errorMessage", "trace"}, with Lambda's names for init failures:
//           Runtime.MalformedHandlerName, Runtime.ImportModuleError, Runtime.UserCodeSyntaxError,
//           Runtime.HandlerNotFound, Runtime.MarshalError (and our own Runtime.CallbackHandlerDeprecated
//           for a callback handler on Node 24); and "Sandbox.Timedout" after
//           $AWS_LAMBDA_FUNCTION_TIMEOUT seconds (default 3).
//   Exit 64: no handler given.
//
// The module is found the way the Lambda Node.js runtime interface client does it: an extensionless
// file, then MODULE.js (CommonJS unless the nearest package.json says "type": "module"), then .mjs,
// then .cjs, then a package of that name under node_modules. A handler may be async (its promise
// settles the invocation) or, below Node 24, take a callback as third argument.
// The context object has Lambda's fields; the AWS_* variables Lambda sets get defaults if unset.
import { existsSync, readFileSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { randomUUID } from 'node:crypto';

const writeOut = (text) => writeSync(1, `${text}\n`);
// The handler's own prints belong to the logs (stderr), never to the result on stdout.
process.stdout.write = process.stderr.write.bind(process.stderr);

class RuntimeError extends Error {
  constructor(type, message, cause) {
    super(message);
    this.name = type;
    if (cause) this.stack = `${type}: ${message}\n${cause.stack ?? ''}`;
  }
}

function fail(err) {
  const body = {
    errorType: err?.name ?? typeof err,
    errorMessage: err?.message ?? String(err),
    trace: String(err?.stack ?? '').split('\n').filter(Boolean),
  };
  writeOut(JSON.stringify(body));
  process.exit(1);
}

function succeed(result) {
  let text;
  try {
    text = JSON.stringify(result === undefined ? null : result);
  } catch (e) {
    fail(new RuntimeError('Runtime.MarshalError', `Unable to stringify response body: ${e.message}`, e));
  }
  writeOut(text ?? 'null');
  process.exit(0);
}

const fullHandler = process.argv[2];
if (!fullHandler) {
  process.stderr.write('usage: /lambda-entrypoint.sh HANDLER   (event on stdin or in $STANDIN_EVENT_FILE)\n');
  process.exit(64);
}

const taskRoot = process.env.LAMBDA_TASK_ROOT ?? '/var/task';
const defaults = {
  AWS_LAMBDA_FUNCTION_NAME: 'standin-function',
  AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128',
  AWS_LAMBDA_FUNCTION_TIMEOUT: '3',
  AWS_REGION: 'us-east-1',
  AWS_DEFAULT_REGION: 'us-east-1',
  _HANDLER: fullHandler,
};
for (const [k, v] of Object.entries(defaults)) process.env[k] ??= v;

function hasTypeModule(file) {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const pj = join(dir, 'package.json');
    if (existsSync(pj)) {
      try {
        return JSON.parse(readFileSync(pj, 'utf8')).type === 'module';
      } catch {
        return false;
      }
    }
    if (dir === dirname(dir)) return false;
  }
}

async function loadModule(appRoot, moduleRoot, moduleName) {
  const base = resolve(appRoot, moduleRoot, moduleName);
  const req = createRequire(import.meta.url); // every path given to it is absolute or has explicit search paths
  const tryRequire = (file) => (existsSync(file) ? req(file) : undefined);
  const tryImport = async (file) => (existsSync(file) ? import(pathToFileURL(file).href) : undefined);
  const extensionless = tryRequire(base);
  if (extensionless) return extensionless;
  const esm = hasTypeModule(`${base}.js`);
  if (!esm) {
    const cjs = tryRequire(`${base}.js`);
    if (cjs) return cjs;
  }
  const loaded =
    (esm && (await tryImport(`${base}.js`))) || (await tryImport(`${base}.mjs`)) || tryRequire(`${base}.cjs`);
  if (loaded) return loaded;
  return req(req.resolve(moduleName, { paths: [appRoot, resolve(appRoot, moduleRoot)] }));
}

async function init() {
  if (fullHandler.includes('..')) {
    throw new RuntimeError(
      'Runtime.MalformedHandlerName',
      `'${fullHandler}' is not a valid handler name. Use absolute paths when specifying root directories in handler names.`,
    );
  }
  const slash = fullHandler.lastIndexOf('/');
  const moduleRoot = fullHandler.slice(0, slash + 1);
  const handlerPart = fullHandler.slice(slash + 1);
  const match = /^([^.]*)\.(.*)$/.exec(handlerPart);
  if (!match) throw new RuntimeError('Runtime.MalformedHandlerName', `Bad handler ${fullHandler}`);
  const [, moduleName, path] = match;
  let mod;
  try {
    mod = await loadModule(taskRoot, moduleRoot, moduleName);
  } catch (e) {
    if (e instanceof SyntaxError) throw new RuntimeError('Runtime.UserCodeSyntaxError', String(e), e);
    if (e?.code === 'MODULE_NOT_FOUND' || e?.code === 'ERR_MODULE_NOT_FOUND') {
      throw new RuntimeError('Runtime.ImportModuleError', String(e), e);
    }
    throw e;
  }
  let fn = mod;
  for (const key of path.split('.')) fn = fn?.[key];
  if (typeof fn !== 'function') {
    throw new RuntimeError('Runtime.HandlerNotFound', `${fullHandler} is undefined or not exported`);
  }
  return fn;
}

function readEvent() {
  const file = process.env.STANDIN_EVENT_FILE;
  const text = file ? readFileSync(file, 'utf8') : readFileSync(0, 'utf8');
  return text.trim() === '' ? {} : JSON.parse(text);
}

function makeContext(deadline) {
  const name = process.env.AWS_LAMBDA_FUNCTION_NAME;
  const region = process.env.AWS_REGION;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: name,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: `arn:aws:lambda:${region}:000000000000:function:${name}`,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: 'standin/[$LATEST]0',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
}

try {
  const handler = await init();
  const event = readEvent();
  const seconds = Number(process.env.AWS_LAMBDA_FUNCTION_TIMEOUT) || 3;
  const deadline = Date.now() + seconds * 1000;
  const timer = setTimeout(() => fail(new RuntimeError('Sandbox.Timedout', `Task timed out after ${seconds.toFixed(2)} seconds`)), seconds * 1000);
  const context = makeContext(deadline);
  const major = Number(process.versions.node.split('.')[0]);
  let settled = false;
  let callbackResult;
  const callback = (err, result) => {
    if (settled) return;
    settled = true;
    if (err) fail(err instanceof Error ? err : new RuntimeError('Error', String(err)));
    else if (context.callbackWaitsForEmptyEventLoop) callbackResult = { result };
    else succeed(result);
  };
  const isAsync = handler.constructor?.name === 'AsyncFunction';
  if (major >= 24 && handler.length >= 3 && !isAsync) {
    // Node.js 24 runtimes no longer call back-style handlers (the error type is this emulator's own name).
    throw new RuntimeError('Runtime.CallbackHandlerDeprecated', `${fullHandler} takes a callback, which Node.js ${major} runtimes no longer support; make it async`);
  }
  if (major < 24 && handler.length >= 3 && !isAsync) {
    timer.unref(); // lets the event loop empty, which ends a callback-style invocation
    process.on('beforeExit', () => succeed(callbackResult?.result ?? null));
    const returned = handler(event, context, callback);
    if (returned && typeof returned.then === 'function') succeed(await returned);
  } else {
    succeed(await handler(event, context));
  }
} catch (e) {
  fail(e);
}
