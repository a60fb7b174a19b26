// `create-container-lambda add <FunctionName>`: a new function in an existing SAM project, which
// this tool may not have generated. Nothing changes unless every check passes; --dry-run prints
// the diff of each edited file and the list of created files.
import { existsSync, readFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { resolveAnswers, type Given } from '../answers.ts';
import type { KitInUse } from '../kit/use.ts';
import type { Answers } from '../options.ts';
import type { Parsed } from '../args.ts';
import { commitPlan } from '../commit.ts';
import { UserError } from '../errors.ts';
import { QUESTIONS, sizing, type Question } from '../options.ts';
import { runSteps } from '../post.ts';
import { projectFacts } from '../project/defaults.ts';
import { runtimeAndLanguage, support } from '../registry/runtimes.ts';
import { readTemplate } from '../sam/read-template.ts';
import { builtinLayer } from '../templates/layers.ts';
import type { Plan } from '../plan.ts';
import type { Output } from './new.ts';
import { planAddFunction } from '../../generators/add.ts';

const TEMPLATE_NAMES = ['template.yaml', 'template.yml', 'template.json'];

/** `add`'s questions: new's less the project ones, the function's name first; memory and timeout inherit unless given. */
export const ADD_QUESTIONS: Question[] = [
  ...QUESTIONS.filter((q) => q.key === 'functionId').map((q) => ({ ...q, required: true, prompt: 'Function name (a CloudFormation logical ID)', default: () => undefined })),
  ...QUESTIONS.filter((q) => !q.projectOnly && !['dir', 'functionId'].includes(q.key)).map((q) =>
    // Unset, a function inherits the template's Globals; an app template's own sizing is set on it.
    q.key === 'memory' || q.key === 'timeout' ? { ...q, optional: true, default: (a: Partial<Answers>) => sizing(a, q.key as 'memory' | 'timeout') } : q,
  ),
];

export function findTemplate(dir: string, given?: string): string {
  if (given) {
    const path = resolve(dir, given);
    if (!existsSync(path)) throw new UserError(`No template at ${given}`, 'Pass --template the path of the SAM template');
    return path;
  }
  const found = TEMPLATE_NAMES.map((name) => join(dir, name)).find((p) => existsSync(p));
  if (!found) throw new UserError(`No SAM template in ${relative(process.cwd(), dir) || '.'}`, `Run add in the project folder, or pass --dir or --template (looked for ${TEMPLATE_NAMES.join(', ')})`);
  return found;
}

export async function addFunction(parsed: Parsed, options: { dir?: string; template?: string }, out: Output, use?: KitInUse): Promise<void> {
  const { switches } = parsed;
  // With --yes nothing is asked: stdin is left alone (reading isTTY sets up a stream).
  const interactive = !switches.yes && Boolean(process.stdin.isTTY) && !switches['no-interactive'];

  // 1. The project: its template (a SAM template, or nothing changes) and what it already uses.
  const projectDir = resolve(options.dir ?? '.');
  const templatePath = findTemplate(projectDir, options.template);
  const text = readFileSync(templatePath, 'utf8');
  const reading = readTemplate(text, relative(process.cwd(), templatePath));
  const facts = projectFacts(templatePath, reading.doc);

  // 2. Answers: flags, then prompts or the project's defaults; the kit narrows them.
  const mode = { yes: Boolean(switches.yes), interactive };
  const kit = use?.kit;
  const questions = kit ? (await import('../kit/questions.ts')).kitQuestions(kit, ADD_QUESTIONS) : ADD_QUESTIONS;
  const answers = await resolveAnswers(parsed.given, mode, questions, facts.defaults);
  const onKit = use ? await kitFunctionOptions(use, parsed, mode, answers) : undefined;
  const runtimeSupport = support(answers.runtime);
  if (runtimeSupport.status !== 'supported') out.warn(`warning: ${runtimeSupport.message}`);

  // 3. The plan: new files, and the edits (template last).
  const plan = await planAddFunction([...(kit?.layers ?? []), builtinLayer()], { ...answers, dir: projectDir, name: facts.name }, { templatePath, reading, facts, force: Boolean(switches.force), kit: onKit });
  if (use) {
    const fnDir = plan.files.find((f) => f.path.endsWith('/Dockerfile'))?.path.replace(/\/Dockerfile$/, '');
    await (await import('../kit/generators.ts')).addGeneratedFiles(plan, use, { ...answers, ...onKit!.settings.context.answers, ...onKit!.answers, functionDir: fnDir }, ['function']);
    // The template stays the last file written.
    plan.files.sort((x, y) => Number(x.path === basename(templatePath)) - Number(y.path === basename(templatePath)));
  }
  if (switches['dry-run']) {
    out.log(await describeChanges(plan));
    return;
  }

  // 4. Write: created files first, then the edits, each through a sibling file and a rename.
  commitPlan(plan);
  out.log(`Added ${answers.functionId} (${answers.runtime}, ${answers.arch}) to ${relative(process.cwd(), templatePath) || templatePath}`);
  for (const f of plan.files) out.log(`  ${f.action === 'create' ? 'created' : 'updated'} ${f.path}`);

  // 5. Dependencies, so the lockfile exists.
  const { language } = runtimeAndLanguage(answers.runtime, answers.language);
  const fnDir = plan.files.find((f) => f.path.endsWith('/Dockerfile'))?.path.replace(/\/Dockerfile$/, '');
  if (language?.install && fnDir && !switches['no-install']) {
    const [result] = await runSteps(projectDir, [{ title: `Installing dependencies of ${answers.functionId}`, cwd: fnDir, command: language.install }], (line) => out.log(`  ${line}`));
    if (result && !result.ok) out.log(`  warning: the install failed (${result.detail}); run \`${language.install.join(' ')}\` in ${fnDir}`);
  }
  // An app template's own sample event (events/<app>-<kind>.json) where it has one, as `new` says.
  const kind = answers.events[0] !== 'none' ? answers.events[0] : undefined;
  const event = kind && [`events/${answers.appTemplate}-${kind}.json`, `events/${kind}.json`].find((f) => plan.files.some((p) => p.path === f) || existsSync(join(projectDir, f)));
  out.log(`\nNext: sam build && sam local invoke ${answers.functionId}${event ? ` --event ${event}` : ''}`);
}

/** The kit's prompts (the project's recorded answers unless a flag says otherwise) and settings. */
async function kitFunctionOptions(use: KitInUse, parsed: Parsed, mode: { yes: boolean; interactive: boolean }, answers: Answers) {
  const { promptQuestions, asKitAnswers } = await import('../kit/questions.ts');
  const { kitSettings } = await import('../kit/settings.ts');
  const recorded = use.recordedAnswers;
  const asked = promptQuestions(use.kit, answers).map((q) => (q.key in recorded ? { ...q, default: () => recorded[q.key] as never } : q));
  const kitAnswers = asKitAnswers(await resolveAnswers(parsed.kitGiven as Given, { ...mode, yes: mode.yes || Object.keys(recorded).length > 0 }, asked), use.kit);
  const settings = await kitSettings(use.kit, kitAnswers);
  return { settings, answers: kitAnswers };
}

/** What --dry-run prints: a unified diff of every edited file and the list of created ones. */
export async function describeChanges(plan: Plan): Promise<string> {
  const { createTwoFilesPatch } = await import('diff');
  const parts: string[] = [];
  for (const f of plan.files.filter((x) => x.action === 'edit')) {
    parts.push(createTwoFilesPatch(`a/${f.path}`, `b/${f.path}`, f.before ?? '', f.content, undefined, undefined, { context: 3 }).replace(/^=+\n/, ''));
  }
  const created = plan.files.filter((x) => x.action === 'create');
  parts.push(`Would create ${created.length} files:`, ...created.map((f) => `  + ${f.path}`), 'Nothing was written (--dry-run).');
  return parts.join('\n');
}
