// What a release renders for `update`: one recorded step of a project's history (the `new` that made
// it, or one `add`), applied to the project held in memory exactly as the command wrote it then.
// `update` replays the steps, each with the release that made it (the base) and all with the release
// updated to (theirs). This is the library interface between releases: the step and its fields stay
// stable, and the project is a map of `/`-separated relative paths to { content, mode }.
import { basename, join, resolve } from 'node:path';
import type { Plan } from '../plan.ts';
import { inMemory } from '../project/files.ts';
import type { Answers } from '../options.ts';
import { builtinLayer } from '../templates/layers.ts';
import { readTemplate } from '../sam/read-template.ts';
import { projectFacts } from '../project/defaults.ts';
import type { Kit, RecordedKit } from '../kit/kit.ts';
import type { KitAnswers } from '../kit/settings.ts';
import { TOOL } from '../version.ts';
import { planProject } from '../../generators/project.ts';
import { planAddFunction } from '../../generators/add.ts';
import { functionDir } from '../../generators/function.ts';

export interface RenderStep {
  /** `new` makes the project folder; `add` adds a function to it; `skeleton` writes the bare template a foreign repository's functions are added to. */
  kind: 'new' | 'add' | 'skeleton';
  /** The answers recorded for the step (new: the project's; add: the function's). */
  answers: Partial<Answers>;
  /** The answers to the kit's prompts. */
  kitAnswers?: KitAnswers;
  /** The kit: the version a project recorded (opened from the cache, verified), or a source to fetch. */
  kit?: { record: RecordedKit } | { source: string; trusted: boolean };
  /** Where relative kit sources are resolved from: the project folder. */
  base: string;
  /** new: whether dependencies were installed (the README then skips that step). */
  installed?: boolean;
  /** The project folder's name. */
  folder: string;
}

export type ProjectTree = Map<string, { content: string; mode: number }>;

/** A SAM template with no function: what the functions of a repository this tool did not make are added to. */
export const SKELETON = "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources: {}\n";

async function openStepKit(step: RenderStep): Promise<{ kit: Kit; trusted: boolean } | undefined> {
  if (!step.kit) return undefined;
  const { loadKit, openKit } = await import('../kit/kit.ts');
  if ('record' in step.kit) return { kit: await openKit(step.kit.record, step.base), trusted: Boolean(step.kit.record.trusted) };
  return { kit: await loadKit(step.kit.source, step.base, step.kit.trusted), trusted: step.kit.trusted };
}

/** The plan's files put into the tree, as the command would have written them. */
function apply(tree: ProjectTree, plan: Plan): void {
  for (const f of plan.files) {
    if (f.action === 'delete') tree.delete(f.path);
    else tree.set(f.path, { content: f.content, mode: f.mode });
  }
}

/** Renders `step` into `tree` (new: an empty one). Returns the kit it rendered with. */
export async function renderStep(tree: ProjectTree, step: RenderStep): Promise<RecordedKit | undefined> {
  // Where the project would be: a folder of its name that is never written (nothing is).
  if (step.kind === 'skeleton') {
    tree.set('template.yaml', { content: SKELETON, mode: 0o644 });
    return undefined;
  }
  const dir = resolve('/', '.create-container-lambda-render', step.folder);
  const files = inMemory(dir, tree);
  const opened = await openStepKit(step);
  const use = opened && { kit: opened.kit, trusted: opened.trusted, recordedAnswers: step.kitAnswers ?? {} };
  const layers = [...(opened?.kit.layers ?? []), builtinLayer()];
  const settings = opened && (await (await import('../kit/settings.ts')).kitSettings(opened.kit, step.kitAnswers ?? {}));
  if (step.kind === 'new') {
    const answers = { ...step.answers, dir } as Answers;
    const kit = opened && settings ? { settings, record: opened.kit.record, answers: step.kitAnswers ?? {} } : undefined;
    const plan = await planProject(layers, answers, { root: dir, createRoot: true, install: step.installed ?? true, tool: TOOL, kit });
    if (use) await (await import('../kit/generators.ts')).addGeneratedFiles(plan, use, { ...answers, ...step.kitAnswers, functionDir: functionDir(answers.functionId) }, ['project', 'function']);
    apply(tree, plan);
    return opened?.kit.record;
  }
  const templatePath = ['template.yaml', 'template.yml', 'template.json'].map((f) => join(dir, f)).find((p) => files.exists(p))!;
  const reading = readTemplate(files.read(templatePath), basename(templatePath));
  const facts = projectFacts(templatePath, reading.doc, files);
  const answers = { ...step.answers, dir, name: facts.name } as Answers;
  const plan = await planAddFunction(layers, answers, { templatePath, reading, facts, force: false, kit: settings && { settings, answers: step.kitAnswers }, files });
  if (use && settings) {
    const fnDir = plan.files.find((f) => f.path.endsWith('/Dockerfile'))?.path.replace(/\/Dockerfile$/, '');
    await (await import('../kit/generators.ts')).addGeneratedFiles(plan, use, { ...answers, ...settings.context.answers, ...step.kitAnswers, functionDir: fnDir }, ['function']);
  }
  apply(tree, plan);
  return opened?.kit.record;
}
