// App templates (--app-template, src/registry/apps.ts): every template in every language it has and
// on both architectures, generated through the CLI: snapshots, cfn-lint and the SAM schema clean;
// each one's own unit tests run for real on x86_64 (pip from PyPI into a venv of pyenv's Python,
// npm from the registry), offline from AWS; an S3-triggered template never writes to the bucket
// that triggers it; `add --app-template` puts one beside an existing function.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { APP_TEMPLATES, HELLO, type AppTemplate } from '../src/registry/apps.ts';
import { RUNTIMES } from '../src/registry/runtimes.ts';
import { readTemplate } from '../src/sam/read-template.ts';
import { runCli, scratch } from './helpers/cli.ts';
import { sh } from './helpers/sh.ts';
import { compareProject } from './helpers/snapshot.ts';
import { projectProblems, requireTool } from './helpers/validate.ts';
import { pascalCase } from '../src/names.ts';
import { translate } from './helpers/translate.ts';

const t = suite('app templates');
const work = scratch('apps');
process.on('exit', () => work.remove());

/** The runtime each language folder is generated and tested with. */
const RUNTIME_OF: Record<string, { runtime: string; language?: string }> = {
  python: { runtime: 'python3.13' },
  'nodejs-typescript': { runtime: 'nodejs22.x', language: 'typescript' },
};

interface Case {
  app: AppTemplate;
  folder: string;
  arch: 'x86_64' | 'arm64';
  name: string;
  args: string[];
}

const CASES: Case[] = APP_TEMPLATES.filter((a) => a.id !== HELLO).flatMap((app) =>
  app.languages.flatMap((folder) =>
    (['x86_64', 'arm64'] as const).map((arch) => {
      const r = RUNTIME_OF[folder];
      if (!r) throw new Error(`test/apps.test.ts: no runtime for language folder ${folder}`);
      const args = ['--app-template', app.id, '--runtime', r.runtime, ...(r.language ? ['--language', r.language] : []), '--arch', arch];
      return { app, folder, arch, name: `app-${app.id}-${folder}-${arch}`, args };
    }),
  ),
);

const made = new Map<string, string>();
function project(c: Case): string {
  let dir = made.get(c.name);
  if (!dir) {
    const r = runCli([c.name, '--yes', '--no-git', '--no-install', ...c.args], work.dir);
    assert.is(r.status, 0, r.stderr);
    dir = join(work.dir, c.name);
    made.set(c.name, dir);
  }
  return dir;
}

const functionDir = (c: Case) => join(project(c), 'functions', `${c.app.id}-function`);

t('every app template comes in Python and Node.js TypeScript, or says why not', () => {
  for (const app of APP_TEMPLATES.filter((a) => a.id !== HELLO)) {
    for (const folder of ['python', 'nodejs-typescript']) {
      assert.ok(app.languages.includes(folder) || app.otherLanguages, `${app.id} has no ${folder} version and does not say why`);
    }
    for (const folder of app.languages) assert.ok(RUNTIMES.some((r) => r.languages.some((l) => l.templates === folder)), `${app.id}: no language folder ${folder}`);
  }
});

for (const c of CASES) {
  t(`${c.name}: the generated tree matches snapshots/${c.name}.snap`, () => {
    const problem = compareProject(c.name, `create-container-lambda ${c.name} --yes --no-git --no-install ${c.args.join(' ')}`, project(c));
    assert.not.ok(problem, problem);
  });
}

t('every app template project passes cfn-lint, the SAM schema and the Dockerfile rules', async () => {
  assert.equal(await projectProblems(CASES.map(project)), []);
});

t('an S3-triggered template writes only to its output bucket, never to the bucket that triggers it', () => {
  for (const c of CASES.filter((x) => x.app.events.includes('s3') && x.arch === 'x86_64')) {
    const doc = readTemplate(readFileSync(join(project(c), 'template.yaml'), 'utf8'), 'template.yaml').doc.toJSON() as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
    const id = `${pascalCase(c.app.id)}Function`;
    const fn = doc.Resources[id]!.Properties as { Events: Record<string, { Properties: { Bucket: { Ref?: string } } }>; Environment: { Variables: Record<string, unknown> } };
    const trigger = Object.values(fn.Events)[0]!.Properties.Bucket;
    const output = fn.Environment.Variables.OUTPUT_BUCKET;
    assert.ok(trigger && output, `${c.name}: no trigger or output bucket`);
    assert.not.equal(JSON.stringify(output), JSON.stringify(trigger), `${c.name}: writes to the bucket that triggers it`);
    const role = doc.Resources[`${id}Role`]!.Properties as { Policies: { PolicyDocument: { Statement: { Action: string[]; Resource: unknown }[] } }[] };
    for (const statement of role.Policies.flatMap((p) => p.PolicyDocument.Statement)) {
      if (!statement.Action.some((a) => a.startsWith('s3:Put'))) continue;
      assert.not.ok(JSON.stringify(statement.Resource).includes(`${pascalCase(c.app.id)}Bucket`) || JSON.stringify(statement.Resource).includes('-${AWS::AccountId}-'), `${c.name}: may write to the trigger bucket: ${JSON.stringify(statement.Resource)}`);
    }
  }
});

