// `update` over a fixture history: a project made by release 1.0.0, edited by its user, updated to
// 1.1.0 (test/helpers/update-history.ts) and to its kit's next version. Every user edit and every
// new-version change must be in the result, with no conflict, and a second update changes nothing;
// an edit that overlaps a change is one conflict, reported with file and line.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, readTree, scratch } from './helpers/cli.ts';
import { buildRelease } from './helpers/release.ts';
import { V1, V2, V2_BASE_IMAGE, V2_CHANGES } from './helpers/update-history.ts';
import { projectProblems } from './helpers/validate.ts';

const t = suite('update');
const work = scratch('update');
process.on('exit', () => work.remove());
const cache = join(work.dir, 'cache');
const env = { ...process.env, CREATE_CONTAINER_LAMBDA_CACHE: cache, GIT_AUTHOR_NAME: 'Test', GIT_AUTHOR_EMAIL: 'test@example.com', GIT_COMMITTER_NAME: 'Test', GIT_COMMITTER_EMAIL: 'test@example.com' };
let v1Cli = '';
let v2Cli = '';

function run(cli: string, args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, env, encoding: 'utf8', input: '', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
const current = (args: string[], cwd: string) => run(CLI, args, cwd);
const git = (cwd: string, ...args: string[]) => spawnSync('git', args, { cwd, env, encoding: 'utf8' }).stdout;
const read = (dir: string, path: string) => readFileSync(join(dir, path), 'utf8');
const edit = (dir: string, path: string, from: string, to: string) => {
  const text = read(dir, path);
  assert.ok(text.includes(from), `${path} has ${from}`);
  writeFileSync(join(dir, path), text.replace(from, to));
};

t.before(() => {
  v1Cli = join(buildRelease(cache, V1), 'dist', 'cli.js');
  v2Cli = join(buildRelease(cache, V2, V2_CHANGES), 'dist', 'cli.js');
});

t('a freshly generated project has nothing to update', () => {
  const r = current(['fresh', '--yes', '--no-install'], work.dir);
  assert.is(r.status, 0, r.stderr);
  const u = current(['update', '--dry-run'], join(work.dir, 'fresh'));
  assert.is(u.status, 0, u.stderr);
  assert.match(u.stdout, /^Nothing to update: \. is made with create-container-lambda \S+\.\n$/);
});

t('the fixture history: every user edit and every change of the new version, no conflict, lint-clean', async () => {
  const kit = join(work.dir, 'kit');
  cpSync(join(import.meta.dirname, 'fixtures/update/kit'), kit, { recursive: true });
  const made = run(v1Cli, ['history', '--yes', '--no-install', '--kit', './kit', '--event', 'sqs', '--event', 'schedule'], work.dir);
  assert.is(made.status, 0, made.stderr);
  const dir = join(work.dir, 'history');
  // The user's edits, each committed as a user would.
  const added = run(v1Cli, ['add', 'Orders', '--runtime', 'python3.13', '--event', 'sqs', '--yes', '--no-install'], dir);
  assert.is(added.status, 0, added.stderr);
  appendFileSync(join(dir, 'functions/hello-function/app.py'), '\n\ndef audit(record):\n    return record["messageId"]\n');
  appendFileSync(join(dir, 'functions/hello-function/requirements.txt'), 'requests==2.32.3\n');
  edit(dir, 'template.yaml', '\nResources:\n', '\nResources:\n  # Audit events go to the security account.\n  AuditTopic:\n    Type: AWS::SNS::Topic\n    Properties:\n      Tags:\n        - Key: example:team\n          Value: platform\n\n');
  edit(dir, 'template.yaml', '      PackageType: Image\n', '      PackageType: Image\n      ReservedConcurrentExecutions: 5 # protects the database\n');
  rmSync(join(dir, 'functions/orders/.dockerignore'));
  git(dir, 'add', '--all');
  git(dir, 'commit', '--quiet', '--message', 'my edits');
  const ours = { template: read(dir, 'template.yaml'), handler: read(dir, 'functions/hello-function/app.py') };

  // The kit's next version requires one more tag.
  const manifest = JSON.parse(read(kit, 'container-lambda-kit.json'));
  writeFileSync(join(kit, 'container-lambda-kit.json'), JSON.stringify({ ...manifest, version: '1.1.0', tags: { ...manifest.tags, 'example:data-class': 'internal' } }, null, 2));

  const u = current(['update', '--to', V2, '--kit', '../kit'], dir);
  assert.is(u.status, 0, `${u.stdout}\n${u.stderr}`);
  assert.match(u.stdout, /^Updated \. \(create-container-lambda 1\.0\.0 -> 1\.1\.0, kit @example\/update-kit 1\.0\.0 -> 1\.1\.0\):\n/);
  assert.match(u.stdout, /, 0 conflicts in 0 files, 1 left alone$/m);
  assert.match(u.stdout, /left alone\s+functions\/orders\/\.dockerignore \(you deleted it\)/);
  assert.match(u.stdout, /^  deleted\s+scripts\/local-invoke\.sh$/m);
  assert.not.ok(existsSync(join(dir, 'scripts/local-invoke.sh')), 'what 1.1.0 no longer generates is gone, as the user never changed it');

  // Every user edit...
  const template = read(dir, 'template.yaml');
  assert.ok(read(dir, 'functions/hello-function/app.py') === ours.handler, 'the handler is the user\'s');
  assert.match(read(dir, 'functions/hello-function/requirements.txt'), /^requests==2\.32\.3$/m);
  assert.match(template, /  # Audit events go to the security account\.\n  AuditTopic:\n    Type: AWS::SNS::Topic\n    Properties:\n/);
  assert.match(template, /ReservedConcurrentExecutions: 5 # protects the database\n/);
  assert.not.ok(existsSync(join(dir, 'functions/orders/.dockerignore')), 'the file the user deleted stays deleted');
  // ...and every change of 1.1.0 and of the kit's 1.1.0, in both functions.
  for (const fn of ['hello-function', 'orders']) assert.ok(read(dir, `functions/${fn}/Dockerfile`).includes(V2_BASE_IMAGE), `${fn}'s base image`);
  assert.match(read(dir, 'functions/hello-function/.dockerignore'), /^\.hypothesis\/$/m);
  assert.match(template, /^Globals:\n(    .*\n|  .*\n)*    EphemeralStorage:\n      Size: 1024\n/m);
  assert.is(template.match(/BatchSize: 5\n/g)?.length, 2, 'both queues');
  assert.not.match(template, /BatchSize: 10/);
  assert.match(template, /example:data-class: internal/);
  const recorded = JSON.parse(read(dir, '.create-container-lambda.json'));
  assert.is(recorded.tool.version, V2);
  assert.is(recorded.kit.version, '1.1.0');
  assert.equal(Object.values(recorded.functions).map((f) => (f as { tool: { version: string } }).tool.version), [V2, V2]);
  assert.equal(await projectProblems([dir]), []);
  // The kit's new tag is on everything the tool made; the user's own topic is theirs to tag.
  const check = current(['check'], dir);
  assert.is(check.status, 1, check.stdout);
  assert.match(`${check.stdout}${check.stderr}`, /^template\.yaml:\d+: required-tags: AuditTopic: add the tag example:data-class to its Tags\n1 violation /m);

  // Again: nothing to update; and merged from 1.0.0 once more (the record put back), nothing changes.
  git(dir, 'add', '--all');
  git(dir, 'commit', '--quiet', '--message', 'update');
  const again = current(['update', '--to', V2, '--dry-run'], dir);
  assert.is(again.status, 0, again.stderr);
  assert.match(again.stdout, /^Nothing to update/);
  writeFileSync(join(dir, '.create-container-lambda.json'), git(dir, 'show', 'HEAD~1:.create-container-lambda.json'));
  const replay = current(['update', '--to', V2, '--kit', '../kit', '--force'], dir);
  assert.is(replay.status, 0, replay.stderr);
  assert.is(git(dir, 'status', '--porcelain'), '', 'a second merge of the same versions changes nothing');
});

t('a repository this tool did not make: its added function is updated, the rest is left alone', () => {
  const dir = join(work.dir, 'foreign');
  mkdirSync(dir);
  const own = [
    "AWSTemplateFormatVersion: '2010-09-09'",
    'Transform: AWS::Serverless-2016-10-31',
    'Description: Orders service (hand-written)',
    'Resources:',
    '  Legacy:',
    '    Type: AWS::Serverless::Function',
    '    Properties:',
    '      PackageType: Image',
    '      ImageUri: legacy:latest',
    '',
  ].join('\n');
  writeFileSync(join(dir, 'template.yaml'), own);
  git(dir, 'init', '--quiet');
  const added = run(v1Cli, ['add', 'Orders', '--runtime', 'python3.13', '--event', 'sqs', '--yes', '--no-install'], dir);
  assert.is(added.status, 0, added.stderr);
  git(dir, 'add', '--all');
  git(dir, 'commit', '--quiet', '--message', 'add Orders');
  const before = read(dir, 'template.yaml');
  const u = current(['update', '--to', V2], dir);
  assert.is(u.status, 0, `${u.stdout}${u.stderr}`);
  const after = read(dir, 'template.yaml');
  assert.ok(after.startsWith(own), 'the hand-written part is as it was');
  assert.is(after, before.replace('BatchSize: 10', 'BatchSize: 5'));
  assert.ok(read(dir, 'functions/orders/Dockerfile').includes(V2_BASE_IMAGE));
});

t('--kit-version: the recorded git kit at the tag of that version', () => {
  const repo = join(work.dir, 'kit-repo');
  cpSync(join(import.meta.dirname, 'fixtures/update/kit'), repo, { recursive: true });
  git(repo, 'init', '--quiet');
  git(repo, 'add', '--all');
  git(repo, 'commit', '--quiet', '--message', 'kit 1.0.0');
  git(repo, 'tag', '1.0.0');
  const manifest = JSON.parse(read(repo, 'container-lambda-kit.json'));
  writeFileSync(join(repo, 'container-lambda-kit.json'), JSON.stringify({ ...manifest, version: '1.1.0', tags: { ...manifest.tags, 'example:data-class': 'internal' } }, null, 2));
  git(repo, 'commit', '--quiet', '--all', '--message', 'kit 1.1.0');
  git(repo, 'tag', '1.1.0');
  const made = current(['tagged', '--yes', '--no-install', '--kit', `git+file://${repo}#1.0.0`], work.dir);
  assert.is(made.status, 0, made.stderr);
  const dir = join(work.dir, 'tagged');
  assert.match(current(['update', '--dry-run'], dir).stdout, /^Nothing to update: \. is made with create-container-lambda \S+ and kit @example\/update-kit 1\.0\.0\.\n$/);
  const wrong = current(['update', '--kit-version', '1.2.0'], dir);
  assert.is(wrong.status, 1);
  assert.match(wrong.stderr, /^error: git could not fetch kit git\+file:\S+#1\.2\.0: /);
  const u = current(['update', '--kit-version', '1.1.0'], dir);
  assert.is(u.status, 0, `${u.stdout}${u.stderr}`);
  assert.match(u.stdout, /^Updated \. \(kit @example\/update-kit 1\.0\.0 -> 1\.1\.0\):\n  updated     README\.md\n  updated     scripts\/ecr-setup\.sh\n  updated     template\.yaml\n/);
  assert.match(read(dir, 'template.yaml'), /example:data-class: internal/);
  assert.match(JSON.parse(read(dir, '.create-container-lambda.json')).kit.source, /#1\.1\.0$/);
});

/** A project of 1.0.0 whose user set the SQS batch size that 1.1.0 changes, committed. */
function overlapping(name: string): string {
  assert.is(run(v1Cli, [name, '--yes', '--no-install', '--event', 'sqs'], work.dir).status, 0);
  const dir = join(work.dir, name);
  edit(dir, 'template.yaml', 'BatchSize: 10', 'BatchSize: 25');
  appendFileSync(join(dir, 'functions/hello-function/.dockerignore'), '.tox/\n');
  appendFileSync(join(dir, 'scripts/local-invoke.sh'), '# ours now\n');
  git(dir, 'commit', '--quiet', '--all', '--message', 'bigger batches');
  return dir;
}

t('an edit that overlaps a change is exactly one conflict, with its file and line', () => {
  const dir = overlapping('overlap');
  const u = current(['update', '--to', V2], dir);
  assert.is(u.status, 1, u.stdout);
  const template = read(dir, 'template.yaml');
  const line = template.split('\n').findIndex((l) => l === '<<<<<<< yours') + 1;
  assert.ok(line > 0, template);
  assert.is(template.match(/^<<<<<<< /gm)?.length, 1);
  assert.match(template, /<<<<<<< yours\n\s+BatchSize: 25\n=======\n\s+BatchSize: 5\n>>>>>>> create-container-lambda 1\.1\.0\n/);
  assert.match(u.stdout, new RegExp(`conflicted\\s+template\\.yaml\\n\\s+template\\.yaml:${line} Resources\\.HelloFunction\\.Properties\\.Events\\.\\w+\\.Properties\\.BatchSize\\n`));
  assert.match(u.stdout, /merged\s+functions\/hello-function\/\.dockerignore/);
  assert.match(read(dir, 'functions/hello-function/.dockerignore'), /^\.ruff_cache\/\n\.hypothesis\/\n(.*\n)+\.tox\/\n$/m);
  assert.match(u.stdout, /, 1 conflict in 1 file, 1 left alone$/m);
  assert.match(u.stdout, /left alone\s+scripts\/local-invoke\.sh \(the new version no longer generates it; you changed it\)/);
  assert.match(read(dir, 'scripts/local-invoke.sh'), /# ours now\n$/);
  assert.match(u.stderr, /^1 conflict: /);
  // Until it is resolved, update says so.
  const again = current(['update', '--to', V2, '--force'], dir);
  assert.is(again.status, 1);
  assert.match(again.stderr, /^error: Conflicts from an earlier update remain \(template\.yaml:\d+\)/);
});

t('--conflict rej keeps the user\'s value and writes the conflict beside the file', () => {
  const dir = overlapping('overlap-rej');
  const u = current(['update', '--to', V2, '--conflict', 'rej'], dir);
  assert.is(u.status, 1, u.stdout);
  assert.match(read(dir, 'template.yaml'), /BatchSize: 25\n/);
  assert.not.match(read(dir, 'template.yaml'), /<<<<<<<|BatchSize: 5\n/);
  const rej = read(dir, 'template.yaml.rej');
  assert.match(rej, /BatchSize: 25/);
  assert.match(rej, /BatchSize: 5/);
});

t('bad input: one line saying what to do, a non-zero exit, nothing written', () => {
  const dir = overlapping('refusals');
  const before = readTree(dir);
  const cases: [string[], RegExp][] = [
    [['update', '--to', V2, '--conflict', 'both'], /^error: --conflict both is not inline or rej\. Pass --conflict inline/],
    [['update', '--to', 'latest'], /^error: "latest" is not a version of create-container-lambda/],
    [['update', '--to', '0.0.1'], /^error: Cannot fetch create-container-lambda 0\.0\.1 to render what it made: /],
    [['update', '--to', V2, '--kit-version', '2.0.0'], /^error: This project was made without a kit/],
    [['update', '--dir', work.dir], /^error: \S+ has no \.create-container-lambda\.json\. Run update in a project/],
  ];
  // Made by 1.0.0: this release (0.x) is older and goes back only when asked.
  cases.push([['update'], /^error: This project was made with create-container-lambda 1\.0\.0, newer than this one \(\S+\)\. Run the newer one/]);
  for (const [args, message] of cases) {
    const r = current(args, dir);
    assert.is.not(r.status, 0, args.join(' '));
    assert.match(r.stderr, message, r.stderr);
    assert.is(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
  appendFileSync(join(dir, 'README.md'), 'draft\n');
  const dirty = current(['update', '--to', V2], dir);
  assert.is(dirty.status, 1);
  assert.match(dirty.stderr, /^error: The project has uncommitted changes \(1 file, e\.g\. README\.md\)\. Commit or stash them first/);
  const after = readTree(dir);
  assert.is(after.get('README.md')!.content, `${before.get('README.md')!.content}draft\n`);
  after.delete('README.md');
  before.delete('README.md');
  assert.equal(after, before);
});

t.run();
