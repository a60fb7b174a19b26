// Generator for `add`: a new function in an existing SAM project. New files are created; the
// template, samconfig.toml, scripts/project.sh (or an older project's ECR script) and ecr.yaml are
// edited by adding text only.
import { basename, dirname, join, relative } from 'node:path';
import { UserError } from '../src/errors.ts';
import type { Answers } from '../src/options.ts';
import type { Plan, PlannedFile } from '../src/plan.ts';
import { insertFragment } from '../src/sam/edit-template.ts';
import type { TemplateReading } from '../src/sam/read-template.ts';
import type { ProjectFacts } from '../src/project/defaults.ts';
import { addImageRepository, addToFunctionList } from '../src/project/side-files.ts';
import { ECR_STACK_FILE, addToEcrStack } from '../src/sam/ecr-stack.ts';
import type { Layer } from '../src/templates/layers.ts';
import { planFunction, type FunctionSetting } from './function.ts';
import type { KitSettings } from '../src/kit/settings.ts';
import { CONFIG_FILE, functionRecord, withFunction } from '../src/project/config.ts';
import { TOOL } from '../src/version.ts';
import { disk, type ProjectFiles } from '../src/project/files.ts';

export interface AddOptions {
  templatePath: string;
  /** The template, read by readTemplate. */
  reading?: TemplateReading;
  facts: ProjectFacts;
  /** Write into an existing function folder of that name. */
  force: boolean;
  /** The org kit the function is made with, and the answers to its prompts. */
  kit?: { settings: KitSettings; answers?: Record<string, string | boolean> };
  /** Where the project's files are read from: the disk, or memory (update's renders). */
  files?: ProjectFiles;
}

/** What the kit sets that the template's Globals do not: it goes on the function itself. */
function kitOnFunction(k: KitSettings, facts: ProjectFacts): FunctionSetting['onFunction'] {
  const tags = Object.fromEntries(Object.entries(k.tags ?? {}).filter(([key, value]) => facts.globalTags[key] !== value));
  const properties: Record<string, unknown> = {};
  if (k.vpc && !facts.globalKeys.includes('VpcConfig')) properties.VpcConfig = k.vpc;
  for (const [key, value] of Object.entries(k.globals ?? {})) if (!facts.globalKeys.includes(key)) properties[key] = value;
  return { tags: Object.keys(tags).length ? tags : undefined, properties, parameters: k.parameters };
}

function edit(fs: ProjectFiles, root: string, path: string, after: string | undefined): PlannedFile[] {
  if (after === undefined) return [];
  const before = fs.read(join(root, path));
  return [{ path, content: after, mode: fs.mode(join(root, path)), action: 'edit', before }];
}

/** A folder that exists under another case (Orders vs orders) clashes on case-insensitive disks. */
function folderClash(fs: ProjectFiles, root: string, dir: string): string | undefined {
  return fs.list(join(root, dirname(dir))).find((name) => name.toLowerCase() === basename(dir).toLowerCase());
}

export async function planAddFunction(layers: Layer[], a: Answers, o: AddOptions): Promise<Plan> {
  const root = dirname(o.templatePath);
  const fs = o.files ?? disk;
  const templateFile = basename(o.templatePath);
  if (o.facts.globalArch && o.facts.globalArch !== a.arch) {
    throw new UserError(`The template's Globals set Architectures to ${o.facts.globalArch}`, `Leave out --arch ${a.arch}: SAM adds a function's architectures to those of Globals`);
  }
  const kit = o.kit?.settings;
  const onFunction = kit ? kitOnFunction(kit, o.facts) : undefined;
  const fn = await planFunction(layers, a, {
    service: o.facts.name,
    effectiveTimeout: a.timeout ?? o.facts.globalTimeout,
    tracing: a.tracing,
    traced: a.tracing || o.facts.globalTracing || onFunction?.properties?.Tracing === 'Active',
    permissionsBoundary: kit?.permissionsBoundary ?? o.facts.permissionsBoundary,
    kit,
    onFunction,
    inVpc: o.facts.globalKeys.includes('VpcConfig') || Boolean(onFunction?.properties?.VpcConfig),
    memory: a.memory,
    timeout: a.timeout,
    inheritArchitectures: Boolean(o.facts.globalArch),
    ignoreGlobals: o.facts.zipGlobals,
  });
  // The template first: a clash with an existing resource is the clearer message.
  const text = o.reading?.text ?? fs.read(o.templatePath);
  const updated = insertFragment(text, fn.fragment, relative(process.cwd(), o.templatePath) || templateFile, o.reading);
  const clash = folderClash(fs, root, fn.dir);
  if (clash && !o.force) {
    throw new UserError(`${join(dirname(fn.dir), clash)} already exists`, 'Choose another function name, or pass --force to write into that folder');
  }

  const files: PlannedFile[] = [
    ...fn.files.map((f) => ({ ...f, path: `${fn.dir}/${f.path}`, action: 'create' as const })),
    // Sample events are shared by the functions of a project: an existing one is kept as it is.
    ...fn.eventFiles.filter((f) => !fs.exists(join(root, f.path))).map((f) => ({ ...f, action: 'create' as const })),
  ];
  // The lists beside the template: each edited only when it exists and has the list.
  const folder = fn.context.folder;
  const project = fs.exists(join(root, 'scripts/project.sh')) ? /^PROJECT="([^"]+)"/m.exec(fs.read(join(root, 'scripts/project.sh')))?.[1] : undefined;
  const sides: [string, (text: string) => string | undefined][] = [
    ['samconfig.toml', (text) => addImageRepository(text, a.functionId, folder)],
    ['scripts/project.sh', (text) => addToFunctionList(text, a.functionId, folder, a.arch)],
    // Projects generated before scripts/project.sh: the list is in the ECR script, without architectures.
    ['scripts/ecr-setup.sh', (text) => addToFunctionList(text, a.functionId, folder)],
    [ECR_STACK_FILE, (text) => addToEcrStack(text, a.functionId, `${project ?? o.facts.name}/${folder}`, kit?.tags)],
  ];
  for (const [side, change] of sides) {
    if (!fs.exists(join(root, side))) continue;
    files.push(...edit(fs, root, side, change(fs.read(join(root, side)))));
  }
  // What the function was made with, for update: recorded beside the template (a new file in a
  // repository this tool did not make).
  const record = functionRecord(a, TOOL, o.kit?.answers);
  const configPath = join(root, CONFIG_FILE);
  if (fs.exists(configPath)) files.push(...edit(fs, root, CONFIG_FILE, withFunction(fs.read(configPath), record)));
  else files.push({ path: CONFIG_FILE, content: withFunction(undefined, record), mode: 0o644, action: 'create' });
  // The template last: it is written after everything else is in place.
  files.push({ path: templateFile, content: updated, mode: fs.mode(o.templatePath), action: 'edit', before: text });
  return { root, createRoot: false, files };
}
