// --ci github: the workflow validates against SchemaStore's schema, assumes its AWS role through OIDC
// only, deploys each stage one run at a time, and tests every function with the README's commands,
// functions added later included, without an edit.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parse } from 'yaml';
import { REPO, fingerprint, runCli, scratch } from './helpers/cli.ts';
import { runtimeAndLanguage } from '../src/registry/runtimes.ts';
import { STAGES } from '../src/registry/ci/github.ts';

const t = suite('ci github');
const quiet = ['--yes', '--no-git', '--no-install'];
const WORKFLOW = '.github/workflows/deploy.yml';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
interface Entry { dir: string; name: string; toolchain: string; version: string; commands: string }

const Ajv = createRequire(import.meta.url)('ajv').default as new (o: object) => { compile(s: object): ((d: unknown) => boolean) & { errors?: unknown[] } };
const validateWorkflow = new Ajv({ strict: false, allErrors: true }).compile(JSON.parse(readFileSync(join(REPO, 'test/fixtures/schemas/github-workflow.json'), 'utf8')));

const CASES: { name: string; args: string[] }[] = [
  { name: 'python3.13', args: ['--runtime', 'python3.13'] },
  { name: 'nodejs22.x typescript', args: ['--runtime', 'nodejs22.x', '--language', 'typescript'] },
  { name: 'java21 maven', args: ['--runtime', 'java21', '--build-tool', 'maven'] },
  { name: 'java21 gradle', args: ['--runtime', 'java21', '--build-tool', 'gradle'] },
  { name: 'go', args: ['--runtime', 'go'] },
  { name: 'rust', args: ['--runtime', 'rust'] },
];

function generate(dir: string, args: string[]): string {
  const r = runCli(['app', ...quiet, '--ci', 'github', ...args], dir);
  assert.is(r.status, 0, r.stderr);
  return join(dir, 'app');
}

function matrix(project: string): Entry[] {
  return JSON.parse(execFileSync(join(project, '.github/ci/function-matrix.sh'), { encoding: 'utf8' })) as Entry[];
}

/** The README's unit-test commands for a function folder: the lines between `cd <dir>` and `cd ../..`. */
function readmeCommands(project: string, dir: string): string {
  const lines = readFileSync(join(project, 'README.md'), 'utf8').split('\n');
  const start = lines.indexOf(`cd ${dir}`);
  assert.ok(start >= 0, `README.md has no unit tests for ${dir}`);
  return lines.slice(start + 1, lines.indexOf('cd ../..', start)).join('\n');
}

function checkWorkflow(project: string): Json {
  const text = readFileSync(join(project, WORKFLOW), 'utf8');
  const wf = parse(text) as Json;
  assert.ok(validateWorkflow(wf), JSON.stringify(validateWorkflow.errors, null, 2));
  assert.equal(wf.permissions, { 'id-token': 'write', contents: 'read' });
  assert.not.match(text, /aws-access-key-id|aws-secret-access-key|secrets\.AWS/);
  const steps = Object.values(wf.jobs as Json).flatMap((j: Json) => (j.steps ?? []) as Json[]);
  const credentials = steps.filter((s) => String(s.uses).startsWith('aws-actions/configure-aws-credentials@'));
  assert.ok(credentials.length >= 1 + STAGES.length, 'build and every stage assume the role');
  for (const s of credentials) assert.equal(s.with, { 'role-to-assume': '${{ vars.AWS_ROLE_ARN }}', 'aws-region': '${{ vars.AWS_REGION }}' });
  // One deploy job per stage, in order, each in its environment with a concurrency group of its own.
  const groups = new Set<string>();
  STAGES.forEach((stage, i) => {
    const job = wf.jobs[`deploy-${stage.id}`] as Json;
    assert.ok(job, `no deploy-${stage.id} job`);
    assert.is(job.environment, stage.environment);
    assert.is(job.needs, i === 0 ? 'build' : `deploy-${STAGES[i - 1]!.id}`);
    assert.is(job.concurrency['cancel-in-progress'], false);
    groups.add(job.concurrency.group);
    assert.match(JSON.stringify(job.steps), `--stack-name app-${stage.id}`);
    assert.match(JSON.stringify(job.steps), '--template-file packaged.yaml');
  });
  assert.is(groups.size, STAGES.length);
  assert.ok(STAGES.some((s) => s.environment === 'production'), 'production is a GitHub environment');
  // Built once: only the build job runs sam build and sam package.
  const builds = Object.entries(wf.jobs as Json).filter(([, j]) => JSON.stringify(j.steps).includes('sam build'));
  assert.equal(builds.map(([name]) => name), ['build']);
  assert.match(JSON.stringify(wf.jobs.build.steps), 'pin-digests.sh packaged.yaml');
  return wf;
}

