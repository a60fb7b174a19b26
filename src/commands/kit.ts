// `create-container-lambda kit new|check|test <dir>`: authoring an org starter kit.
//   new    a working kit with an example of each feature, and its own test (npm test)
//   check  the manifest against the schema and the built-in templates: one line per problem
//   test   renders every allowed runtime x event kind with the kit and validates each project
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { commitPlan } from '../commit.ts';
import { UserError } from '../errors.ts';
import { readManifest } from '../kit/load.ts';
import { addFiles, type Plan } from '../plan.ts';
import { builtinLayer, renderFolder } from '../templates/layers.ts';
import { TOOL } from '../version.ts';
import type { Output } from './new.ts';

const USAGE = 'create-container-lambda kit new|check|test <dir>';

export async function kitCommand(argv: string[], out: Output): Promise<void> {
  const { positionals, values } = parseArgs({ args: argv, options: { keep: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: false });
  const [action, dir, ...extra] = positionals;
  if (values.help || !action) {
    out.log([`Usage: ${USAGE}`, '  new <dir>     write a working kit with an example of each feature', '  check <dir>   validate its manifest and templates/ (one line per problem)', '  test <dir>    render every allowed runtime x event kind with it and validate each project (--keep keeps them)'].join('\n'));
    if (!action && !values.help) process.exitCode = 1;
    return;
  }
  if (!dir) throw new UserError(`kit ${action} needs the kit's folder`, `Run ${USAGE.replace('new|check|test', action)}`);
  if (extra.length) throw new UserError(`Too many arguments: ${extra.join(' ')}`, `Run ${USAGE}`);
  if (action === 'new') return kitNew(resolve(dir), dir, out);
  if (action === 'check') return kitCheck(resolve(dir), dir, out);
  if (action === 'test') return (await import('../kit/kit-test.ts')).kitTest(resolve(dir), dir, argv, Boolean(values.keep), out);
  throw new UserError(`Unknown kit command "${action}"`, `Run ${USAGE}`);
}

async function kitNew(root: string, shown: string, out: Output): Promise<void> {
  if (existsSync(root) && readdirSync(root).length > 0) throw new UserError(`Folder ${shown} is not empty`, 'Choose a new folder for the kit');
  const folder = basename(root);
  const name = folder.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[-._]+|-+$/g, '') || 'lambda-kit';
  const layer = builtinLayer();
  const context = { kit: { name, folder, toolRange: `^${TOOL.version}` } };
  const plan: Plan = { root, createRoot: true, files: [] };
  addFiles(plan, '', await renderFolder([layer], 'kit', context));
  // The override example: the built-in .gitignore with the org's own lines after it.
  const gitignore = (await layer.load('project/dot_gitignore')) as string;
  addFiles(plan, '', [{ path: 'templates/project/dot_gitignore', content: `${gitignore}\n# Ours: local credentials\n.aws/\n*.pem\n`, mode: 0o644 }]);
  commitPlan(plan);
  out.log(`Created kit ${name} in ${shown}: ${plan.files.length} files`);
  out.log(['', 'Next steps:', `  create-container-lambda kit check ${shown}`, `  create-container-lambda kit test ${shown}`, `  create-container-lambda my-app --kit ${shown}`].join('\n'));
}

function kitCheck(root: string, shown: string, out: Output): void {
  if (!existsSync(root)) throw new UserError(`No kit at ${shown}`, 'Pass the folder holding container-lambda-kit.json');
  const reading = readManifest(root);
  for (const problem of reading.problems) out.log(`${relative(process.cwd(), join(root)) || '.'}/${problem}`);
  if (reading.problems.length > 0) {
    out.warn(`${reading.problems.length} problem${reading.problems.length === 1 ? '' : 's'} in kit ${shown}`);
    process.exitCode = 1;
    return;
  }
  out.log(`Kit ${reading.manifest!.name} ${reading.manifest!.version} (${shown}/${reading.file}) is valid`);
}

/** A scratch folder for kit test's projects. */
export function scratchFolder(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'ccl-kit-test-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
