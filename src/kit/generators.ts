// A kit's generators/: plop generators in JavaScript, the one part of a kit that runs code. They run
// only when the kit is trusted (--trust-kit, recorded), into an empty scratch folder, never into the
// project: what they write joins the plan like every other file, so --dry-run shows it and a failure
// leaves the disk untouched. `project` runs for a new project, `function` for every function.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { Plan } from '../plan.ts';
import type { KitInUse } from './use.ts';
import { UserError } from '../errors.ts';
import type { RenderedFile } from '../templates/layers.ts';
import type { Kit } from './kit.ts';

export type GeneratorName = 'project' | 'function';

function filesUnder(root: string, dir = root): RenderedFile[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return filesUnder(root, path);
    return [{ path: relative(root, path).split('\\').join('/'), content: readFileSync(path, 'utf8'), mode: statSync(path).mode & 0o777 }];
  });
}

/** The files the kit's generators of that name write, given every answer; [] for a kit without generators/. */
export async function runKitGenerators(kit: Kit, trusted: boolean, name: GeneratorName, answers: Record<string, unknown>): Promise<RenderedFile[]> {
  if (kit.plopfiles.length === 0) return [];
  if (!trusted) {
    throw new UserError(`Kit ${kit.name} has generators/ (JavaScript), which run only when you trust the kit`, 'Read them, then pass --trust-kit (it is recorded, so later adds run them too)');
  }
  const { default: nodePlop } = await import('node-plop');
  const scratch = mkdtempSync(join(tmpdir(), 'ccl-kit-'));
  try {
    for (const plopfile of kit.plopfiles) {
      const plop = await nodePlop(plopfile, { destBasePath: scratch, force: false });
      if (!plop.getGeneratorList().some((g) => g.name === name)) continue;
      const { failures } = await plop.getGenerator(name).runActions(answers);
      const failure = failures.find((f) => f.error);
      if (failure) throw new UserError(`Kit ${kit.name}'s ${name} generator failed: ${String(failure.error).split('\n')[0]}`, `Fix ${relative(process.cwd(), plopfile)}; nothing was written`);
    }
    return filesUnder(scratch);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** What the kit's generators write joins the plan; they may add files, never replace the tool's. */
export async function addGeneratedFiles(plan: Plan, use: KitInUse, answers: Record<string, unknown>, names: GeneratorName[], prefix = ''): Promise<void> {
  const { runKitGenerators } = await import('../kit/generators.ts');
  for (const name of names) {
    for (const file of await runKitGenerators(use.kit, use.trusted, name, answers)) {
      const path = prefix ? `${prefix}/${file.path}` : file.path;
      if (plan.files.some((f) => f.path === path) || (!plan.createRoot && existsSync(join(plan.root, path)))) {
        throw new UserError(`Kit ${use.kit.name}'s ${name} generator writes ${path}, which exists`, 'Change the generator to write a file of its own; nothing was written');
      }
      plan.files.push({ ...file, path, action: 'create' });
    }
  }
}

