// buildAndInvoke: builds one function folder's Dockerfile unchanged, then runs the image as the AWS docs
// show (`run -p <port>:8080`: the base image's entrypoint starts the Runtime Interface Emulator and the
// runtime interface client) and POSTs each sample event to the emulator. Every failure is a
// ScenarioError whose message starts with "[scenario] phase:".
import { readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { EngineError, tail, type ImageEngine, type ImageInfo } from './engine.ts';
import { STANDIN_LABEL } from './standins.ts';

export type Phase = 'build' | 'inspect' | 'invoke' | 'contents' | 'layers';

export class ScenarioError extends Error {
  constructor(
    readonly scenario: string,
    readonly phase: Phase,
    detail: string,
  ) {
    super(`[${scenario}] ${phase}: ${detail}`);
    this.name = 'ScenarioError';
  }
}

export interface SampleEvent {
  name: string;
  /** A JSON file on the host. */
  path: string;
}

export interface InvokeResult {
  event: string;
  /** The handler's JSON result. */
  result: unknown;
  /** What the container (emulator, runtime, handler) printed during this invocation. */
  logs: string;
  ms: number;
}

export interface BuildAndInvokeOptions {
  engine: ImageEngine;
  scenario: string;
  /** A folder with a Dockerfile (the build context). */
  functionDir: string;
  events: SampleEvent[];
  /** Image name to build; default localhost/cclambda-test/<scenario>:latest. */
  tag?: string;
  buildArgs?: Record<string, string>;
  /** buildah --layers (reuse of cached steps); default false. */
  layers?: boolean;
  /** Host folders mounted into the build's RUN steps (download caches). */
  volumes?: Record<string, string>;
  /** Extra environment for the container, e.g. AWS_LAMBDA_FUNCTION_TIMEOUT. */
  env?: Record<string, string>;
}

export interface BuildAndInvokeResult {
  scenario: string;
  image: string;
  imageId: string;
  baseImage: string;
  /** Bytes of the image's layers above its base image's layers. */
  bytesAboveBase: number;
  imageBytes: number;
  buildSeconds: number;
  results: InvokeResult[];
}

export function imageTag(scenario: string): string {
  return `localhost/cclambda-test/${scenario.toLowerCase().replace(/[^a-z0-9._-]+/g, '-')}:latest`;
}

export async function buildAndInvoke(opts: BuildAndInvokeOptions): Promise<BuildAndInvokeResult> {
  const { engine, scenario } = opts;
  const tag = opts.tag ?? imageTag(scenario);
  let buildMs: number;
  try {
    buildMs = (await engine.build(opts.functionDir, tag, { layers: opts.layers, buildArgs: opts.buildArgs, volumes: opts.volumes })).ms;
  } catch (e) {
    throw new ScenarioError(scenario, 'build', e instanceof EngineError ? e.message : String(e));
  }
  const info = await engine.inspect(tag);
  const base = await findBase(engine, info);
  if (!base) throw new ScenarioError(scenario, 'inspect', `cannot tell which local image ${tag} was built FROM`);
  const results: InvokeResult[] = [];
  if (opts.events.length) {
    const fn = await startFunction(engine, scenario, tag, opts.env);
    try {
      for (const event of opts.events) results.push(await invokeRunning(engine, fn, event));
    } finally {
      await stopFunction(engine, fn);
    }
  }
  return {
    scenario,
    image: tag,
    imageId: info.id,
    baseImage: base.name,
    bytesAboveBase: info.size - base.info.size,
    imageBytes: info.size,
    buildSeconds: buildMs / 1000,
    results,
  };
}

/** A function image running in the background: the emulator listens on 127.0.0.1:port. */
export interface RunningFunction {
  scenario: string;
  image: string;
  container: string;
  port: number;
  /** How much of the container's standard output and error earlier invocations already took. */
  logOffset: { stdout: number; stderr: number };
  /** End-of-invocation lines of the emulator seen so far in the log. */
  invocations: number;
}

/** A TCP port on 127.0.0.1 that nothing listens on now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Runs the image as the AWS documentation shows (`docker run -p <port>:8080 IMAGE`): its own ENTRYPOINT
 * and CMD, so the base image's /lambda-entrypoint.sh starts the Runtime Interface Emulator. An image
 * whose ENTRYPOINT is not /lambda-entrypoint.sh (an OS-only function's own executable) is run as the
 * docs say for those: `--entrypoint /usr/local/bin/aws-lambda-rie` with its ENTRYPOINT + CMD as arguments.
 */
export async function startFunction(engine: ImageEngine, scenario: string, image: string, env?: Record<string, string>, hostLoopback = false): Promise<RunningFunction> {
  const info = await engine.inspect(image);
  const own = info.entrypoint.length > 0 && info.entrypoint[0] !== '/lambda-entrypoint.sh';
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    try {
      const container = await engine.start(image, {
        env,
        hostLoopback,
        ports: { 8080: port },
        ...(own ? { entrypoint: '/usr/local/bin/aws-lambda-rie', cmd: [...info.entrypoint, ...info.cmd] } : {}),
      });
      return { scenario, image, container, port, logOffset: { stdout: 0, stderr: 0 }, invocations: 0 };
    } catch (e) {
      lastError = e; // most likely the port was taken in between: another one
    }
  }
  throw new ScenarioError(scenario, 'invoke', `cannot start ${image}: ${lastError instanceof Error ? lastError.message : String(lastError)}`);
}

