// The rules read off image functions' Dockerfiles: the runtime of the image that runs (the final
// stage, or Metadata.DockerBuildTarget's) and where every stage's base image comes from. A function
// with a prebuilt ImageUri and no Metadata has no Dockerfile here: nothing to read.
import { existsSync, readFileSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { imageOfRuntime, lambdaRuntimeId, mirroredImage, officialImage, runtimeOfImage } from './base-images.ts';
import { readStages, type BuildArg, type Stage } from './dockerfile.ts';
import { isImage, valueOf, type Resource, type Template } from './template.ts';
import type { Context, Finding } from './types.ts';

interface ImageFunction {
  resource: Resource;
  /** The Dockerfile's path relative to the template's folder, `/`-separated. */
  file: string;
  /** Its stages; undefined when the file is missing. */
  stages?: Stage[];
  target?: string;
  /** The line of Metadata.DockerContext, for a missing Dockerfile. */
  line: number;
}

// Read each Dockerfile once per check run, however many functions and rules use it.
const cache = new WeakMap<Template, ImageFunction[]>();

function imageFunctions(t: Template): ImageFunction[] {
  const known = cache.get(t);
  if (known) return known;
  const out: ImageFunction[] = [];
  const texts = new Map<string, string | undefined>();
  for (const r of t.resources) {
    if (r.type !== 'AWS::Serverless::Function' || !isImage(t, r)) continue;
    const metadata = valueOf(t.nodes.find(r.node, ['Metadata']));
    const context = t.nodes.find(metadata, ['DockerContext']);
    const contextDir = t.nodes.text(valueOf(context));
    if (!contextDir || !context || context === 'unknown') continue;
    const name = t.nodes.text(valueOf(t.nodes.find(metadata, ['Dockerfile']))) ?? 'Dockerfile';
    const path = resolve(t.dir, contextDir, name);
    if (!texts.has(path)) texts.set(path, existsSync(path) ? readFileSync(path, 'utf8') : undefined);
    const text = texts.get(path);
    const file = relative(t.dir, path).split(sep).join('/');
    const buildArgs = new Map<string, BuildArg>();
    for (const e of t.nodes.entries(valueOf(t.nodes.find(metadata, ['DockerBuildArgs'])))) {
      const value = t.nodes.text(e.value);
      if (value !== undefined) buildArgs.set(e.key, { value, at: { file: t.file, line: e.line } });
    }
    const stages = text === undefined ? undefined : readStages(text, file, buildArgs);
    const target = t.nodes.text(valueOf(t.nodes.find(metadata, ['DockerBuildTarget'])))?.toLowerCase();
    out.push({ resource: r, file, stages, target, line: context.line });
  }
  cache.set(t, out);
  return out;
}

const missing = (t: Template, f: ImageFunction): Finding => ({
  file: t.file,
  line: f.line,
  message: `${f.resource.id}: ${f.file} not found; fix Metadata.DockerContext and Dockerfile`,
});
const unresolved = (f: ImageFunction, s: Stage): Finding => ({
  ...s.at,
  message: `${f.resource.id}: base image ${s.written} has a variable with no value; give its ARG a default`,
});

/** The stage that runs: the build target's or the last, followed down to the stage with an outside image. */
function runningStage(stages: Stage[], target?: string): Stage | undefined {
  let stage = stages.find((s) => target && s.name === target) ?? stages.at(-1);
  for (let i = 0; stage?.base !== undefined && i < stages.length; i++) stage = stages[stage.base];
  return stage;
}

export function imageRuntimes({ template: t, rules, baseImages }: Context): Finding[] {
  const allowed = rules.runtimes ?? [];
  const ids = allowed.map(lambdaRuntimeId);
  const expected = allowed.map((id) => {
    const image = imageOfRuntime(lambdaRuntimeId(id));
    return image ? `${mirroredImage(image, baseImages)} (${id})` : id;
  });
  const out: Finding[] = [];
  for (const f of imageFunctions(t)) {
    if (!f.stages) {
      out.push(missing(t, f));
      continue;
    }
    const stage = runningStage(f.stages, f.target);
    if (!stage) {
      out.push({ file: f.file, line: 1, message: `${f.resource.id}: ${f.file} has no FROM; start it FROM one of ${expected.join(', ')}` });
      continue;
    }
    if (stage.image === undefined) {
      out.push(unresolved(f, stage));
      continue;
    }
    const runtime = runtimeOfImage(officialImage(stage.image, baseImages));
    if (runtime && ids.includes(runtime)) continue;
    const what = runtime ? `is the ${runtime} runtime's, which is not allowed` : "is not one of the allowed runtimes' base images";
    out.push({ ...stage.at, message: `${f.resource.id}: base image ${stage.image} ${what}; use ${expected.join(', ')}` });
  }
  return out;
}

export function baseImagePrefixes({ template: t, rules }: Context): Finding[] {
  const prefixes = rules.baseImages ?? [];
  const out: Finding[] = [];
  for (const f of imageFunctions(t)) {
    if (!f.stages) {
      out.push(missing(t, f));
      continue;
    }
    for (const stage of f.stages) {
      // A stage built on an earlier one, and `scratch` (no image at all), pull nothing.
      if (stage.base !== undefined || stage.image?.toLowerCase() === 'scratch') continue;
      if (stage.image === undefined) out.push(unresolved(f, stage));
      else if (!prefixes.some((p) => stage.image!.startsWith(p))) {
        out.push({ ...stage.at, message: `${f.resource.id}: base image ${stage.image} is not from an allowed source; use an image starting with ${prefixes.join(' or ')}` });
      }
    }
  }
  return out;
}
