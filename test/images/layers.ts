// Layer-order check: a change to the handler's source alone must not re-run the dependency install step
// (`npm ci`, `pip install`, ...). Builds twice with buildah --layers, the handler file edited in between,
// and proves reuse twice over: buildah printed "Using cache" for every dependency step of the second
// build with the same step id as in the first, and both images share their bottom layers past the base.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EngineError, type ImageEngine } from './engine.ts';
import { findBase, imageTag, ScenarioError } from './invoke.ts';

export interface BuildStep {
  /** 1-based stage number and count ("[2/2] STEP ..."); 1/1 for single-stage builds. */
  stage: number;
  stages: number;
  index: number;
  total: number;
  /** The instruction as buildah printed it, e.g. "RUN npm ci". */
  instruction: string;
  cached: boolean;
  /** Short id buildah printed for the step's result ("--> 07be1d6f5ac"); absent for steps that made none. */
  id?: string;
}

/** Steps of a `buildah bud` output. */
export function parseSteps(output: string): BuildStep[] {
  const steps: BuildStep[] = [];
  let current: BuildStep | undefined;
  for (const line of output.split('\n')) {
    const step = /^(?:\[(\d+)\/(\d+)\] )?STEP (\d+)\/(\d+): (.*)$/.exec(line);
    if (step) {
      current = {
        stage: Number(step[1] ?? 1),
        stages: Number(step[2] ?? 1),
        index: Number(step[3]),
        total: Number(step[4]),
        instruction: step[5] ?? '',
        cached: false,
      };
      steps.push(current);
      continue;
    }
    if (/^(?:\[\d+\/\d+\] )?COMMIT\b/.test(line)) current = undefined;
    if (!current) continue;
    if (/^--> Using cache [0-9a-f]+/.test(line)) current.cached = true;
    const id = /^--> ([0-9a-f]{6,})$/.exec(line);
    if (id) current.id = id[1];
  }
  return steps;
}

/** RUN steps that install dependencies. */
export const DEPENDENCY_STEP = /^RUN\b.*\b(npm (ci|install|i)\b|pip3? install|python3? -m pip install|yarn( install)?\b|pnpm install|poetry install|uv (pip install|sync))/;

export interface LayerReuseOptions {
  engine: ImageEngine;
  scenario: string;
  functionDir: string;
  /** The handler's source file, relative to functionDir (e.g. "app.py", "src/app.ts"): the only file changed. */
  handlerFile: string;
  buildArgs?: Record<string, string>;
  dependencyStep?: RegExp;
}

export interface LayerReuseResult {
  scenario: string;
  dependencySteps: { stage: number; instruction: string; firstId?: string; secondId?: string; cached: boolean }[];
  /** Steps of the second build that ran again (the handler change reached them). */
  rebuiltSteps: string[];
  firstSeconds: number;
  secondSeconds: number;
  baseLayers: number;
  /** Bottom layers the two final images share. */
  sharedLayers: number;
  totalLayers: number;
}

export async function checkLayerReuse(opts: LayerReuseOptions): Promise<LayerReuseResult> {
  const { engine, scenario } = opts;
  const depRe = opts.dependencyStep ?? DEPENDENCY_STEP;
  const fail = (detail: string): never => {
    throw new ScenarioError(scenario, 'layers', detail);
  };
  const tagA = imageTag(`${scenario}-layers-a`);
  const tagB = imageTag(`${scenario}-layers-b`);
  const build = async (tag: string) => {
    try {
      return await engine.build(opts.functionDir, tag, { layers: true, buildArgs: opts.buildArgs });
    } catch (e) {
      return fail(e instanceof EngineError ? e.message : String(e));
    }
  };
  const file = join(opts.functionDir, opts.handlerFile);
  const original = await readFile(file, 'utf8');
  const first = await build(tagA);
  let second;
  try {
    const comment = opts.handlerFile.endsWith('.py') ? '#' : '//';
    await writeFile(file, `${original}${original.endsWith('\n') ? '' : '\n'}${comment} layer check ${Date.now()}\n`);
    second = await build(tagB);
  } finally {
    await writeFile(file, original);
  }
  const stepsA = parseSteps(first.output);
  const stepsB = parseSteps(second.output);
  const dependencySteps = stepsB
    .filter((s) => depRe.test(s.instruction))
    .map((s) => {
      const a = stepsA.find((x) => x.stage === s.stage && x.index === s.index && x.instruction === s.instruction);
      return { stage: s.stage, instruction: s.instruction, firstId: a?.id, secondId: s.id, cached: s.cached };
    });
  const rebuiltSteps = stepsB.filter((s) => !s.cached && s.id && !/^FROM\b/.test(s.instruction)).map((s) => `[${s.stage}/${s.stages}] ${s.instruction}`);
  const infoA = await engine.inspect(tagA);
  const infoB = await engine.inspect(tagB);
  const base = await findBase(engine, infoB);
  let shared = 0;
  while (shared < infoA.diffIds.length && infoA.diffIds[shared] === infoB.diffIds[shared]) shared++;
  const result: LayerReuseResult = {
    scenario,
    dependencySteps,
    rebuiltSteps,
    firstSeconds: first.ms / 1000,
    secondSeconds: second.ms / 1000,
    baseLayers: base?.info.diffIds.length ?? 0,
    sharedLayers: shared,
    totalLayers: infoB.diffIds.length,
  };
  await engine.remove(tagA);
  await engine.remove(tagB);
  if (dependencySteps.length === 0) fail(`no dependency step (${depRe}) among: ${stepsB.map((s) => s.instruction).join(' | ')}`);
  for (const d of dependencySteps) {
    if (!d.cached || !d.secondId || d.firstId !== d.secondId) {
      fail(`"${d.instruction}" (stage ${d.stage}) ran again after a change to ${opts.handlerFile} only (ids ${d.firstId} → ${d.secondId}): the dependency layer must come before the handler COPY`);
    }
  }
  if (first.id === second.id || rebuiltSteps.length === 0) fail(`the change to ${opts.handlerFile} did not reach the image (same image ${second.id.slice(0, 12)})`);
  const finalStage = Math.max(...stepsB.map((s) => s.stage));
  if (dependencySteps.some((d) => d.stage === finalStage) && shared <= result.baseLayers) {
    fail(`images share only ${shared} layer(s), the base's ${result.baseLayers}: the final stage's dependency layer was not reused`);
  }
  return result;
}