for (const c of CASES) {
  t(`${c.name}: the workflow validates, uses OIDC only, and tests the function with the README's commands`, () => {
    const { dir, remove } = scratch('ci');
    try {
      const project = generate(dir, c.args);
      checkWorkflow(project);
      const entries = matrix(project);
      assert.is(entries.length, 1);
      assert.is(entries[0]!.dir, 'functions/hello-function');
      assert.is(entries[0]!.commands, readmeCommands(project, 'functions/hello-function'));
      const recorded = JSON.parse(readFileSync(join(project, '.create-container-lambda.json'), 'utf8'));
      assert.is(recorded.answers.ci, 'github');
      assert.match(readFileSync(join(project, 'README.md'), 'utf8'), 'repo:OWNER/REPO:environment:production');
    } finally {
      remove();
    }
  });
}

t('--private-index: the unit tests and sam build get the credentials from the repository secret', () => {
  const { dir, remove } = scratch('ci-index');
  try {
    for (const [args, env, file] of [
      [['--runtime', 'python3.13', '--private-index', 'https://pypi.example.com/simple/'], 'PRIVATE_INDEX_NETRC', '~/.netrc'],
      [['--runtime', 'nodejs22.x', '--private-index', 'https://npm.example.com/'], 'PRIVATE_INDEX_NPMRC', '~/.npmrc'],
    ] as const) {
      mkdirSync(join(dir, env));
      const project = generate(join(dir, env), [...args]);
      const wf = checkWorkflow(project);
      const secret = `\${{ secrets.${env} }}`;
      const build = (wf.jobs.build.steps as Json[]).find((s) => s.run === 'sam build')!;
      assert.equal(build.env, { [env]: secret });
      const steps = wf.jobs.test.steps as Json[];
      const credentials = steps.findIndex((s) => s.name === 'Private index credentials');
      assert.ok(credentials >= 0 && credentials < steps.findIndex((s) => s.name === 'Unit tests'), 'before the unit tests');
      assert.equal(steps[credentials]!.env, { LINE: secret });
      assert.is(steps[credentials]!.run, `printf '%s\\n' "$LINE" >> ${file} && chmod 600 ${file}`);
      assert.match(readFileSync(join(project, 'README.md'), 'utf8'), '`.github/workflows/deploy.yml` does this');
    }
  } finally {
    remove();
  }
});

t('add: a second function (another language) is in the matrix, the workflow is not edited', () => {
  const { dir, remove } = scratch('ci-add');
  try {
    const project = generate(dir, ['--runtime', 'python3.13']);
    const before = readFileSync(join(project, WORKFLOW), 'utf8');
    const r = runCli(['add', 'OrdersFunction', '--runtime', 'nodejs22.x', '--language', 'typescript', '--event', 'sqs', '--yes', '--no-install'], project);
    assert.is(r.status, 0, r.stderr);
    assert.is(readFileSync(join(project, WORKFLOW), 'utf8'), before);
    const entries = matrix(project);
    assert.equal(entries.map((e) => [e.dir, e.toolchain, e.version]), [
      ['functions/hello-function', 'python', '3.13'],
      ['functions/orders-function', 'node', '22'],
    ]);
    const { language } = runtimeAndLanguage('nodejs22.x', 'typescript');
    assert.is(entries[1]!.commands, [...(language.testSetup ?? []), language.test].join('\n'));
    checkWorkflow(project);
  } finally {
    remove();
  }
});

t('--ci with an unknown value: one line naming the choices, nothing written', () => {
  const { dir, remove } = scratch('ci-bad');
  try {
    const before = fingerprint(dir);
    const r = runCli(['app', ...quiet, '--ci', 'gitlab'], dir);
    assert.is.not(r.status, 0);
    assert.is(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, 'none');
    assert.match(r.stderr, 'github');
    assert.is(fingerprint(dir), before);
  } finally {
    remove();
  }
});

t('without --ci nothing under .github/ is generated, and add refuses --ci', () => {
  const { dir, remove } = scratch('ci-none');
  try {
    const r = runCli(['app', ...quiet], dir);
    assert.is(r.status, 0, r.stderr);
    assert.not.ok(existsSync(join(dir, 'app/.github')));
    assert.not.match(readFileSync(join(dir, 'app/README.md'), 'utf8'), 'GitHub Actions');
    const add = runCli(['add', 'Second', '--ci', 'github', '--yes', '--no-install'], join(dir, 'app'));
    assert.is.not(add.status, 0);
    assert.match(add.stderr, '--ci does not apply to add');
  } finally {
    remove();
  }
});

t.run();
