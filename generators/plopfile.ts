// The generators as plop generators, for any repository's own plopfile:
//
//   export default async function (plop) {
//     await plop.load('create-container-lambda/dist/plopfile.js');
//   }
//
// `plop container-lambda-project` then asks the same questions as the CLI and writes the same files,
// through the same plan and commit step.
import { resolve } from 'node:path';
import type { NodePlopAPI } from 'node-plop';
import { resolveAnswers, type Given } from '../src/answers.ts';
import { commitPlan } from '../src/commit.ts';
import { QUESTIONS } from '../src/options.ts';
import { builtinLayer } from '../src/templates/layers.ts';
import { TOOL } from '../src/version.ts';
import { planProject } from './project.ts';

type Raw = Record<string, string | string[]>;

/** Plop's prompts (inquirer questions) from the questions table. */
function prompts() {
  return QUESTIONS.filter((q) => q.required || q.choices).map((q) => ({
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
  plop.setGenerator('container-lambda-project', {
    description: 'A new AWS SAM project of container-image Lambda functions',
    prompts: prompts() as never,
    actions: [{ type: 'container-lambda-project' }],
  });
}
