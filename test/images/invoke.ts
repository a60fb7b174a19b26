// buildAndInvoke: builds one function folder's Dockerfile unchanged, then runs its handler in the image once
// per sample event through the stand-in's emulator (contract: test/images/standin/bootstrap.mjs / .py).
// Every failure is a ScenarioError whose message starts with "[scenario] phase:".
import { readFile } from 'node:fs/promises';
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
  /** What the handler (and runtime) printed: stderr of the container. */
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
  /** Extra environment for the handler, e.g. AWS_LAMBDA_FUNCTION_TIMEOUT. */
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
    buildMs = (await engine.build(opts.functionDir, tag, { layers: opts.layers, buildArgs: opts.buildArgs })).ms;
  } catch (e) {
    throw new ScenarioError(scenario, 'build', e instanceof EngineError ? e.message : String(e));
  }
  const info = await engine.inspect(tag);
  const base = await findBase(engine, info);
  if (!base) throw new ScenarioError(scenario, 'inspect', `cannot tell which local image ${tag} was built FROM`);
  const results: InvokeResult[] = [];
  for (const event of opts.events) {
    results.push(await invoke(engine, scenario, tag, event, opts.env));
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

/** Runs the image's own ENTRYPOINT + CMD once with the event on stdin; throws a ScenarioError unless the handler returned a result. */
export async function invoke(engine: ImageEngine, scenario: string, image: string, event: SampleEvent, env?: Record<string, string>): Promise<InvokeResult> {
  const text = await readFile(event.path, 'utf8');
  const r = await engine.run(image, undefined, text, { env });
  const where = `event "${event.name}"`;
  let doc: unknown;
  try {
    doc = JSON.parse(r.stdout);
  } catch {
    throw new ScenarioError(
      scenario,
      'invoke',
      `${where}: exit ${r.code}${r.timedOut ? ' (timed out)' : ''}, no JSON on stdout (${JSON.stringify(r.stdout.slice(0, 200))})\n${tail(r.stderr)}`,
    );
  }
  if (r.code !== 0) {
    const err = (doc ?? {}) as { errorType?: string; errorMessage?: string };
    throw new ScenarioError(
      scenario,
      'invoke',
      `${where}: handler failed: ${err.errorType ?? 'unknown error'}: ${err.errorMessage ?? r.stdout.trim()}\n${tail(r.stderr, 10)}`.trimEnd(),
    );
  }
  return { event: event.name, result: doc, logs: r.stderr, ms: r.ms };
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