export async function stopFunction(engine: ImageEngine, fn: RunningFunction): Promise<void> {
  await engine.stopContainer(fn.container);
}

interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function post(port: number, path: string, body: string, timeoutMs: number): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer in ${timeoutMs / 1000} s`)));
    req.on('error', reject);
    req.end(body);
  });
}

export const INVOKE_PATH = '/2015-03-31/functions/function/invocations';

/**
 * POSTs one sample event to the running function's emulator and returns the handler's JSON result;
 * throws a ScenarioError (with the container's new log lines) when the handler or runtime failed.
 * The first request of a container is retried while the emulator is not listening yet.
 */
export async function invokeRunning(engine: ImageEngine, fn: RunningFunction, event: SampleEvent, timeoutMs = 120_000): Promise<InvokeResult> {
  const text = await readFile(event.path, 'utf8');
  const where = `event "${event.name}"`;
  const started = performance.now();
  const newLogs = async (all?: { stdout: string; stderr: string }) => {
    const now = all ?? (await engine.logs(fn.container).catch(() => ({ stdout: '', stderr: '' })));
    const fresh = now.stdout.slice(fn.logOffset.stdout) + now.stderr.slice(fn.logOffset.stderr);
    fn.logOffset = { stdout: now.stdout.length, stderr: now.stderr.length };
    return fresh;
  };
  let answer: HttpAnswer | undefined;
  for (;;) {
    try {
      answer = await post(fn.port, INVOKE_PATH, text, timeoutMs);
      break;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? '';
      const early = ['ECONNREFUSED', 'ECONNRESET', 'EPIPE'].includes(code) || /socket hang up/.test((e as Error).message);
      const state = await engine.state(fn.container).catch(() => ({ running: false, exitCode: -1 }));
      if (!early || !state.running || performance.now() - started > 30_000) {
        const why = state.running ? (e as Error).message : `the container exited (code ${state.exitCode})`;
        throw new ScenarioError(fn.scenario, 'invoke', `${where}: POST ${INVOKE_PATH} on 127.0.0.1:${fn.port}: ${why}\n${tail(await newLogs(), 15)}`.trimEnd());
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  const ms = performance.now() - started;
  // podman's log file lags behind the answer: wait (3 s at most) for a new end-of-invocation line of
  // the emulator ("REPORT RequestId", or "Invoke DONE failed"), so each invocation gets its own lines
  const ends = (x: { stdout: string; stderr: string }) => ((x.stdout + x.stderr).match(/REPORT RequestId|Invoke DONE failed/g) ?? []).length;
  let all = { stdout: '', stderr: '' };
  for (let i = 0; i < 30; i++) {
    all = await engine.logs(fn.container).catch(() => all);
    if (ends(all) > fn.invocations) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  fn.invocations = Math.max(fn.invocations + 1, ends(all));
  const logs = await newLogs(all);
  let doc: unknown;
  try {
    doc = JSON.parse(answer.body);
  } catch {
    throw new ScenarioError(fn.scenario, 'invoke', `${where}: HTTP ${answer.status}, not JSON: ${JSON.stringify(answer.body.slice(0, 300))}\n${tail(logs, 15)}`.trimEnd());
  }
  const err = doc as { errorType?: unknown; errorMessage?: unknown } | null;
  const failed = answer.status !== 200 || (!!err && typeof err === 'object' && typeof err.errorMessage === 'string' && ('errorType' in err || 'stackTrace' in err));
  if (failed) {
    throw new ScenarioError(
      fn.scenario,
      'invoke',
      `${where}: handler failed (HTTP ${answer.status}): ${String(err?.errorType ?? 'unknown error')}: ${String(err?.errorMessage ?? answer.body.slice(0, 300))}\n${tail(logs, 10)}`.trimEnd(),
    );
  }
  return { event: event.name, result: doc, logs, ms };
}

/** Starts the image, invokes it once with the event, stops it. */
export async function invoke(engine: ImageEngine, scenario: string, image: string, event: SampleEvent, env?: Record<string, string>): Promise<InvokeResult> {
  const fn = await startFunction(engine, scenario, image, env);
  try {
    return await invokeRunning(engine, fn, event);
  } finally {
    await stopFunction(engine, fn);
  }
}

/**
 * The local image this one was built FROM: the name buildah recorded (org.opencontainers.image.base.name),
 * else the stand-in whose layers are the longest prefix of this image's layers.
 */
export async function findBase(engine: ImageEngine, info: ImageInfo): Promise<{ name: string; info: ImageInfo } | undefined> {
  const isPrefix = (base: ImageInfo) => base.diffIds.length <= info.diffIds.length && base.diffIds.every((d, i) => info.diffIds[i] === d);
  if (info.baseName && (await engine.exists(info.baseName))) {
    const base = await engine.inspect(info.baseName);
    if (isPrefix(base)) return { name: info.baseName, info: base };
  }
  let best: { name: string; info: ImageInfo } | undefined;
  for (const image of await engine.images()) {
    const name = image.names[0];
    if (!name) continue;
    const candidate = await engine.inspect(name);
    if (!candidate.labels[STANDIN_LABEL] || !isPrefix(candidate)) continue;
    if (!best || candidate.diffIds.length > best.info.diffIds.length) best = { name, info: candidate };
  }
  return best;
}
