// `kit test <dir>`: every allowed runtime variant x event kind rendered with the kit (its generators
// too: the author is testing their own kit), then the checks the tool's own tests run: cfn-lint, the
// SAM schema, the container-image rules, shellcheck, and the kit's rules.
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { resolveAnswers, type Given } from '../answers.ts';
import { commitPlan } from '../commit.ts';
import { UserError } from '../errors.ts';
import { QUESTIONS } from '../options.ts';
import { EVENTS } from '../registry/events.ts';
import { RUNTIMES } from '../registry/runtimes.ts';
import { builtinLayer } from '../templates/layers.ts';
import { TOOL } from '../version.ts';
import { planProject } from '../../generators/project.ts';
import { functionDir } from '../../generators/function.ts';
import type { Output } from '../commands/new.ts';
import { scratchFolder } from '../commands/kit.ts';
import { addGeneratedFiles } from './generators.ts';
import { loadKit } from './kit.ts';
import { asKitAnswers, kitQuestions, promptQuestions } from './questions.ts';
import { checkProject, formatViolation, resolveRules } from './rules.ts';
import { kitSettings } from './settings.ts';
import { validateProject } from '../validate/project.ts';

interface Case {
  label: string;
  dir: string;
}

export async function kitTest(root: string, shown: string, argv: string[], keep: boolean, out: Output): Promise<void> {
  const kit = await loadKit(root, process.cwd(), true);
  const use = { kit, trusted: true, recordedAnswers: {} };
  // Prompts without a default take their flag: kit test <dir> --team payments.
  const flags = Object.fromEntries((kit.manifest.prompts ?? []).map((p) => [p.name, { type: p.type === 'confirm' ? ('boolean' as const) : ('string' as const) }]));
  const { values } = parseArgs({ args: argv, options: flags, allowPositionals: true, strict: false });
  const allow = kit.manifest.allow ?? {};
  const runtimes = RUNTIMES.filter((r) => !allow.runtimes || allow.runtimes.includes(r.id));
  const events = EVENTS.map((e) => e.id).filter((e) => !allow.events || allow.events.includes(e));
  const arch = kit.manifest.defaults?.arch ?? allow.architectures?.[0] ?? 'x86_64';
  const questions = kitQuestions(kit, QUESTIONS);
  const scratch = scratchFolder();
  const cases: Case[] = [];
  try {
    for (const runtime of runtimes) {
      for (const language of runtime.languages) {
        for (const event of events) {
          const label = `${runtime.id}${runtime.languages.length > 1 ? `/${language.id}` : ''} ${event}`;
          const dir = join(scratch.dir, `${runtime.id}-${language.id}-${event}`);
          const given: Given = { dir, runtime: runtime.id, language: language.id, events: [event], arch: String(arch) };
          const answers = await resolveAnswers(given, { yes: true, interactive: false }, questions);
          const kitAnswers = asKitAnswers(await resolveAnswers(values as Given, { yes: true, interactive: false }, promptQuestions(kit, answers)), kit);
          const settings = await kitSettings(kit, kitAnswers);
          const plan = await planProject([...kit.layers, builtinLayer()], answers, { root: dir, createRoot: true, install: false, tool: TOOL, kit: { settings, record: kit.record, answers: kitAnswers } });
          await addGeneratedFiles(plan, use, { ...answers, ...kitAnswers, functionDir: functionDir(answers.functionId) }, ['project', 'function']);
          commitPlan(plan);
          cases.push({ label, dir });
        }
      }
    }
    out.log(`kit test: ${cases.length} projects (${runtimes.reduce((n, r) => n + r.languages.length, 0)} runtime variants x ${events.length} event kinds, ${arch}) in ${keep ? scratch.dir : 'a scratch folder'}`);
    const validated = await validateProject(cases.map((c) => c.dir), { missing: 'fail' });
    const rules = resolveRules(kit.manifest);
    let problems = 0;
    for (const c of cases) {
      const found = [
        ...(validated.get(c.dir) ?? []),
        ...checkProject(join(c.dir, 'template.yaml'), rules, kit.manifest.baseImages).map((v) => `[rules] ${formatViolation(v)}`),
      ];
      for (const line of found) out.log(`  ${c.label}: ${line}`);
      problems += found.length;
    }
    if (problems > 0) {
      out.warn(`kit test: ${problems} problem${problems === 1 ? '' : 's'} in projects made with kit ${kit.name} (${shown})`);
      process.exitCode = 1;
    } else {
      out.log(`kit test: every project is clean (cfn-lint, SAM schema, image rules, shellcheck, ${Object.keys(rules).length} kit rules)`);
    }
  } catch (error) {
    if (error instanceof UserError) throw new UserError(`kit test ${relative(process.cwd(), root) || '.'}: ${error.message}`, error.hint);
    throw error;
  } finally {
    if (!keep) scratch.remove();
  }
}
