// Generator for a new project: the project files, the first function, and template.yaml.
import { basename } from 'node:path';
import { addFiles, comparePaths, type Plan } from '../src/plan.ts';
import { renderFolder, type Layer } from '../src/templates/layers.ts';
import { projectTemplate } from '../src/sam/project-template.ts';
import type { Answers } from '../src/options.ts';
import { planFunction } from './function.ts';
import { CONFIG_FILE, functionRecord } from '../src/project/config.ts';
import { findCi } from '../src/registry/ci.ts';
import { ACTIONS, STAGES, TOOLCHAINS } from '../src/registry/ci/github.ts';
import { ECR_STACK_FILE, ecrStack } from '../src/sam/ecr-stack.ts';
import { relativeRecord, type RecordedKit } from '../src/kit/kit.ts';
import type { KitAnswers, KitSettings } from '../src/kit/settings.ts';

export interface ProjectOptions {
  /** Absolute path of the project folder. */
  root: string;
  /** Whether the root folder is created (false when writing into an existing one with --force). */
  createRoot: boolean;
  /** Whether dependencies are installed after writing (the README then skips that step). */
  install: boolean;
  tool: { name: string; version: string };
  /** The org kit the project is made with, and the answers to its prompts. */
  kit?: { settings: KitSettings; record: RecordedKit; answers: KitAnswers };
}

/** What a kit adds to Globals.Function of a new project. */
function kitGlobals(k: KitSettings | undefined): Record<string, unknown> {
  if (!k) return {};
  return {
    PermissionsBoundary: k.permissionsBoundary,
    VpcConfig: k.vpc,
    Tags: k.tags,
    PropagateTags: k.tags ? true : undefined,
    ...k.globals,
  };
}


export async function planProject(layers: Layer[], a: Answers, o: ProjectOptions): Promise<Plan> {
  // Tracing is set for every function in Globals (projectTemplate), not on the function.
  const kit = o.kit?.settings;
  const fn = await planFunction(layers, a, {
    service: a.name,
    effectiveTimeout: a.timeout,
    tracing: false,
    traced: a.tracing || kit?.globals?.Tracing === 'Active',
    permissionsBoundary: kit?.permissionsBoundary,
    kit,
    inVpc: Boolean(kit?.vpc ?? kit?.globals?.VpcConfig),
  });
  const project = {
    name: a.name,
    /** ECR repository names are lowercase. */
    repository: a.name.toLowerCase(),
    folder: basename(o.root),
    description: `${a.name}: AWS Lambda functions packaged as container images`,
    memory: a.memory,
    timeout: a.timeout,
    installed: o.install,
    /** ecr.yaml is generated (--ecr cloudformation). */
    ecrStack: a.ecr === 'cloudformation',
    /** The kit's tags for the ECR repositories ecr-setup.sh makes: as the AWS CLI takes them, and as it lists them. */
    repositoryTags: kit?.tags && {
      json: JSON.stringify(Object.entries(kit.tags).map(([Key, Value]) => ({ Key, Value }))),
      lines: Object.entries(kit.tags).map(([key, value]) => `${key}\t${value}`).join('\n'),
    },
  };
  const ci = findCi(a.ci) ?? findCi('none')!;
  const stages = STAGES.map((s, i) => ({ ...s, stackName: `${a.name}-${s.id}`, after: i === 0 ? 'build' : `deploy-${STAGES[i - 1]!.id}` }));
  const context = { project, fn: fn.context, functions: [fn.context], tool: o.tool, ci: { id: ci.id, actions: ACTIONS, toolchains: TOOLCHAINS, stages }, kit: kit?.context };

  const plan: Plan = { root: o.root, createRoot: o.createRoot, files: [] };
  addFiles(plan, '', [
    {
      path: 'template.yaml',
      content: projectTemplate({
        description: project.description,
        memory: a.memory,
        timeout: a.timeout,
        tracing: a.tracing,
        fragments: [fn.fragment],
        globals: kitGlobals(kit),
        parameters: kit?.parameters,
        httpApiTags: a.events.includes('http-api') ? kit?.tags : undefined,
      }),
      mode: 0o644,
    },
  ]);
  if (project.ecrStack) addFiles(plan, '', [{ path: ECR_STACK_FILE, content: ecrStack(project, [fn.context], kit?.tags), mode: 0o644 }]);
  addFiles(plan, '', await renderFolder(layers, 'project', context));
  // The CI system's files, when one is chosen (--ci).
  if (ci.templates) addFiles(plan, '', await renderFolder(layers, ci.templates, context));
  addFiles(plan, '', ci.files?.() ?? []);
  addFiles(plan, '', fn.eventFiles);
  addFiles(plan, fn.dir, fn.files);
  const recorded = {
    tool: o.tool,
    answers: { ...a, dir: undefined },
    installed: o.install,
    ...(o.kit ? { kit: relativeRecord(o.kit.record, o.root), kitAnswers: o.kit.answers } : {}),
    functions: { [a.functionId]: functionRecord(a, o.tool, o.kit?.answers) },
  };
  addFiles(plan, '', [{ path: CONFIG_FILE, content: `${JSON.stringify(recorded, null, 2)}\n`, mode: 0o644 }]);
  plan.files.sort((x, y) => comparePaths(x.path, y.path));
  return plan;
}