// ---- The generated unit tests, for real.
const PYENV = join(process.env.PYENV_ROOT ?? join(homedir(), '.pyenv'), 'versions');
const python313 = existsSync(PYENV) ? readdirSync(PYENV).filter((v) => v.startsWith('3.13.')).sort().at(-1) : undefined;

for (const c of CASES.filter((x) => x.arch === 'x86_64')) {
  t(`${c.app.id} (${c.folder}): the generated unit tests pass`, async () => {
    const fn = functionDir(c);
    if (c.folder === 'python') {
      if (!python313 && !(await requireTool('python3.13'))) return;
      const python = python313 ? join(PYENV, python313, 'bin', 'python') : 'python3.13';
      const venv = join(work.dir, `venv-${c.app.id}`);
      const install = sh(`"${python}" -m venv "${venv}" && "${venv}/bin/pip" install -q --disable-pip-version-check -r requirements-dev.txt`, fn);
      assert.ok(install.ok, install.output);
      const r = sh(`"${venv}/bin/python" -m pytest -q -p no:cacheprovider`, fn, { PYTHONDONTWRITEBYTECODE: '1' });
      assert.ok(r.ok, r.output);
      assert.match(r.output, /\d+ passed/, r.output);
    } else {
      const install = sh('npm install --no-audit --no-fund --silent', fn);
      assert.ok(install.ok, install.output);
      const r = sh('npm test', fn);
      assert.ok(r.ok, r.output);
      assert.match(r.output, /^# pass [1-9]/m, r.output);
      const build = sh('npm run build --silent', fn);
      assert.ok(build.ok, build.output);
    }
  });
}

t('add --app-template puts an app function beside an existing one', () => {
  const dir = join(work.dir, 'add-into');
  assert.is(runCli(['add-into', '--yes', '--no-git', '--no-install'], work.dir).status, 0);
  for (const app of APP_TEMPLATES.filter((a) => a.id !== HELLO)) {
    const id = `${pascalCase(app.id)}Second`;
    const r = runCli(['add', id, '--app-template', app.id, '--yes', '--no-install'], dir);
    assert.is(r.status, 0, r.stderr);
    const template = readFileSync(join(dir, 'template.yaml'), 'utf8');
    assert.ok(template.includes(`  ${id}:\n    Type: AWS::Serverless::Function`), `${app.id}: not in the template`);
    if (app.memory) assert.ok(template.includes(`MemorySize: ${app.memory}`), `${app.id}: its memory is not set on the function`);
  }
  assert.ok(readFileSync(join(dir, 'template.yaml'), 'utf8').includes('  HelloFunction:\n'), 'the existing function is gone');
});

t('web apps on HTTP APIs: each has an API of its own, so two of them and a routed function translate and deploy side by side', () => {
  const dir = join(work.dir, 'sites');
  assert.is(runCli(['sites', '--yes', '--no-git', '--no-install', '--app-template', 'web-app', '--event', 'http-api'], work.dir).status, 0);
  for (const args of [['Admin', '--app-template', 'web-app', '--runtime', 'nodejs22.x'], ['Status', '--app-template', 'hello']]) {
    const r = runCli(['add', ...args, '--event', 'http-api', '--yes', '--no-install'], dir);
    assert.is(r.status, 0, r.stderr);
  }
  const template = join(dir, 'template.yaml');
  const out = translate([template]).get(template)!;
  assert.is(out.error, undefined, out.error);
  const apis = Object.entries(out.Resources).filter(([, r]) => r.Type === 'AWS::ApiGatewayV2::Api');
  const routes = Object.fromEntries(apis.map(([id, r]) => [id, Object.keys((r.Properties!.Body as { paths: object }).paths)]));
  assert.equal(routes, { WebAppHttpApi: ['$default'], AdminHttpApi: ['$default'], ServerlessHttpApi: ['/status'] });
  const text = readFileSync(template, 'utf8');
  assert.match(text, /Value: !Sub https:\/\/\$\{AdminHttpApi\}\.execute-api\.\$\{AWS::Region\}\.\$\{AWS::URLSuffix\}\/\n/);
});

t('add --app-template refuses a language it has no version of, writing nothing', () => {
  const dir = join(work.dir, 'add-into');
  const before = readFileSync(join(dir, 'template.yaml'), 'utf8');
  for (const app of APP_TEMPLATES.filter((a) => a.id !== HELLO && !a.languages.includes('java'))) {
    const r = runCli(['add', 'JavaThing', '--app-template', app.id, '--runtime', 'java21', '--yes', '--no-install'], dir);
    assert.is(r.status, 1);
    assert.match(r.stderr, new RegExp(`^error: App template ${app.id} has no Java version`));
    assert.is(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
  assert.is(readFileSync(join(dir, 'template.yaml'), 'utf8'), before);
});

t.run();
