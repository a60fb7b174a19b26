// The generators as plop generators, for any repository's own plopfile:
//
//   export default async function (plop) {
//     await plop.load('create-container-lambda/dist/plopfile.js');
//   }
//
// `plop container-lambda-project` then asks the same questions as the CLI and writes the same files,
// through the same plan and commit step; `plop container-lambda-function` adds a function to the SAM
// template of the folder plop runs in, like `create-container-lambda add`.
import { resolve } from 'node:path';
import type { NodePlopAPI } from 'node-plop';
import { resolveAnswers, type Given } from '../src/answers.ts';
import { commitPlan } from '../src/commit.ts';
import { QUESTIONS, type Question } from '../src/options.ts';
import { findTemplate, ADD_QUESTIONS } from '../src/commands/add.ts';
import { readTemplate } from '../src/sam/read-template.ts';
import { projectFacts } from '../src/project/defaults.ts';
import { readFileSync } from 'node:fs';
import { planAddFunction } from './add.ts';
import { builtinLayer } from '../src/templates/layers.ts';
import { TOOL } from '../src/version.ts';
import { planProject } from './project.ts';

type Raw = Record<string, string | string[]>;

/** Plop's prompts (inquirer questions) from a questions table. */
function prompts(questions: Question[] = QUESTIONS) {
  return questions.filter((q) => !q.noPrompt && (q.required || q.choices)).map((q) => ({
    type: q.choices ? (q.multiple ? 'checkbox' : 'list') : 'input',
    name: q.key,
    message: q.prompt ?? q.description,
    when: (raw: Raw) => !q.when || q.when(raw as never),
    choices: q.choices ? (raw: Raw) => q.choices!(raw as never).map((c) => ({ value: c.value, name: c.name })) : undefined,
    default: (raw: Raw) => q.default(raw as never),
  }));
}

export default function containerLambda(plop: NodePlopAPI): void {
  plop.setActionType('container-lambda-project', async (raw, _config, api) => {
    const answers = await resolveAnswers(raw as Given, { yes: true, interactive: false });
    const root = resolve(api.getDestBasePath(), answers.dir);
    const plan = await planProject([builtinLayer()], answers, { root, createRoot: true, install: false, tool: TOOL });
    commitPlan(plan);
    return `${answers.dir}: ${plan.files.length} files`;
  });
  plop.setActionType('container-lambda-function', async (raw, _config, api) => {
    const templatePath = findTemplate(api.getDestBasePath());
    const reading = readTemplate(readFileSync(templatePath, 'utf8'), templatePath);
    const facts = projectFacts(templatePath, reading.doc);
    const answers = await resolveAnswers(raw as Given, { yes: true, interactive: false }, ADD_QUESTIONS, facts.defaults);
    const plan = await planAddFunction([builtinLayer()], { ...answers, dir: api.getDestBasePath(), name: facts.name }, { templatePath, reading, facts, force: false });
    commitPlan(plan);
    return `${answers.functionId}: ${plan.files.length} files`;
  });
  plop.setGenerator('container-lambda-function', {
    description: 'A container-image Lambda function in this SAM project',
    prompts: prompts(ADD_QUESTIONS) as never,
    actions: [{ type: 'container-lambda-function' }],
  });
  plop.setGenerator('container-lambda-project', {
    description: 'A new AWS SAM project of container-image Lambda functions',
    prompts: prompts() as never,
    actions: [{ type: 'container-lambda-project' }],
  });
}
