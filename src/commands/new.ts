// `create-container-lambda [new] <dir>`: the main flow, top to bottom.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { resolveAnswers, type Given } from '../answers.ts';
import type { KitInUse } from '../kit/use.ts';
import type { Parsed } from '../args.ts';
import { commitPlan, describePlan } from '../commit.ts';
import type { Plan } from '../plan.ts';
import { UserError } from '../errors.ts';
import { QUESTIONS, type Answers } from '../options.ts';
import { gitSteps, insideGitRepo, runSteps, type PostStep } from '../post.ts';
import { findRuntime, runtimeAndLanguage, support } from '../registry/runtimes.ts';
import { builtinLayer } from '../templates/layers.ts';
import { TOOL } from '../version.ts';
import { planProject } from '../../generators/project.ts';
import { functionDir } from '../../generators/function.ts';

export interface Output {
  log(line: string): void;
  warn(line: string): void;
}

export async function newProject(parsed: Parsed, out: Output, use?: KitInUse): Promise<void> {
  const { switches } = parsed;
  // With --yes nothing is asked: stdin is left alone (setting it up costs a stream).
  const interactive = !switches.yes && Boolean(process.stdin.isTTY) && !switches['no-interactive'];
  const mode = { yes: Boolean(switches.yes), interactive };

  // 1. Answers: flags first, then prompts (or defaults with --yes); a kit narrows and presets them.
  const kit = use?.kit;
  const answers = await resolveAnswers(parsed.given, mode, kit ? (await import('../kit/questions.ts')).kitQuestions(kit, QUESTIONS) : QUESTIONS);
  const kitPart = use ? await kitPlanOptions(use, parsed, mode, answers) : undefined;
  const runtimeSupport = support(answers.runtime);
  if (runtimeSupport.status === 'ending') out.warn(`warning: ${runtimeSupport.message}`);
  if (runtimeSupport.status === 'retired') out.warn(`warning: ${runtimeSupport.message}; generating it because of --allow-deprecated`);

  // 2. The target folder: new, empty, or non-empty with --force.
  const root = resolve(answers.dir);
  const createRoot = checkTarget(root, answers.dir, Boolean(switches.force));

  // 3. The plan: every file, rendered in memory.
  const install = !switches['no-install'];
  const plan = await planProject([...(kit?.layers ?? []), builtinLayer()], answers, { root, createRoot, install, tool: TOOL, kit: kitPart });
  if (use) await (await import('../kit/generators.ts')).addGeneratedFiles(plan, use, { ...answers, ...kitPart!.answers, functionDir: functionDir(answers.functionId) }, ['project', 'function']);
  if (switches['dry-run']) {
    out.log(describePlan(plan, answers.dir));
    return;
  }

  // 4. Write it, all at once.
  commitPlan(plan);
  const variants = (findRuntime(answers.runtime)?.languages.length ?? 0) > 1 ? ` ${answers.language}` : '';
  out.log(`Created ${answers.dir}: ${answers.runtime}${variants}, ${answers.arch}, ${plan.files.length} files`);

  // 5. Install dependencies and make the first commit.
  const steps: PostStep[] = [];
  if (install) steps.push(...installSteps(answers));
  if (!switches['no-git'] && !(await insideGitRepo(resolve(root, '..')))) {
    steps.push(...gitSteps(`Initial commit from ${TOOL.name} ${TOOL.version}`));
  }
  const results = await runSteps(root, steps, (line) => out.log(`  ${line}`));
  for (const r of results.filter((x) => !x.ok)) {
    out.log(`  warning: ${r.step.title} failed (${r.detail}); run \`${r.step.command.join(' ')}\` in ${r.step.cwd} yourself`);
  }

  // 6. What to do next.
  out.log(nextSteps(answers, relative(process.cwd(), root) || '.', install, plan));
}

/** The kit's prompts answered, its settings worked out, and the record the project keeps. */
async function kitPlanOptions(use: KitInUse, parsed: Parsed, mode: { yes: boolean; interactive: boolean }, answers: Answers) {
  const { promptQuestions, asKitAnswers } = await import('../kit/questions.ts');
  const { kitSettings } = await import('../kit/settings.ts');
  const values = await resolveAnswers(parsed.kitGiven as Given, mode, promptQuestions(use.kit, answers));
  const kitAnswers = asKitAnswers(values, use.kit);
  return { settings: await kitSettings(use.kit, kitAnswers), record: { ...use.kit.record, ...(use.trusted ? { trusted: true } : {}) }, answers: kitAnswers };
}

function checkTarget(root: string, shown: string, force: boolean): boolean {
  if (!existsSync(root)) return true;
  if (!statSync(root).isDirectory()) {
    throw new UserError(`${shown} exists and is not a folder`, 'Choose another project folder');
  }
  const entries = readdirSync(root);
  if (entries.length === 0) return true;
  if (!force) {
    throw new UserError(
      `Folder ${shown} is not empty`,
      'Choose another folder, or pass --force to write into it (files with the same names are replaced, others kept)',
    );
  }
  return false;
}

function installSteps(a: Answers): PostStep[] {
  const { language } = runtimeAndLanguage(a.runtime, a.language);
  if (!language.install) return [];
  return [{ title: `Installing dependencies of ${a.functionId}`, cwd: functionDir(a.functionId), command: language.install }];
}

function nextSteps(a: Answers, shownRoot: string, installed: boolean, plan: Plan): string {
  const { language } = runtimeAndLanguage(a.runtime, a.language);
  const dir = functionDir(a.functionId);
  const prepare = language.install && !installed ? [`  (cd ${dir} && ${language.install.join(' ')})`] : [];
  // An app template's own sample event (events/<app>-<kind>.json) where it has one.
  const event = a.events[0] && [`events/${a.appTemplate}-${a.events[0]}.json`, `events/${a.events[0]}.json`].find((f) => plan.files.some((p) => p.path === f));
  return [
    '',
    'Next steps:',
    `  cd ${shownRoot}`,
    ...prepare,
    `  (cd ${dir} && ${language.buildTools?.find((t) => t.id === a.buildTool)?.test ?? language.test})   # unit tests`,
    '  sam build',
    ...(event ? [`  sam local invoke ${a.functionId} --event ${event}`] : []),
    '  sam deploy --guided',
    '',
    'README.md has the rest: the image layout, ECR setup and deployment.',
  ].join('\n');
}
