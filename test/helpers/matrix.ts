// Every runtime variant the registry offers (runtime x language x build tool), generated in-process
// through the same generator and commit step as the CLI: fast enough to cover every variant, both
// architectures and every event kind in one test run.
import { join } from 'node:path';
import { commitPlan } from '../../src/commit.ts';
import type { Answers } from '../../src/options.ts';
import { EVENTS } from '../../src/registry/events.ts';
import { RUNTIMES, type Arch, type Language, type Runtime } from '../../src/registry/runtimes.ts';
import { builtinLayer } from '../../src/templates/layers.ts';
import { planProject } from '../../generators/project.ts';
import { scratch } from './cli.ts';

export interface Variant {
  /** python3.13, nodejs22.x-typescript, java21-maven, provided.al2023-go ... */
  name: string;
  runtime: Runtime;
  language: Language;
  buildTool: string;
}

export const VARIANTS: Variant[] = RUNTIMES.flatMap((runtime) =>
  runtime.languages.flatMap((language) =>
    (language.buildTools?.map((t) => t.id) ?? ['']).map((buildTool) => ({
      name: [runtime.id, runtime.languages.length > 1 ? language.id : '', buildTool].filter(Boolean).join('-'),
      runtime,
      language,
      buildTool,
    })),
  ),
);

export const EVENT_KINDS = EVENTS.map((e) => e.id);

export interface Generated {
  variant: Variant;
  arch: Arch;
  events: string[];
  dir: string;
}

const workspace = scratch('matrix');
process.on('exit', () => workspace.remove());
const made = new Map<string, Promise<Generated>>();

/** Generates (once per test run) a project for a variant, architecture and list of events. */
export function generate(variant: Variant, arch: Arch, events: string[], extra: Partial<Answers> = {}): Promise<Generated> {
  const key = [variant.name, arch, events.join('+'), JSON.stringify(extra)].join(' ');
  let result = made.get(key);
  if (!result) {
    const dir = join(workspace.dir, `p${made.size}`);
    result = (async () => {
      const answers: Answers = {
        dir,
        name: 'demo',
        allowDeprecated: false,
        functionId: 'HelloFunction',
        runtime: variant.runtime.id,
        language: variant.language.id,
        buildTool: variant.buildTool,
        appTemplate: 'hello',
        privateIndex: '',
        arch,
        events,
        memory: 512,
        timeout: 10,
        logRetention: 30,
        tracing: false,
        powertools: false,
        ci: 'none',
        ecr: 'script',
        ...extra,
      };
      const plan = await planProject([builtinLayer()], answers, { root: dir, createRoot: true, install: false, tool: { name: 'create-container-lambda', version: '0.0.0' } });
      commitPlan(plan);
      return { variant, arch, events, dir };
    })();
    made.set(key, result);
  }
  return result;
}
